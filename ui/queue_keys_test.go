package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

// abbey is the queue the tests of the queue keys start from: the playable
// files of Music/Abbey Road, in the browser's order.
func abbey() []player.Track {
	return []player.Track{
		{FileID: 1, Name: "01 Come Together.mp3", Artist: "The Beatles", Title: "Come Together"},
		{FileID: 2, Name: "02 Something.mp3", Artist: "The Beatles", Title: "Something"},
		{FileID: 3, Name: "03 Maxwell.mp3", Artist: "The Beatles", Title: "Maxwell's Silver Hammer"},
		{FileID: 4, Name: "10 Octopus's Garden.mp3"},
	}
}

func playingAt(q []player.Track, i int, gen uint64) player.Status {
	return player.Status{State: player.Playing, Index: i, Track: q[i], Volume: 70, QueueGen: gen}
}

func TestQueueEnterReplacesAndUUndoes(t *testing.T) {
	h, _ := browse(t, 100, 24, Options{})
	h.keys("enter", "enter", "j", "j") // Music/Abbey Road, on 03 Maxwell
	h.keys("enter")
	wantCalls(t, h.p, "Replace(01 Come Together.mp3,02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3;2)")

	h.keys("u") // the player said there is nothing to undo yet
	wantCalls(t, h.p)
	wantScreen(t, h, "Nothing to undo")

	st := playingAt(abbey(), 2, 1)
	st.Undos = 1
	h.status(st, abbey())
	h.keys("u")
	wantCalls(t, h.p, "Undo")
	h.keys("u") // the UI counted the undo it asked for: no second call
	wantCalls(t, h.p)
	h.keys("tab", "u") // the queue pane too
	wantCalls(t, h.p)
}

func TestQueueKeysMoveAndPlayNext(t *testing.T) {
	h, _ := browse(t, 100, 24, Options{})
	q := abbey()
	h.status(playingAt(q, 1, 1), q)
	h.keys("tab")
	if got := h.m.s.queue.list.selected(); got != 1 {
		t.Fatalf("the queue cursor is on %d, not on the playing track (1)", got)
	}
	h.keys("J")
	wantCalls(t, h.p, "Move(1,2)")
	if got := h.m.s.queue.list.selected(); got != 2 || h.m.s.queue.tracks[2].FileID != 2 {
		t.Fatalf("after J the cursor is on %d with file %d; want 2, file 2", got, h.m.s.queue.tracks[got].FileID)
	}
	h.keys("shift+up", "K")
	wantCalls(t, h.p, "Move(2,1)", "Move(1,0)")
	h.keys("K") // at the top: nothing
	wantCalls(t, h.p)
	h.keys("G", "E") // the last entry plays next: after the playing one (now 0)
	wantCalls(t, h.p, "Move(3,1)")
	wantScreen(t, h, "plays next")
	h.keys("/")
	h.typeText("oct")
	h.keys("enter", "J")
	wantCalls(t, h.p)
	wantScreen(t, h, "Clear the filter")
}

func TestQueueRemovePlayingAndFollow(t *testing.T) {
	h, _ := browse(t, 100, 24, Options{})
	q := abbey()
	h.status(playingAt(q, 0, 1), q)
	h.keys("tab", "d")
	wantCalls(t, h.p, "Remove(0)")
	wantScreen(t, h, "Removed The Beatles – Come Together from the queue (u undoes)")
	// The player goes on with the next one; the cursor follows it.
	h.status(playingAt(q[1:], 0, 2), q[1:])
	h.status(playingAt(q[1:], 1, 2), nil)
	if got := h.m.s.queue.list.selected(); got != 1 {
		t.Fatalf("the cursor did not follow the playing track: on %d, want 1", got)
	}
	// Moved by the person: it stays.
	h.keys("k")
	h.status(playingAt(q[1:], 2, 2), nil)
	if got := h.m.s.queue.list.selected(); got != 0 {
		t.Fatalf("the cursor followed after the person moved it: on %d", got)
	}
	h.keys(".")
	if got := h.m.s.queue.list.selected(); got != 2 {
		t.Fatalf(". put the cursor on %d, want the playing track (2)", got)
	}
	h.status(playingAt(q[1:], 0, 2), nil) // repeat all wrapped around
	if got := h.m.s.queue.list.selected(); got != 0 {
		t.Fatalf("after . the cursor follows again: on %d, want 0", got)
	}
	// Moved away, then a new list plays (enter in a view): it follows.
	h.keys("j", "j")
	q2 := append(abbey(), player.Track{FileID: 9, Name: "new.mp3"})
	h.status(playingAt(q2, 4, 3), q2)
	if got := h.m.s.queue.list.selected(); got != 4 {
		t.Fatalf("a new queue playing: the cursor is on %d, want the playing track (4)", got)
	}
}

func TestQueueMuteAndMarks(t *testing.T) {
	h, srv := browse(t, 100, 24, Options{})
	h.keys("enter", "enter") // Music/Abbey Road
	q := abbey()
	for i := range q {
		q[i].FileID = srv.FileID("/Music/Abbey Road/" + q[i].Name)
	}
	st := playingAt(q, 1, 1)
	h.status(st, q)
	sc := noStyle(h.m)
	if !strings.Contains(sc, "▶ The Beatles – Something") || strings.Contains(sc, "♪ The Beatles – Something") {
		t.Fatalf("the browser does not mark the playing file:\n%s", sc)
	}
	if !strings.Contains(sc, "♪ The Beatles – Come Together") {
		t.Fatalf("the browser marks more than the playing file:\n%s", sc)
	}
	h.keys("m")
	wantCalls(t, h.p, "ToggleMute")
	wantScreen(t, h, "vol muted")
	st.State = player.Stopped
	h.status(st, nil)
	if sc := noStyle(h.m); strings.Contains(sc, "▶ The Beatles – Something") {
		t.Fatalf("a stopped player's track is still marked:\n%s", sc)
	}
}

func TestQueueTitleTotalTime(t *testing.T) {
	h, _ := browse(t, 100, 24, Options{})
	q := abbey()
	h.status(playingAt(q, 0, 1), q)
	wantScreen(t, h, "4 tracks")
	if sc := noStyle(h.m); strings.Contains(sc, "4 tracks ·") {
		t.Fatalf("a total time without any known length:\n%s", sc)
	}
	q = abbey()
	q[0].Duration = 3 * time.Minute
	h.status(playingAt(q, 0, 2), q)
	wantScreen(t, h, "4 tracks · 3:00+")
	for i := range q {
		q[i].Duration = time.Duration(i+1) * time.Minute
	}
	h.status(playingAt(q, 0, 3), q)
	wantScreen(t, h, "4 tracks · 10:00")
}

func TestQueueEPlaysNextFromTheBrowser(t *testing.T) {
	h, _ := browse(t, 100, 24, Options{})
	h.keys("enter", "enter", "j", "E") // Music/Abbey Road: 02 Something
	wantCalls(t, h.p, "InsertNext(02 Something.mp3)")
	h.keys("h", "j", "j", "E") // Music: Live, recursively
	wantCalls(t, h.p, "InsertNext(a.mp3,b.mp3)")
	wantScreen(t, h, "2 tracks from Live will play next")
}
