package art

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// quadrants is the known picture of the golden tests: 8x8 pixels, red top
// left, green top right, blue bottom left, white bottom right.
func quadrants() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for y := range 8 {
		for x := range 8 {
			c := color.RGBA{255, 0, 0, 255}
			switch {
			case x >= 4 && y < 4:
				c = color.RGBA{0, 255, 0, 255}
			case x < 4 && y >= 4:
				c = color.RGBA{0, 0, 255, 255}
			case x >= 4 && y >= 4:
				c = color.RGBA{255, 255, 255, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./art -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s: the sequence differs from %s:\ngot  %q\nwant %q", name, path, got, want)
	}
}

// The golden files hold the exact bytes written to the terminal for the
// quadrants picture in 4x2 cells.
func TestGoldenSequences(t *testing.T) {
	img := quadrants()
	transmit, cells := KittyPlaceholder(img, 4, 2, 7)
	for name, got := range map[string]string{
		"blocks-truecolor":  strings.Join(Blocks(img, 4, 2, true), "\n"),
		"blocks-256":        strings.Join(Blocks(img, 4, 2, false), "\n"),
		"kitty-direct":      KittyDirect(img, 4, 2, 7),
		"kitty-placeholder": transmit + "\n" + strings.Join(cells, "\n"),
		"kitty-delete":      KittyDelete(7),
		"sixel":             Sixel(img, 4, 2, Cell),
		"iterm2":            ITerm2(img, 4, 2),
		"tmux-wrapped":      TmuxWrap(KittyDelete(7)),
	} {
		t.Run(name, func(t *testing.T) { golden(t, name, got) })
	}
}

// nearest names the primary colour nearest to an SGR truecolor triple.
func nearest(r, g, b int) string {
	names := map[string][3]int{"red": {255, 0, 0}, "green": {0, 255, 0}, "blue": {0, 0, 255}, "white": {255, 255, 255}, "black": {0, 0, 0}}
	best, bestD := "", 1<<30
	for n, c := range names {
		if d := dist(r, g, b, c[0], c[1], c[2]); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// CellColours reads back the (foreground, background) colour names of each
// cell of Blocks' truecolor lines.
func cellColours(t *testing.T, lines []string) [][2]string {
	t.Helper()
	var out [][2]string
	for _, l := range lines {
		var fg, bg string
		for _, part := range strings.Split(l, "\x1b[") {
			params, text, _ := strings.Cut(part, "m")
			f := strings.Split(params, ";")
			for i := 0; i+4 < len(f); i++ {
				if f[i+1] != "2" {
					continue
				}
				var c [3]int
				for k := range 3 {
					fmt.Sscan(f[i+2+k], &c[k])
				}
				switch f[i] {
				case "38":
					fg = nearest(c[0], c[1], c[2])
				case "48":
					bg = nearest(c[0], c[1], c[2])
				}
			}
			for range strings.Count(text, "▀") {
				out = append(out, [2]string{fg, bg})
			}
		}
	}
	return out
}

// The half blocks carry the picture's colours in place: the top row of
// cells is red then green (upper and lower pixels), the bottom row blue
// then white.
func TestBlocksColoursInPlace(t *testing.T) {
	lines := Blocks(quadrants(), 2, 2, true)
	got := cellColours(t, lines)
	want := [][2]string{{"red", "red"}, {"green", "green"}, {"blue", "blue"}, {"white", "white"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("cells %v, want %v (lines %q)", got, want, lines)
	}
	if got := Blocks(quadrants(), 0, 3, true); got != nil {
		t.Errorf("no columns: %q, want nothing", got)
	}
	for _, l := range Blocks(quadrants(), 5, 3, false) {
		if w := strings.Count(l, "▀"); w != 5 {
			t.Errorf("line %q has %d cells, want 5", l, w)
		}
	}
}

func TestXterm256(t *testing.T) {
	for c, want := range map[color.RGBA]int{
		{255, 0, 0, 255}:     196,
		{0, 255, 0, 255}:     46,
		{0, 0, 255, 255}:     21,
		{255, 255, 255, 255}: 231,
		{0, 0, 0, 255}:       16,
		{128, 128, 128, 255}: 244,
	} {
		if got := Xterm256(c); got != want {
			t.Errorf("Xterm256(%v) = %d, want %d", c, got, want)
		}
	}
}

// The kitty payload is a PNG of the cell size in pixels that decodes back
// to the picture's colours.
func TestKittyPayloadIsThePicture(t *testing.T) {
	seq := KittyDirect(quadrants(), 4, 2, 7)
	var b64 strings.Builder
	for _, part := range strings.Split(seq, "\x1b\\") {
		if _, data, ok := strings.Cut(part, ";"); ok {
			b64.WriteString(data)
		}
	}
	raw, err := base64.StdEncoding.DecodeString(b64.String())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 4*Cell.X || b.Dy() != 2*Cell.Y {
		t.Fatalf("payload is %v, want %dx%d", b, 4*Cell.X, 2*Cell.Y)
	}
	r, g, bl, _ := img.At(1, 1).RGBA()
	if r>>8 != 255 || g != 0 || bl != 0 {
		t.Errorf("top left pixel %v, want red", img.At(1, 1))
	}
	if !strings.HasPrefix(seq, "\x1b_Gf=100,q=2,i=7,C=1,c=4,r=2,a=T") {
		t.Errorf("kitty direct starts %q", seq[:min(len(seq), 60)])
	}
}

func TestDecode(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, quadrants()); err != nil {
		t.Fatal(err)
	}
	img, err := Decode(b.Bytes())
	if err != nil || img.Bounds().Dx() != 8 {
		t.Fatalf("Decode = %v, %v", img, err)
	}
	for _, bad := range [][]byte{nil, []byte("not a picture"), b.Bytes()[:40]} {
		if _, err := Decode(bad); err == nil {
			t.Errorf("Decode(%q...) = nil error", bad[:min(len(bad), 10)])
		}
	}
	// A PNG header that claims 100000x100000 pixels is refused before
	// decoding.
	huge := append([]byte(nil), b.Bytes()...)
	copy(huge[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(huge[29:33], crc32.ChecksumIEEE(huge[12:29]))
	if _, err := Decode(huge); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("huge picture: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	var b bytes.Buffer
	_ = png.Encode(&b, quadrants())
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		if img, err := Decode(data); err == nil {
			_ = Blocks(img, 3, 2, false)
		}
	})
}
