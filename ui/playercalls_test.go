package ui

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestPlayerCallsKeepKeyOrder: bubbletea runs Cmds concurrently and in no
// set order; the player still gets the calls in the order of the keys.
func TestPlayerCallsKeepKeyOrder(t *testing.T) {
	p := newRecPlayer()
	p.st = p.Status()
	p.st.Volume = 50
	m := New(Options{Player: p})
	m.s.e.deferBlocking = true
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
