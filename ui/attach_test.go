package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/pcplay/pcplay/player"
)

// goneEngine is a recPlayer whose process can go away (a [Reattacher]).
type goneEngine struct {
	*recPlayer
	mu       sync.Mutex
	lost     bool
	reattach int
	failWith error
}

func (p *goneEngine) Lost() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lost
}

func (p *goneEngine) Reattach(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reattach++
	if p.failWith != nil {
		return p.failWith
	}
	p.lost = false
	return nil
}

func (p *goneEngine) setLost(v bool) {
	p.mu.Lock()
	p.lost = v
	p.mu.Unlock()
}

// The engine goes away under an attached UI: the status line says so once
// (the footer no longer says the music plays on), the play keys do
// nothing, and the next key reattaches; the status comes back.
func TestEngineLostAndReattached(t *testing.T) {
	lp := &goneEngine{recPlayer: newRecPlayer()}
	h, _ := browse(t, 100, 24, Options{Player: lp, Detach: true})
	h.p = lp.recPlayer
	tr := player.Track{FileID: 9, Name: "x.mp3"}
	h.status(player.Status{State: player.Playing, Index: 0, Track: tr, Volume: 70}, []player.Track{tr})
	wantScreen(t, h, "leave (music keeps playing)")

	lp.setLost(true)
	h.status(player.Status{State: player.Stopped, Index: 0, Track: tr, Err: "Lost the connection to the pcplay engine."}, nil)
	scr := noStyle(h.m)
	if strings.Count(scr, engineLostText) != 1 || strings.Contains(scr, "Lost the connection") || strings.Contains(scr, "Playing") {
		t.Fatalf("after the engine went away:\n%s", scr)
	}
	if _, ok := h.deferred["status"]; ok {
		t.Error("still reading the lost player's statuses")
	}

	// The first key restarts the engine; it does not act.
	lp.failWith = errors.New("the pcplay engine did not start: no sound device")
	h.keys("space")
	wantCalls(t, h.p)
	if lp.reattach != 1 || !strings.Contains(noStyle(h.m), "The pcplay engine did not start: no sound device; press any key to try again.") {
		t.Fatalf("reattach %d; screen:\n%s", lp.reattach, noStyle(h.m))
	}
	lp.failWith = nil
	lp.recPlayer.st = player.Status{State: player.Paused, Index: 0, Track: tr, Volume: 70}
	h.keys("j")
	if lp.reattach != 2 || lp.Lost() {
		t.Fatalf("reattach %d lost %v", lp.reattach, lp.Lost())
	}
	wantScreen(t, h, "The pcplay engine runs again.")
	wantScreen(t, h, "Paused")
	if _, ok := h.deferred["status"]; !ok {
		t.Error("not subscribed again after the reattach")
	}
	h.keys("space")
	wantCalls(t, h.p, "Toggle")
	h.keys("q")
	if msg := h.m.QuitMessage(); msg != "pcplay: the engine keeps running, paused (pcplay stop ends it)" {
		t.Errorf("quit message %q", msg)
	}
}

// Leaving with the engine gone says nothing about music playing.
func TestQuitWithTheEngineLost(t *testing.T) {
	lp := &goneEngine{recPlayer: newRecPlayer()}
	h, _ := browse(t, 100, 24, Options{Player: lp, Detach: true})
	h.p = lp.recPlayer
	lp.setLost(true)
	h.status(player.Status{State: player.Stopped, Index: 0, Track: player.Track{FileID: 9, Name: "x.mp3"}}, nil)
	if got := plainView(h.m); strings.Contains(got, "music keeps playing") {
		t.Errorf("the footer still says the music keeps playing:\n%s", got)
	}
	h.keys("q")
	if !h.quit || h.m.QuitMessage() != "" || lp.reattach != 0 {
		t.Errorf("quit %v, message %q, reattach %d", h.quit, h.m.QuitMessage(), lp.reattach)
	}
}

// What q and Q say as they leave.
func TestQuitMessages(t *testing.T) {
	tr := player.Track{FileID: 9, Name: "x.mp3"}
	for _, c := range []struct {
		st     player.Status
		key    string
		detach bool
		want   string
	}{
		{player.Status{State: player.Playing, Index: 0, Track: tr}, "q", true, "pcplay: the music keeps playing (pcplay stop ends it)"},
		{player.Status{State: player.Stopped, Index: -1}, "q", true, "pcplay: the engine keeps running; nothing is playing (pcplay stop ends it)"},
		{player.Status{State: player.Playing, Index: 0, Track: tr}, "Q", true, "pcplay: stopped."},
		{player.Status{State: player.Playing, Index: 0, Track: tr}, "Q", false, "pcplay: stopped."},
		{player.Status{State: player.Playing, Index: 0, Track: tr}, "q", false, ""},
	} {
		h, _ := browse(t, 100, 24, Options{Detach: c.detach})
		h.status(c.st, nil)
		h.keys(c.key)
		if got := h.m.QuitMessage(); got != c.want {
			t.Errorf("%s, %v, detach %v: %q, want %q", c.key, c.st.State, c.detach, got, c.want)
		}
	}
}

// A message goes at the next key (or its timer); the reason of a failed
// track stays while the player is in the error state.
func TestStatusLineMessages(t *testing.T) {
	h, _ := browse(t, 100, 24, Options{})
	h.keys("s")
	wantScreen(t, h, "Shuffle on")
	h.keys("j")
	if strings.Contains(noStyle(h.m), "Shuffle on") {
		t.Error("the message stayed after the next key")
	}
	tr := player.Track{FileID: 9, Name: "x.mp3"}
	h.status(player.Status{State: player.Errored, Index: 0, Track: tr, Err: "Could not play x.mp3: not an MP3 file."}, nil)
	h.fire("clear")
	h.keys("j")
	wantScreen(t, h, "✗ Could not play x.mp3: not an MP3 file.")
	h.status(player.Status{State: player.Playing, Index: 0, Track: tr}, nil)
	if strings.Contains(noStyle(h.m), "not an MP3") {
		t.Error("the reason stayed after the error state ended")
	}
}
