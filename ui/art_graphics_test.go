package ui

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi/kitty"

	"github.com/pcplay/pcplay/art"
	"github.com/pcplay/pcplay/player"
)

// rawOut runs cmd as the harness does, but keeps what goes to the
// terminal: tea.Raw's text and "CLEAR" for tea.ClearScreen.
func rawOut(h *harness, cmd tea.Cmd) []string {
	h.t.Helper()
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.RawMsg:
		return []string{msg.Msg.(string)}
	case tea.BatchMsg:
		var out []string
		for _, c := range msg {
			out = append(out, rawOut(h, c)...)
		}
		return out
	case deferredMsg:
		h.deferred[msg.kind] = msg.cmd
		return nil
	}
	if reflect.TypeOf(msg) == reflect.TypeOf(tea.ClearScreen()) {
		return []string{"CLEAR"}
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		var out []string
		for i := range v.Len() {
			out = append(out, rawOut(h, v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	nm, next := h.m.Update(msg)
	h.m = nm.(Model)
	return rawOut(h, next)
}

// sendRaw is send, returning what went to the terminal.
func sendRaw(h *harness, msg tea.Msg) []string {
	h.t.Helper()
	nm, cmd := h.m.Update(msg)
	h.m = nm.(Model)
	return rawOut(h, cmd)
}

func playAlpha(h *harness) player.Status {
	a := player.Track{FileID: 7, Name: "a.mp3", Title: "Alpha"}
	st := player.Status{State: player.Playing, Index: 0, Track: a, Duration: time.Minute, Bitrate: 128, QueueGen: 1}
	h.status(st, []player.Track{a})
	return st
}

// art = kitty: the picture is written once, placed over the cover's cells
// (row 2, column 1) with the cursor kept, whatever the reports that come;
// a resize places it again; i deletes it.
func TestKittyPictureSentOnce(t *testing.T) {
	fc := &fakeCovers{pic: quadrantPNG(t)}
	h := newHarness(t, Options{Covers: fc, Art: "kitty"}, 100, 30)
	st := playAlpha(h)
	out := sendRaw(h, press("i"))
	if len(out) != 1 || !strings.HasPrefix(out[0], "\x1b7\x1b[2;1H\x1b_G") || !strings.Contains(out[0], "i=4242") || !strings.Contains(out[0], "a=T") || !strings.HasSuffix(out[0], "\x1b8") {
		t.Fatalf("i wrote %q", trimAll(out))
	}
	if strings.Contains(h.m.View().Content, "▀") {
		t.Error("half blocks drawn under a kitty picture")
	}
	for range 5 {
		st.Position += time.Second
		h.p.ch <- st
		if got := rawOut(h, h.deferred["status"]); len(got) != 0 {
			t.Fatalf("a report wrote %q", trimAll(got))
		}
	}
	out = sendRaw(h, tea.WindowSizeMsg{Width: 60, Height: 30})
	if len(out) != 2 || !strings.Contains(out[0], "a=d") || !strings.Contains(out[1], "a=T") {
		t.Fatalf("resize wrote %q", trimAll(out))
	}
	out = sendRaw(h, press("i"))
	if len(out) != 1 || out[0] != art.KittyDelete(kittyImageID) {
		t.Fatalf("closing wrote %q", trimAll(out))
	}
	if out := sendRaw(h, press("i")); len(out) != 1 {
		t.Fatalf("opening again wrote %q", trimAll(out))
	}
	// The help over the panel: the picture goes.
	if out := sendRaw(h, press("?")); len(out) != 1 || !strings.Contains(out[0], "a=d") {
		t.Fatalf("help wrote %q", trimAll(out))
	}
}

// art = sixel: the picture is written at its place; closing draws the
// screen again whole (the sixel pixels go with it).
func TestSixelPictureAndClear(t *testing.T) {
	fc := &fakeCovers{pic: quadrantPNG(t)}
	h := newHarness(t, Options{Covers: fc, Art: "sixel"}, 100, 30)
	playAlpha(h)
	out := sendRaw(h, press("i"))
	if len(out) != 1 || !strings.HasPrefix(out[0], "\x1b7\x1b[2;1H\x1bP0;1q") {
		t.Fatalf("i wrote %q", trimAll(out))
	}
	if out := sendRaw(h, press("esc")); len(out) != 1 || out[0] != "CLEAR" {
		t.Fatalf("closing wrote %q", trimAll(out))
	}
}

// A sixel picture is as many pixels as it says: with the terminal's pixel
// size known (8x16 cells here) the cover is drawn at that size, not at the
// assumed 10x20 that spilled over the text beside it; a new pixel size
// draws it again.
func TestSixelFollowsTheCellSize(t *testing.T) {
	raster := regexp.MustCompile(`q"1;1;(\d+);(\d+)`)
	size := func(pixels *uv.PixelSizeEvent) (w, h int) {
		fc := &fakeCovers{pic: quadrantPNG(t)}
		hs := newHarness(t, Options{Covers: fc, Art: "sixel"}, 100, 30)
		if pixels != nil {
			sendRaw(hs, *pixels)
		}
		playAlpha(hs)
		out := sendRaw(hs, press("i"))
		if len(out) != 1 {
			t.Fatalf("i wrote %q", trimAll(out))
		}
		m := raster.FindStringSubmatch(out[0])
		if m == nil {
			t.Fatalf("no sixel raster attributes in %q", trimAll(out))
		}
		w, _ = strconv.Atoi(m[1])
		h, _ = strconv.Atoi(m[2])
		if pixels != nil {
			if again := sendRaw(hs, uv.PixelSizeEvent{Width: 1000, Height: 600}); len(again) == 0 {
				t.Error("a new pixel size did not draw the picture again")
			}
		}
		return w, h
	}
	w0, h0 := size(nil)
	w, h := size(&uv.PixelSizeEvent{Width: 800, Height: 480})
	cols, rows := w0/10, (h0+19)/20 // the assumed cell; the height is cut to a multiple of 6
	if w != cols*8 || h > rows*16 || h < rows*16-6 || h%6 != 0 {
		t.Fatalf("with 8x16 cells the picture is %dx%d pixels, want %d wide and about %d high (at 10x20: %dx%d)", w, h, cols*8, rows*16, w0, h0)
	}
}

// Inside tmux with passthrough, kitty uses placeholders: the cells are in
// the view, the image goes once through tmux's passthrough.
func TestKittyPlaceholdersInTmux(t *testing.T) {
	fc := &fakeCovers{pic: quadrantPNG(t)}
	h := newHarness(t, Options{Covers: fc, Art: "kitty", ArtEnv: art.Env{Tmux: true, Passthrough: true}}, 100, 30)
	playAlpha(h)
	out := sendRaw(h, press("i"))
	if len(out) != 1 || !strings.HasPrefix(out[0], "\x1bPtmux;\x1b\x1b_G") || !strings.Contains(out[0], "U=1") {
		t.Fatalf("i wrote %q", trimAll(out))
	}
	if v := h.m.View().Content; !strings.Contains(v, string(kitty.Placeholder)) {
		t.Error("no placeholder cells in the view")
	}
}

// art = auto asks the terminal, then draws as its answers say; no answer
// within the wait: half blocks.
func TestArtAutoDetection(t *testing.T) {
	fc := &fakeCovers{pic: quadrantPNG(t)}
	h := newHarness(t, Options{Covers: fc}, 100, 30)
	if _, ok := h.deferred["art"]; !ok {
		t.Fatal("no wait for the terminal's answers")
	}
	h.send(uv.KittyGraphicsEvent{Options: kitty.Options{ID: 31}, Payload: []byte("OK")})
	h.send(uv.PrimaryDeviceAttributesEvent{62, 22})
	if p := h.m.s.np.gfx.choice.Protocol; p != art.Kitty {
		t.Fatalf("after kitty's answers: %v", p)
	}
	playAlpha(h)
	if out := sendRaw(h, press("i")); len(out) != 1 || !strings.Contains(out[0], "a=T") {
		t.Fatalf("i wrote %q", trimAll(out))
	}
	if fc.asks[0] != 7 {
		t.Fatal(fc.asks)
	}

	h2 := newHarness(t, Options{Covers: fc}, 100, 30)
	h2.fire("art") // nothing came
	if p := h2.m.s.np.gfx.choice.Protocol; p != art.HalfBlocks {
		t.Fatalf("after no answer: %v", p)
	}
	playAlpha(h2)
	if out := sendRaw(h2, press("i")); len(out) != 0 {
		t.Fatalf("half blocks wrote %q", trimAll(out))
	}
	if !strings.Contains(h2.m.View().Content, "▀") {
		t.Error("no half blocks")
	}
}

func trimAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		if len(x) > 80 {
			x = x[:40] + "…" + x[len(x)-30:]
		}
		out[i] = x
	}
	return out
}
