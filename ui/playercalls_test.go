package ui

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

// TestPlayerCallsKeepKeyOrder: bubbletea runs Cmds concurrently and in no
// set order; the player still gets the calls in the order of the keys.
func TestPlayerCallsKeepKeyOrder(t *testing.T) {
	p := newRecPlayer()
	p.st = p.Status()
	p.st.Volume = 50
	m := New(Options{Player: p})
	deferWaits(m)
	t.Cleanup(m.Close)
	m.Update(tea_ws(80, 24))
	m.Update(statusMsg{st: p.st})
	keys := []string{"right", "+", "shift+left", "-", "left", "+", "n", "shift+right", "p", "space"}
	var want []string
	vol := 50
	var cmds []tea.Cmd
	for range 5 {
		for _, k := range keys {
			switch k {
			case "+":
				vol += volumeStep
				want = append(want, fmt.Sprintf("SetVolume(%d)", vol))
			case "-":
				vol -= volumeStep
				want = append(want, fmt.Sprintf("SetVolume(%d)", vol))
			case "right":
				want = append(want, "SeekBy(5s)")
			case "left":
				want = append(want, "SeekBy(-5s)")
			case "shift+left":
				want = append(want, "SeekBy(-30s)")
			case "shift+right":
				want = append(want, "SeekBy(30s)")
			case "n":
				want = append(want, "Next")
			case "p":
				want = append(want, "Prev")
			case "space":
				want = append(want, "Toggle")
			}
			_, c := m.Update(press(k))
			if c == nil {
				t.Fatalf("%s gave no command", k)
			}
			cmds = append(cmds, c)
		}
	}
	if got := p.take(); len(got) != 0 {
		t.Fatalf("Update called the player itself: %q", got)
	}
	// Run the last Cmd first, the others at once.
	var wg sync.WaitGroup
	for i := len(cmds) - 1; i >= 0; i-- {
		wg.Go(func() { runAll(cmds[i]) })
	}
	wg.Wait()
	if got := p.take(); !slices.Equal(got, want) {
		t.Fatalf("calls\n%q\nwant\n%q", got, want)
	}
}

// TestStaleStatusKeepsAskedSettings: a Status the player sent before it
// took a call does not put the old volume (or shuffle) back, so quick keys
// step from what was asked; once askedFor has passed, the player's reports
// count again.
func TestStaleStatusKeepsAskedSettings(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	h.m.s.bar.now = func() time.Time { return now }
	st := player.Status{State: player.Playing, Index: -1, Volume: 70, Bitrate: 192}
	h.status(st, nil)
	h.p.take()
	h.keys("+")
	h.status(st, nil) // read before the player took SetVolume(75)
	h.keys("+", "+", "s")
	h.status(st, nil)
	h.keys("s")
	want := []string{"SetVolume(75)", "SetVolume(80)", "SetVolume(85)", "SetShuffle(true)", "SetShuffle(false)"}
	if got := h.p.take(); !slices.Equal(got, want) {
		t.Fatalf("calls %q, want %q", got, want)
	}
	if v := h.m.s.bar.st.Volume; v != 85 {
		t.Fatalf("volume shown %d, want 85", v)
	}
	st.Volume = 75
	h.status(st, nil) // reports lagging behind the calls
	if v := h.m.s.bar.st.Volume; v != 85 {
		t.Fatalf("volume shown %d after a lagging report, want 85", v)
	}
	now = now.Add(askedFor)
	st.Volume = 60
	h.status(st, nil) // changed elsewhere (pcplay ctl vol 60)
	if v := h.m.s.bar.st.Volume; v != 60 {
		t.Fatalf("volume shown %d after the player reported 60", v)
	}
}
