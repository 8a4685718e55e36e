// Package qrterm draws a QR code in a terminal with half-block characters
// (▀ ▄ █ and space), two rows of modules per line of text, so that a URL of
// about 140 characters fits an 80x24 terminal and works over SSH.
//
// The encoding is github.com/skip2/go-qrcode's; this package only lays the
// module matrix out as text.
package qrterm

import (
	"errors"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// Quiet is the quiet zone drawn around the code, in modules. The standard
// asks for 4; 2 is what keeps a 41-module code within 23 lines, and phone
// cameras read it (the test decodes it back with the same margin).
const Quiet = 2

// Lines encodes text as a QR code (error correction level L, the smallest
// code) and returns it as lines of half-block characters. Light modules,
// the quiet zone included, are drawn with the block characters and dark
// modules are spaces: on the usual light-on-dark terminal the code shows
// dark on light, as a camera expects.
func Lines(text string) ([]string, error) {
	if text == "" {
		return nil, errors.New("qrterm: nothing to encode")
	}
	q, err := qrcode.New(text, qrcode.Low)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	return Draw(q.Bitmap(), Quiet), nil
}

// Draw lays a module matrix (true = dark) out as half-block lines with a
// light margin of quiet modules on each side.
func Draw(m [][]bool, quiet int) []string {
	n := len(m)
	size := n + 2*quiet
	dark := func(r, c int) bool {
		r, c = r-quiet, c-quiet
		if r < 0 || c < 0 || r >= n || c >= len(m[r]) {
			return false
		}
		return m[r][c]
	}
	var lines []string
	for r := 0; r < size; r += 2 {
		var b strings.Builder
		for c := 0; c < size; c++ {
			top := !dark(r, c)
			bottom := r+1 < size && !dark(r+1, c)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		lines = append(lines, b.String())
	}
	return lines
}

// String is [Lines] joined with newlines (and a final newline).
func String(text string) (string, error) {
	lines, err := Lines(text)
	if err != nil {
		return "", err
	}
	return strings.Join(lines, "\n") + "\n", nil
}
