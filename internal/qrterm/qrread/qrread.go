// Package qrread reads back a QR code drawn with half blocks: the tests'
// check that what pcplay draws is the code of the text it means. It is for
// tests only; pcplay itself never imports it.
package qrread

import (
	"errors"
	"image"
	"image/color"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// Modules turns half-block lines back into the code's modules (true =
// dark), the quiet zone cut off: a block is two light modules, ▀ light
// over dark, ▄ dark over light, a space two dark ones; the code is the
// smallest box holding every dark module (its finder patterns sit in three
// corners).
func Modules(lines []string) [][]bool {
	var grid [][]bool
	for _, l := range lines {
		top, bottom := []bool{}, []bool{}
		for _, r := range l {
			top = append(top, r != '█' && r != '▀')
			bottom = append(bottom, r != '█' && r != '▄')
		}
		grid = append(grid, top, bottom)
	}
	// A code of an odd number of rows leaves the last half line unlit: a
	// row with no light module is not part of the drawing.
	for len(grid) > 0 && !slices.Contains(grid[len(grid)-1], false) {
		grid = grid[:len(grid)-1]
	}
	r0, r1, c0, c1 := len(grid), -1, 1<<30, -1
	for r, row := range grid {
		for c, dark := range row {
			if dark {
				r0, r1, c0, c1 = min(r0, r), max(r1, r), min(c0, c), max(c1, c)
			}
		}
	}
	if r1 < 0 {
		return nil
	}
	out := make([][]bool, 0, r1-r0+1)
	for r := r0; r <= r1; r++ {
		row := make([]bool, c1-c0+1)
		for c := c0; c <= c1 && c < len(grid[r]); c++ {
			row[c-c0] = grid[r][c]
		}
		out = append(out, row)
	}
	return out
}

// Decode reads the text of the code drawn in lines, module by module (the
// screen is text, so nothing has to be guessed from pixels).
func Decode(lines []string) (string, error) {
	m := Modules(lines)
	if len(m) == 0 || len(m) != len(m[0]) {
		return "", errors.New("qrread: no square code in the lines")
	}
	res, err := decoder.NewDecoder().DecodeBoolMapWithoutHint(m)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// Picture renders half-block lines as a terminal shows them: scale pixels
// a module, light where a block is, dark elsewhere, with a dark margin of
// margin modules standing for the rest of the terminal.
func Picture(lines []string, scale, margin int) image.Image {
	cols := 0
	for _, l := range lines {
		cols = max(cols, utf8.RuneCountInString(l))
	}
	img := image.NewGray(image.Rect(0, 0, (cols+2*margin)*scale, (2*len(lines)+2*margin)*scale))
	light := func(row, col int) {
		for y := range scale {
			for x := range scale {
				img.SetGray((col+margin)*scale+x, (row+margin)*scale+y, color.Gray{Y: 255})
			}
		}
	}
	for i, l := range lines {
		c := 0
		for _, r := range l {
			if r == '█' || r == '▀' {
				light(2*i, c)
			}
			if r == '█' || r == '▄' {
				light(2*i+1, c)
			}
			c++
		}
	}
	return img
}

// Scan reads a picture the way a camera app does, finding the code in the
// pixels (gozxing's detector, which misses a valid code now and then: use
// it on a fixed code, Decode on random ones).
func Scan(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// FromScreen picks the QR code's lines out of a screen: the runs of
// half-block characters at the start of its lines that are at least
// minCols wide (text beside the code ends a run).
func FromScreen(screen string, minCols int) []string {
	var out []string
	for _, line := range strings.Split(screen, "\n") {
		rs := []rune(line)
		n := 0
		for n < len(rs) && strings.ContainsRune("█▀▄ ", rs[n]) {
			n++
		}
		if run := strings.TrimRight(string(rs[:n]), " "); utf8.RuneCountInString(run) >= minCols {
			out = append(out, run)
		}
	}
	return out
}
