package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
)

// fakeHistory is a HistoryFeed in memory.
type fakeHistory struct {
	mu      sync.Mutex
	listens []scrobble.Listen // newest first
	n       uint64
	next    chan struct{}
	asked   int
}

func newFakeHistory() *fakeHistory { return &fakeHistory{next: make(chan struct{})} }

func (f *fakeHistory) History(_ context.Context, n int) ([]scrobble.Listen, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked++
	return append([]scrobble.Listen{}, f.listens[:min(n, len(f.listens))]...), nil
}

func (f *fakeHistory) HistoryState() (uint64, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n, f.next
}

// listen records l as the newest listen, as the host does.
func (f *fakeHistory) listen(l scrobble.Listen) {
	f.mu.Lock()
	f.listens = append([]scrobble.Listen{l}, f.listens...)
	f.n++
	close(f.next)
	f.next = make(chan struct{})
	f.mu.Unlock()
}

func (h *harness) historyView() *historyView {
	for _, v := range h.m.s.views {
		if hv, ok := v.(*historyView); ok {
			return hv
		}
	}
	h.t.Fatal("no History view")
	return nil
}

// View 6 lists the listens newest first with their day and time, says
// so when there is none, follows new listens, and plays from a row (enter:
// the queue becomes the list from there; a adds; E plays next).
func TestHistoryView(t *testing.T) {
	feed := newFakeHistory()
	h, _ := browse(t, 80, 20, Options{History: feed})
	h.keys("6")
	if v := plainView(h.m); !strings.Contains(v, historyEmpty) {
		t.Fatalf("empty history:\n%s", v)
	}
	now := time.Date(2026, 11, 12, 15, 0, 0, 0, time.Local)
	h.historyView().now = func() time.Time { return now }
	track := func(id uint64, artist, title string) player.Track {
		return player.Track{FileID: id, Name: title + ".mp3", Artist: artist, Title: title}
	}
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, time.Local) }
	for _, l := range []scrobble.Listen{
		{Track: track(4, "Nina Simone", "Old"), Started: at(2, 9, 0)},
		{Track: track(3, "Miles Davis", "So What"), Started: at(9, 9, 12)}, // Monday
		{Track: track(2, "Bill Evans", "Peace Piece"), Started: at(11, 21, 40)},
	} {
		feed.listen(l)
	}
	asked := feed.asked
	h.fire("history") // the host told of new listens: the view asks again
	if feed.asked == asked {
		t.Fatal("a new listen did not make the view ask for the history")
	}
	feed.listen(scrobble.Listen{Track: track(1, "Nina Simone", "Feeling Good"), Started: at(12, 14, 3)})
	h.fire("history")
	v := plainView(h.m)
	want := []string{"Nina Simone – Feeling Good", "today 14:03", "Bill Evans – Peace Piece", "yesterday 21:40",
		"Miles Davis – So What", "Mon 09:12", "Nina Simone – Old", "2026-11-02"}
	last := -1
	for _, w := range want {
		i := strings.Index(v, w)
		if i < 0 || i < last {
			t.Fatalf("%q missing or out of order:\n%s", w, v)
		}
		last = i
	}
	if strings.Contains(v, historyEmpty) {
		t.Fatalf("the empty sentence with listens:\n%s", v)
	}

	h.keys("down", "enter")
	h.keys("down", "a", "E")
	calls := strings.Join(h.p.take(), " ")
	for _, w := range []string{"Replace(Peace Piece.mp3,So What.mp3,Old.mp3;0)", "Enqueue(So What.mp3)", "InsertNext(So What.mp3)"} {
		if !strings.Contains(calls, w) {
			t.Errorf("calls %q lack %q", calls, w)
		}
	}

	// A listen landing above: the cursor on the newest row stays on the
	// newest; below it, it stays on its listen.
	h.keys("home")
	feed.listen(scrobble.Listen{Track: track(5, "Bill Evans", "Waltz for Debby"), Started: at(12, 14, 9)})
	h.fire("history")
	h.keys("enter")
	h.keys("down", "down")
	feed.listen(scrobble.Listen{Track: track(6, "Bill Evans", "Blue in Green"), Started: at(12, 14, 15)})
	h.fire("history")
	h.keys("a")
	calls = strings.Join(h.p.take(), " ")
	for _, w := range []string{"Replace(Waltz for Debby.mp3,", "Enqueue(Peace Piece.mp3)"} {
		if !strings.Contains(calls, w) {
			t.Errorf("calls %q lack %q", calls, w)
		}
	}

	// A narrow terminal: nothing goes past its width.
	for _, sz := range [][2]int{{40, 12}, {30, 8}} {
		h.send(tea_ws(sz[0], sz[1]))
		for i, l := range strings.Split(h.m.View().Content, "\n") {
			if w := ansi.StringWidth(l); w > sz[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", sz[0], sz[1], i, w, l)
			}
		}
	}
}

func TestWhenText(t *testing.T) {
	now := time.Date(2026, 3, 30, 0, 30, 0, 0, time.Local)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 3, 30, 0, 10, 0, 0, time.Local), "today 00:10"},
		{time.Date(2026, 3, 29, 23, 59, 0, 0, time.Local), "yesterday 23:59"},
		{time.Date(2026, 3, 24, 8, 0, 0, 0, time.Local), "Tue 08:00"},
		{time.Date(2026, 3, 23, 8, 0, 0, 0, time.Local), "2026-03-23"},
		{time.Date(2025, 12, 31, 8, 0, 0, 0, time.Local), "2025-12-31"},
	} {
		if got := whenText(c.at, now); got != c.want {
			t.Errorf("whenText(%v) = %q, want %q", c.at, got, c.want)
		}
	}
}
