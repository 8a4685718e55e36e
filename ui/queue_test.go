package ui

import (
	"strings"
	"testing"

	"github.com/pcplay/pcplay/player"
)

func TestQueuePane(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	q := []player.Track{{FileID: 1, Name: "a.mp3", Artist: "X", Title: "A"}, {FileID: 2, Name: "b.mp3"}, {FileID: 3, Name: "c.mp3"}}
	h.status(player.Status{State: player.Playing, Index: 1, Track: q[1], Volume: 70, QueueGen: 1}, q)
	h.keys("tab")
	wantScreen(t, h, "Queue", "3 tracks", "▶ 2. b ", "X – A") // untagged: named as the library titles it
	h.keys("enter")                                           // the cursor followed the playing track
	wantCalls(t, h.p, "PlayIndex(1)")
	h.keys("G", "d")
	wantCalls(t, h.p, "Remove(2)")
	h.keys("delete")
	wantCalls(t, h.p, "Remove(2)")
	// The player removes it; the queue arrives with a new generation.
	h.status(player.Status{State: player.Playing, Index: 1, Track: q[1], Volume: 70, QueueGen: 2}, q[:2])
	if h.m.s.queue.list.Len() != 2 || h.m.s.queue.list.selected() != 1 {
		t.Fatalf("queue rows %d, cursor %d", h.m.s.queue.list.Len(), h.m.s.queue.list.selected())
	}
	// Same generation: the queue isn't read again.
	h.p.mu.Lock()
	h.p.queue = nil
	h.p.mu.Unlock()
	h.status(player.Status{State: player.Paused, Index: 1, Track: q[1], QueueGen: 2}, nil)
	if len(h.m.s.queue.tracks) != 2 {
		t.Fatal("queue re-read without a new generation")
	}
	// Browser keys don't act in the queue pane.
	h.keys("a", "h", "R")
	wantCalls(t, h.p)
	h.keys("/")
	h.typeText("x")
	if h.m.s.queue.list.Len() != 1 {
		t.Fatalf("queue filter: %d rows", h.m.s.queue.list.Len())
	}
	h.keys("enter", "enter")
	wantCalls(t, h.p, "PlayIndex(0)")
	h.keys("tab")
	if h.m.s.focus != paneView {
		t.Fatal("tab didn't go back to the browser")
	}
}

func TestPlayerErrorsInStatusLine(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.status(player.Status{State: player.Reconnecting, Index: -1, Err: "Can't reach pCloud."}, nil)
	wantScreen(t, h, "✗ Can't reach pCloud.")
	h.fire("clear")
	if strings.Contains(noStyle(h.m), "Can't reach") {
		t.Fatal("error didn't clear")
	}
	// The same error again is not news.
	h.status(player.Status{State: player.Reconnecting, Index: -1, Err: "Can't reach pCloud."}, nil)
	if h.m.s.bar.msg != "" {
		t.Fatalf("repeated error shown again: %q", h.m.s.bar.msg)
	}
}

func TestSubscriptionClosed(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	close(h.p.ch)
	h.fire("status")
	if _, ok := h.deferred["status"]; ok {
		t.Fatal("re-armed after the channel closed")
	}
}

// The empty queue's hint is whole at every width (it was cut at 100
// columns: "enter plays, a a…").
func TestEmptyQueueHintWhole(t *testing.T) {
	for _, w := range []int{100, 120, 80} {
		h, _ := browse(t, w, 16, Options{})
		if w < WideWidth {
			h.keys("tab")
		}
		sc := noStyle(h.m)
		if !strings.Contains(sc, "a\u00a0adds.") || strings.Contains(sc, "…") {
			t.Errorf("%d columns:\n%s", w, sc)
		}
	}
}
