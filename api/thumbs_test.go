package api

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	_ "image/jpeg"
	"image/png"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

// redSquare is a 64x64 red PNG.
func redSquare(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		if i%4 == 0 || i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStatAndThumbnail(t *testing.T) {
	pic := redSquare(t)
	srv := newServer(t, func(o *pcloudtest.Options) {
		o.Root = pcloudtest.Dir("", pcloudtest.Dir("Album",
			pcloudtest.AudioFile("01.mp3", map[int][]byte{128: testAudio}, pcloudtest.Tags{Title: "One"}),
			pcloudtest.ImageFile("Cover.PNG", pic),
		))
	})
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	ctx := ctxT(t)

	song := srv.FileID("/Album/01.mp3")
	m, err := c.Stat(ctx, song)
	if err != nil {
		t.Fatal(err)
	}
	if m.FileID != song || m.ParentFolderID != srv.FolderID("/Album") || m.Thumb || m.Title != "One" || m.Hash == 0 {
		t.Fatalf("stat = %+v", m)
	}
	cover := srv.FileID("/Album/Cover.PNG")
	cm, err := c.Stat(ctx, cover)
	if err != nil || !cm.Thumb || cm.Category != CategoryImage {
		t.Fatalf("stat cover = %+v, %v", cm, err)
	}

	l, err := c.ThumbLink(ctx, cover, 30, 30, false)
	if err != nil {
		t.Fatal(err)
	}
	if p := srv.Calls("getthumblink")[0].Params; p.Get("size") != "32x32" || p.Get("fileid") == "" {
		t.Errorf("getthumblink params %v", p)
	}
	data, err := c.Fetch(ctx, l, "", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil || format != "jpeg" || img.Bounds().Dx() != 32 || img.Bounds().Dy() != 32 {
		t.Fatalf("thumbnail: %v %v %v", format, err, img)
	}
	if r, g, b, _ := img.At(16, 16).RGBA(); r>>8 < 200 || g>>8 > 50 || b>>8 > 50 {
		t.Errorf("thumbnail centre is %v, want red", color.RGBAModel.Convert(img.At(16, 16)))
	}
	// Smaller than the original: the thumbnail, not the file.
	if len(data) >= 64*64*3 {
		t.Errorf("thumbnail of %d bytes", len(data))
	}

	// The limit holds.
	if _, err := c.Fetch(ctx, l, "", 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Fetch over the limit: %v", err)
	}
	// No thumbnails of an mp3: 1014.
	_, err = c.ThumbLink(ctx, song, 32, 32, true)
	var ae *Error
	if !errors.As(err, &ae) || ae.Code != 1014 {
		t.Errorf("thumb of an mp3: %v", err)
	}
}

func TestThumbSize(t *testing.T) {
	for _, c := range [][4]int{{0, 0, 16, 16}, {30, 31, 32, 32}, {5000, 5000, 2048, 1024}, {64, 64, 64, 64}, {-3, 17, 16, 20}} {
		if w, h := ThumbSize(c[0], c[1]); w != c[2] || h != c[3] {
			t.Errorf("ThumbSize(%d,%d) = %d,%d want %d,%d", c[0], c[1], w, h, c[2], c[3])
		}
	}
}
