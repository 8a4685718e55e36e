package art

import (
	"bytes"
	"errors"
	"image"
	_ "image/jpeg" // covers: JPEG (pCloud's thumbnails are JPEG by default)
	_ "image/png"  // covers: PNG

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // covers: WebP
)

// MaxPixels bounds a picture's declared size before it is decoded: a
// hostile file cannot make pcplay allocate gigabytes.
const MaxPixels = 4096 * 4096

// Decode reads a JPEG, PNG or WebP picture.
func Decode(data []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, errors.New("the cover is not a JPEG, PNG or WebP picture")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return nil, errors.New("the cover picture is too large to show")
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, errors.New("the cover picture is damaged and cannot be shown")
	}
	return img, nil
}

// Scale resizes img to exactly w x h pixels (CatmullRom: sharp enough for a
// small cover, and the same result every time, for golden tests).
func Scale(img image.Image, w, h int) *image.RGBA {
	w, h = max(w, 1), max(h, 1)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if img == nil {
		return dst
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}
