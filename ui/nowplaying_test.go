package ui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/pcplay/pcplay/player"
)

// fakeCovers serves one picture for every file and counts the asks.
type fakeCovers struct {
	mu   sync.Mutex
	pic  []byte
	asks []uint64
}

func (f *fakeCovers) Cover(ctx context.Context, id uint64, px int) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asks = append(f.asks, id)
	return f.pic, nil
}

// quadrantPNG: red top left, green top right, blue bottom left, white
// bottom right.
func quadrantPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			c := color.RGBA{255, 0, 0, 255}
			switch {
			case x >= 32 && y < 32:
				c = color.RGBA{0, 255, 0, 255}
			case x < 32 && y >= 32:
				c = color.RGBA{0, 0, 255, 255}
			case x >= 32 && y >= 32:
				c = color.RGBA{255, 255, 255, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// i opens the panel: the cover in half blocks with its colours in place
// beside the title, artist, album, bitrate, position and the next track;
// the cover is asked once per track however many reports come; i closes
// it.
func TestNowPlayingPanel(t *testing.T) {
	fc := &fakeCovers{pic: quadrantPNG(t)}
	h := newHarness(t, Options{Covers: fc}, 100, 30)
	a := player.Track{FileID: 7, Name: "a.mp3", Title: "Alpha", Artist: "The Band", Album: "First", TrackNo: 3}
	b := player.Track{FileID: 8, Name: "b.mp3", Title: "Beta", Artist: "The Band"}
	st := player.Status{State: player.Playing, Index: 0, Track: a, Position: 65 * time.Second, Duration: 200 * time.Second, Bitrate: 192, Volume: 70, QueueGen: 1}
	h.status(st, []player.Track{a, b})
	if len(fc.asks) != 0 {
		t.Fatalf("a cover asked with the panel closed: %v", fc.asks)
	}
	h.keys("i")
	wantScreen(t, h, "Now playing", "Alpha", "Artist The Band", "Album  First", "Track  3", "1:05 / 3:20", "Bitrate 192 kbit/s", "Next: The Band – Beta")
	for range 5 {
		st.Position += time.Second
		h.status(st, nil)
	}
	if len(fc.asks) != 1 || fc.asks[0] != 7 {
		t.Fatalf("covers asked %v, want [7] once", fc.asks)
	}
	view := h.m.View().Content
	lines := strings.Split(view, "\n")
	// Row 1 holds the cover's top: red cells then green ones.
	top, bottom := lines[1], lines[coverMaxRows]
	red, green := "38;2;255;0;0", "38;2;0;255;0"
	if !strings.Contains(top, red) || !strings.Contains(top, green) || strings.Index(top, red) > strings.Index(top, green) {
		t.Errorf("the cover's top row is not red then green: %q", top)
	}
	blue, white := "38;2;0;0;255", "38;2;255;255;255"
	if !strings.Contains(bottom, blue) || !strings.Contains(bottom, white) || strings.Index(bottom, blue) > strings.Index(bottom, white) {
		t.Errorf("the cover's bottom row is not blue then white: %q", bottom)
	}
	// The next track: its cover is asked for once.
	st.Index, st.Track, st.Position = 1, b, 0
	h.status(st, nil)
	if len(fc.asks) != 2 || fc.asks[1] != 8 {
		t.Fatalf("covers asked %v", fc.asks)
	}
	wantScreen(t, h, "Beta", "Next: nothing")
	h.keys("i")
	if sc := noStyle(h.m); strings.Contains(sc, "Now playing") || strings.Contains(h.m.View().Content, "▀") {
		t.Fatalf("the panel stayed:\n%s", sc)
	}
	// Closed: a new track asks nothing.
	st.Index, st.Track = 0, a
	h.status(st, nil)
	if len(fc.asks) != 2 {
		t.Errorf("asked with the panel closed: %v", fc.asks)
	}
}

// Every size keeps the layout: each line exactly the terminal's width, no
// more lines than its height, at any size down to the smallest, the cover
// beside, above or left out.
func TestNowPlayingLayout(t *testing.T) {
	fc := &fakeCovers{pic: quadrantPNG(t)}
	h := newHarness(t, Options{Covers: fc}, 100, 30)
	a := player.Track{FileID: 7, Name: "a.mp3", Title: strings.Repeat("Very long title ", 10), Artist: "The Band"}
	h.status(player.Status{State: player.Playing, Index: 0, Track: a, Duration: time.Minute, Bitrate: 128, QueueGen: 1}, []player.Track{a})
	h.keys("i")
	for _, sz := range [][2]int{{100, 30}, {30, 8}, {31, 40}, {40, 12}, {60, 20}, {200, 60}, {2, 2}, {MinWidth, MinHeight}} {
		h.send(sizeMsg(sz[0], sz[1]))
		lines := strings.Split(h.m.View().Content, "\n")
		if len(lines) > sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > sz[0] || (sz[0] >= MinWidth && sz[1] >= MinHeight && w != sz[0]) {
				t.Errorf("%dx%d: line %d is %d wide: %q", sz[0], sz[1], i, w, l)
			}
		}
	}
}

// art = off: no cover is asked for.
func TestNowPlayingArtOff(t *testing.T) {
	fc := &fakeCovers{pic: quadrantPNG(t)}
	h := newHarness(t, Options{Covers: fc, Art: "off"}, 100, 30)
	a := player.Track{FileID: 7, Name: "a.mp3"}
	h.status(player.Status{State: player.Playing, Index: 0, Track: a, QueueGen: 1}, []player.Track{a})
	h.keys("i")
	wantScreen(t, h, "Now playing", "▶ Playing", "art = off")
	if len(fc.asks) != 0 {
		t.Errorf("asked %v", fc.asks)
	}
}

func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
