//go:build unix

package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
)

// quadrantJPEG is the album's cover: red top left, green top right, blue
// bottom left, white bottom right.
func quadrantJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 300))
	for y := range 300 {
		for x := range 300 {
			c := color.RGBA{255, 0, 0, 255}
			switch {
			case x >= 150 && y < 150:
				c = color.RGBA{0, 255, 0, 255}
			case x < 150 && y >= 150:
				c = color.RGBA{0, 0, 255, 255}
			case x >= 150 && y >= 150:
				c = color.RGBA{255, 255, 255, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withCover puts a cover image in /Music/Album.
func withCover(pic []byte) func(*pcloudtest.Options) {
	return func(o *pcloudtest.Options) {
		for _, d := range o.Root.Children {
			if d.Name != "Music" {
				continue
			}
			for _, a := range d.Children {
				if a.Name == "Album" {
					a.Children = append(a.Children, pcloudtest.ImageFile("Cover.JPG", pic))
				}
			}
		}
	}
}

// cell is one cell of a pane as `tmux capture-pane -e` gives it: its text
// and its foreground and background colours (nil: the default).
type cell struct {
	text   string
	fg, bg *color.RGBA
}

// xterm256 is the RGB of an xterm colour index.
func xterm256(n int) color.RGBA {
	basic := []color.RGBA{{0, 0, 0, 255}, {205, 0, 0, 255}, {0, 205, 0, 255}, {205, 205, 0, 255}, {0, 0, 238, 255}, {205, 0, 205, 255}, {0, 205, 205, 255}, {229, 229, 229, 255},
		{127, 127, 127, 255}, {255, 0, 0, 255}, {0, 255, 0, 255}, {255, 255, 0, 255}, {92, 92, 255, 255}, {255, 0, 255, 255}, {0, 255, 255, 255}, {255, 255, 255, 255}}
	switch {
	case n < 16:
		return basic[n]
	case n < 232:
		lv := []uint8{0, 95, 135, 175, 215, 255}
		n -= 16
		return color.RGBA{lv[n/36], lv[n/6%6], lv[n%6], 255}
	}
	g := uint8(8 + 10*(n-232))
	return color.RGBA{g, g, g, 255}
}

// cells reads `tmux capture-pane -e -p`'s lines into cells, following the
// SGR colour changes (38/48 with ;2;r;g;b or ;5;n, 30-37, 90-97, 39, 49,
// 0).
func cells(screen string) [][]cell {
	var rows [][]cell
	for _, line := range strings.Split(screen, "\n") {
		var row []cell
		var fg, bg *color.RGBA
		for i := 0; i < len(line); {
			if line[i] == 0x1b && i+1 < len(line) && line[i+1] == '[' {
				j := i + 2
				for j < len(line) && (line[j] < 0x40 || line[j] > 0x7e) {
					j++
				}
				if j < len(line) && line[j] == 'm' {
					p := strings.Split(line[i+2:j], ";")
					for k := 0; k < len(p); k++ {
						n, _ := strconv.Atoi(p[k])
						switch {
						case p[k] == "" || n == 0:
							fg, bg = nil, nil
						case (n == 38 || n == 48) && k+1 < len(p):
							var c color.RGBA
							if p[k+1] == "2" && k+4 < len(p) {
								r, _ := strconv.Atoi(p[k+2])
								g, _ := strconv.Atoi(p[k+3])
								b, _ := strconv.Atoi(p[k+4])
								c, k = color.RGBA{uint8(r), uint8(g), uint8(b), 255}, k+4
							} else if p[k+1] == "5" && k+2 < len(p) {
								x, _ := strconv.Atoi(p[k+2])
								c, k = xterm256(x), k+2
							}
							if n == 38 {
								fg = &c
							} else {
								bg = &c
							}
						case n >= 30 && n <= 37, n >= 90 && n <= 97:
							c := xterm256(n - 30)
							if n >= 90 {
								c = xterm256(n - 90 + 8)
							}
							fg = &c
						case n >= 40 && n <= 47:
							c := xterm256(n - 40)
							bg = &c
						case n == 39:
							fg = nil
						case n == 49:
							bg = nil
						}
					}
				}
				i = j + 1
				continue
			}
			r := []rune(line[i:])[0]
			row = append(row, cell{text: string(r), fg: fg, bg: bg})
			i += len(string(r))
		}
		rows = append(rows, row)
	}
	return rows
}

// nearest names the primary colour nearest to c.
func nearest(c *color.RGBA) string {
	if c == nil {
		return "default"
	}
	best, bestD := "", 1<<30
	for name, p := range map[string]color.RGBA{"red": {255, 0, 0, 255}, "green": {0, 255, 0, 255}, "blue": {0, 0, 255, 255}, "white": {255, 255, 255, 255}, "black": {0, 0, 0, 255}} {
		d := (int(c.R)-int(p.R))*(int(c.R)-int(p.R)) + (int(c.G)-int(p.G))*(int(c.G)-int(p.G)) + (int(c.B)-int(p.B))*(int(c.B)-int(p.B))
		if d < bestD {
			best, bestD = name, d
		}
	}
	return best
}

// quadrantsShown reports whether the pane shows the cover in half blocks
// in the top left 48x24 cells under the panel's title, each quadrant in
// its colour (both halves of each cell), and says what it saw.
func quadrantsShown(screen string) (bool, string) {
	rows := cells(screen)
	want := []struct {
		row, col int
		name     string
	}{{3, 5, "red"}, {3, 42, "green"}, {21, 5, "blue"}, {21, 42, "white"}}
	ok := true
	var saw []string
	for _, q := range want {
		if q.row >= len(rows) || q.col >= len(rows[q.row]) {
			return false, "no such cell"
		}
		c := rows[q.row][q.col]
		got := c.text + " " + nearest(c.fg) + "/" + nearest(c.bg)
		saw = append(saw, got)
		if c.text != "▀" || nearest(c.fg) != q.name || nearest(c.bg) != q.name {
			ok = false
		}
	}
	return ok, strings.Join(saw, ", ")
}

// Through the binary in tmux with the fake pCloud: with a cover image in
// the album's folder, i shows it in half blocks with the colours of the
// image in place; the cover is fetched once as a thumbnail at the size
// needed (and kept in the cache); i hides it again.
func TestTmuxCoverInHalfBlocks(t *testing.T) {
	pic := quadrantJPEG(t)
	w := newTmuxWorld(t, withCover(pic))
	w.saveSession()
	w.start("art")
	w.waitScreen("art", "a128")

	asked := time.Now()
	w.tmux("send-keys", "-t", "art", "i")
	w.waitScreen("art", "Now playing")
	var saw string
	if !poll.Eventually(patience, func() bool {
		out, _ := w.tmux("capture-pane", "-e", "-p", "-t", "art")
		var ok bool
		ok, saw = quadrantsShown(out)
		return ok
	}) {
		out, _ := w.tmux("capture-pane", "-e", "-p", "-t", "art")
		t.Fatalf("the cover never showed in place (saw %s); the pane:\n%q", saw, out)
	}
	t.Logf("figure: cover shown %v after i (cold cache, the binary in tmux)", time.Since(asked).Round(time.Millisecond))
	scr := w.screen("art")
	for _, s := range []string{"a128", "Paused  0:02", "Bitrate 128 kbit/s", "Next: b128"} {
		if !strings.Contains(scr, s) {
			t.Errorf("the panel lacks %q:\n%s", s, scr)
		}
	}

	// One thumbnail, of the cover image, at the size the panel needs.
	calls := w.srv.Calls("getthumblink")
	if len(calls) != 1 || calls[0].Params.Get("fileid") != strconv.FormatUint(w.srv.FileID("/Music/Album/Cover.JPG"), 10) || calls[0].Params.Get("size") != "64x64" {
		t.Errorf("getthumblink calls: %+v", calls)
	}
	ents, err := os.ReadDir(filepath.Join(w.home, "state", "pcplay", "covers"))
	if err != nil || len(ents) != 1 {
		t.Fatalf("cover cache: %v %v", ents, err)
	}
	if info, err := ents[0].Info(); err == nil {
		t.Logf("figure: %d bytes fetched for the cover (a 64x64 thumbnail), against %d for the original picture", info.Size(), len(pic))
	}

	// i again hides it: no half block is left on the screen.
	w.tmux("send-keys", "-t", "art", "i")
	if !poll.Eventually(patience, func() bool { return !strings.Contains(w.screen("art"), "▀") }) {
		t.Fatalf("the cover stayed after i:\n%s", w.screen("art"))
	}
	// A 40x12 terminal: the panel opens without breaking the layout (the
	// bar stays on the last three rows).
	w.tmux("resize-window", "-t", "art", "-x", "40", "-y", "12")
	w.tmux("send-keys", "-t", "art", "i")
	w.waitScreen("art", "Now playing")
	lines := strings.Split(strings.TrimRight(w.screen("art"), "\n"), "\n")
	if len(lines) != 12 || !strings.Contains(lines[9], "a128") {
		t.Errorf("at 40x12 the screen is:\n%s", strings.Join(lines, "\n"))
	}
}
