//go:build unix

package engine

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/player"
)

// bigQueue is n tracks with file names of about 100 bytes; every 1000th
// has a title, artist and album of command.MaxTrackText bytes each.
func bigQueue(n int, firstID uint64) []player.Track {
	ts := make([]player.Track, n)
	long := strings.Repeat("é", command.MaxTrackText/2)
	for i := range ts {
		ts[i] = player.Track{FileID: firstID + uint64(i), TrackNo: i%20 + 1,
			Name: fmt.Sprintf("%07d %s.flac", i, strings.Repeat("Some Fairly Long Track Name ", 3))}
		if i%1000 == 999 {
			ts[i].Title, ts[i].Artist, ts[i].Album = long, long, long
		}
	}
	return ts
}

// sameQueue fails unless got is want, in order.
func sameQueue(t *testing.T, who string, got, want []player.Track) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s sees a queue of %d tracks, want %d", who, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: track %d is %d %.30q, want %d %.30q", who, i, got[i].FileID, got[i].Name, want[i].FileID, want[i].Name)
		}
	}
}

// bigQueueLen is the length of the big queue the tests use: 100,000
// tracks, 10,000 under the race detector (race_test.go).
func bigQueueLen() int {
	if raceEnabled {
		return 10_000
	}
	return 100_000
}

// A queue of 100,000 tracks (13 MB of JSON, over the 8 MB a line may
// have) reaches every attached client whole and in order, after the
// enqueue and after a change; no client ever holds a part of it.
func TestHundredThousandTracksReachEveryClient(t *testing.T) {
	t.Parallel() // its own rig; beside the real-time tests, which wait
	r := newRig(t, Options{})
	sender, watcher, late := r.dial(t), r.dial(t), r.dial(t)

	total := bigQueueLen()
	want := bigQueue(total, 1)
	// The watcher's queue is only ever the whole queue of a generation:
	// the list goes in parts, a generation each, and pages are cut
	// elsewhere.
	whole := map[int]bool{0: true, total - 1: true}
	n := 0
	for _, part := range splitTracks(want, MaxClientLine-1024) {
		n += len(part)
		whole[n] = true
	}
	var partial atomic.Int64
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if n := watcher.QueueLen(); !whole[n] {
				partial.Store(int64(n))
			}
			time.Sleep(time.Millisecond)
		}
	}()

	sender.Enqueue(want)
	syncNow(t, sender)
	sameQueue(t, "the engine", r.p.Queue(), want)
	for name, c := range map[string]*Client{"the sender": sender, "the watcher": watcher, "the third client": late} {
		syncNow(t, c)
		sameQueue(t, name, c.Queue(), want)
		if c.Status().QueueGen != r.p.Status().QueueGen {
			t.Errorf("%s: queue generation %d, the engine's %d", name, c.Status().QueueGen, r.p.Status().QueueGen)
		}
	}

	// A change: the first track goes.
	watcher.Remove(0)
	syncNow(t, watcher)
	want = want[1:]
	for name, c := range map[string]*Client{"the sender": sender, "the watcher": watcher, "the third client": late} {
		syncNow(t, c)
		sameQueue(t, name, c.Queue(), want)
	}
	// A client attached now gets it in its snapshot.
	sameQueue(t, "a new client", r.dial(t).Queue(), want)
	close(stop)
	<-watched
	if n := partial.Load(); n != 0 {
		t.Errorf("the watcher once held a queue of %d tracks", n)
	}
}

// Pages are taken only whole per generation: a generation whose pages
// stop (or come out of order) leaves the queue as it was.
func TestQueuePagesAreAppliedWhole(t *testing.T) {
	ts := bigQueue(10, 1)
	c := &Client{q: ts[:1]}
	page := func(gen uint64, total, from, to int) {
		c.applyQueue(&queueMsg{Gen: gen, Total: total, From: from, Tracks: append([]player.Track(nil), ts[from:to]...)})
	}
	check := func(what string, want []player.Track) {
		t.Helper()
		if len(c.q) != len(want) || len(want) > 0 && c.q[0] != want[0] {
			t.Errorf("%s: queue of %d tracks, want %d", what, len(c.q), len(want))
		}
	}
	page(2, 10, 0, 4)
	check("after the first page", ts[:1])
	page(2, 10, 4, 8)
	check("after the second page", ts[:1])
	page(3, 10, 8, 10) // another generation's last page
	check("after another generation's page", ts[:1])
	page(2, 10, 8, 10) // gen 2's last page, but gen 2 was dropped
	check("after a page out of order", ts[:1])
	page(4, 10, 0, 5)
	page(4, 10, 5, 10)
	check("after the pages of generation 4", ts)
	// Tracks added to a queue the client has (base) or has not.
	more := bigQueue(12, 1)
	c.applyQueue(&queueMsg{Gen: 6, Base: 3, Total: 12, From: 10, Tracks: more[10:]})
	check("after tracks added to another queue", ts)
	c.applyQueue(&queueMsg{Gen: 6, Base: 4, Total: 12, From: 10, Tracks: more[10:]})
	if len(c.q) != 12 || c.q[9] != ts[9] || c.q[11] != more[11] || c.qgen != 6 {
		t.Errorf("after tracks added to generation 4: %d tracks, generation %d", len(c.q), c.qgen)
	}
	c.q = ts
	page(5, 0, 0, 0)
	if c.q == nil || len(c.q) != 0 {
		t.Errorf("an empty queue's page: %v", c.q)
	}
	page(6, 3, 0, 4) // more tracks than it says
	check("after a page longer than its total", nil)
}

// Tracks added at the end go alone, on the queue the client has; any
// other change sends the queue whole.
func TestAppendedTracksGoAlone(t *testing.T) {
	r := newRig(t, Options{})
	c := rawDial(t, r.path)
	c.send(helloLine)
	c.until("the status", func(m message) bool { return m.Status != nil })
	r.p.Enqueue(r.tracks("a128", "b128"))
	first := c.until("the queue", func(m message) bool { return m.Queue != nil }).Queue
	if first.From != 0 || first.Base != 0 || first.Total != 2 || len(first.Tracks) != 2 {
		t.Fatalf("the first queue: %+v", first)
	}
	r.p.Enqueue(r.tracks("tagged"))
	added := c.until("the queue", func(m message) bool { return m.Queue != nil }).Queue
	if added.Base != first.Gen || added.From != 2 || added.Total != 3 || len(added.Tracks) != 1 || added.Tracks[0].FileID != r.ids["tagged"] {
		t.Fatalf("after an enqueue: %+v", added)
	}
	r.p.Remove(0)
	whole := c.until("the queue", func(m message) bool { return m.Queue != nil }).Queue
	if whole.Base != 0 || whole.From != 0 || whole.Total != 2 || len(whole.Tracks) != 2 || whole.Tracks[0].FileID != r.ids["b128"] {
		t.Fatalf("after a remove: %+v", whole)
	}
}
