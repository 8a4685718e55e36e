package qrterm

import (
	"image"
	"image/color"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

// A sign-in URL as pcplay shows it: 11-character client id, 40-character
// request id.
const signInURL = "https://my.pcloud.com/oauth2/authorize?client_id=AbCdEfGhIjK&response_type=poll_token&request_id=QWZKEMRXWAPBRHTKYCVFNQBTCEDXFAGMHUJXLYSV"

// picture renders half-block lines as a terminal would show them: light
// where a block is, dark elsewhere, scale pixels a module, with a dark
// margin standing for the rest of the terminal.
func picture(t *testing.T, lines []string, scale, margin int) image.Image {
	t.Helper()
	cols := utf8.RuneCountInString(lines[0])
	w, h := (cols+2*margin)*scale, (2*len(lines)+2*margin)*scale
	img := image.NewGray(image.Rect(0, 0, w, h))
	set := func(mr, mc int, light bool) {
		v := uint8(0)
		if light {
			v = 255
		}
		for y := 0; y < scale; y++ {
			for x := 0; x < scale; x++ {
				img.SetGray((mc+margin)*scale+x, (mr+margin)*scale+y, color.Gray{Y: v})
			}
		}
	}
	for i, line := range lines {
		if n := utf8.RuneCountInString(line); n != cols {
			t.Fatalf("line %d has %d columns, line 0 has %d", i, n, cols)
		}
		c := 0
		for _, r := range line {
			var top, bottom bool
			switch r {
			case '█':
				top, bottom = true, true
			case '▀':
				top = true
			case '▄':
				bottom = true
			case ' ':
			default:
				t.Fatalf("line %d has %q, not a half-block character", i, r)
			}
			set(2*i, c, top)
			set(2*i+1, c, bottom)
			c++
		}
	}
	return img
}

func decode(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the drawn code does not decode: %v", err)
	}
	return res.GetText()
}

func TestDecodesBackToTheURL(t *testing.T) {
	lines, err := Lines(signInURL)
	if err != nil {
		t.Fatal(err)
	}
	if got := decode(t, picture(t, lines, 4, 3)); got != signInURL {
		t.Fatalf("decoded %q, want %q", got, signInURL)
	}
}

// The sign-in URL's code fits a plain 80x24 terminal.
func TestFits80x24(t *testing.T) {
	lines, err := Lines(signInURL)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) > 23 {
		t.Errorf("%d lines: more than 23 leave no line of a 24-line terminal", len(lines))
	}
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Fatalf("line %d is %d columns wide", i, n)
		}
	}
}

func TestDrawHalfBlocks(t *testing.T) {
	// Rows: dark light / light dark; with one quiet module around: a
	// 4x4 square in two lines.
	m := [][]bool{{true, false}, {false, true}}
	got := strings.Join(Draw(m, 1), "|")
	if got != "█▀██|██▄█" {
		t.Fatalf("Draw = %q", got)
	}
}

func TestEmpty(t *testing.T) {
	if _, err := Lines(""); err == nil {
		t.Fatal("an empty text gave a code")
	}
}
