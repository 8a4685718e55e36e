package pcloudtest

import (
	"bytes"
	"image"
	"image/color"
	_ "image/gif" // pictures of the fake library
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // pictures of the fake library
)

// stat answers a file's metadata (folders: 2009 as for a missing file).
func (c *call) stat() reply {
	n, code := c.allowedFile()
	if code != 0 {
		return fail(code)
	}
	return reply{"result": 0, "metadata": c.metadata(n, false, false, false)}
}

// getthumblink: a link to the file's picture scaled to fit in size=WxH
// (width 16..2048, height 16..1024, each a multiple of 4 or 5: else 1015),
// aspect kept, JPEG or, with type=png, PNG. Files without thumbnails
// (neither image nor video) answer 1014; an image whose bytes are not a
// picture the fake can read, too (choice: pCloud's answer there is
// unverified). A video's thumbnail is a grey picture.
func (c *call) getthumblink() reply {
	n, code := c.allowedFile()
	if code != 0 {
		return fail(code)
	}
	w, h, ok := thumbSize(c.p.Get("size"))
	if !ok {
		return fail(1015)
	}
	if n.category != 1 && n.category != 2 {
		return fail(1014)
	}
	var src image.Image = image.NewUniform(color.Gray{Y: 128})
	sb := image.Rect(0, 0, w, h)
	if n.category == 1 {
		img, _, err := image.Decode(bytes.NewReader(n.original()))
		if err != nil {
			return fail(1014)
		}
		src, sb = img, img.Bounds()
	}
	// Fit inside w x h, aspect kept.
	tw, th := w, h
	if sb.Dx()*h > sb.Dy()*w {
		th = max(1, sb.Dy()*w/sb.Dx())
	} else {
		tw = max(1, sb.Dx()*h/sb.Dy())
	}
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, sb, draw.Src, nil)
	var out bytes.Buffer
	ctype := "image/jpeg"
	if c.p.Get("type") == "png" {
		ctype = "image/png"
		_ = png.Encode(&out, dst)
	} else {
		_ = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 90})
	}
	l := &link{file: n, data: out.Bytes(), ctype: ctype}
	r := c.issue(l)
	if r["result"] == 0 {
		r["size"] = strconv.Itoa(tw) + "x" + strconv.Itoa(th)
	}
	return r
}

// thumbSize reads getthumblink's size=WxH.
func thumbSize(s string) (int, int, bool) {
	ws, hs, ok := strings.Cut(s, "x")
	if !ok {
		return 0, 0, false
	}
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	good := func(v, hi int) bool { return v >= 16 && v <= hi && (v%4 == 0 || v%5 == 0) }
	return w, h, err1 == nil && err2 == nil && good(w, 2048) && good(h, 1024)
}
