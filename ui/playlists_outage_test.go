package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/playlist"
)

// unreachable reports whether a waiting line is on the screen.
func unreachable(h *harness) func() bool {
	return func() bool { return strings.Contains(noStyle(h.m), "unreachable") }
}

// inPlaylists is inStore in view 5, its cursor on Road trip.
func inPlaylists(t *testing.T, f func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto)) {
	t.Helper()
	inStore(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		h.keys("5", "G") // pCloud's own playlists come first
		wantScreen(t, h, "› ≡ Road trip")
		f(t, h, srv, store)
	})
}

// inStore is inBubble with a playlist store and "Road trip" (Come
// Together, Something) in pCloud, in the Folders view.
func inStore(t *testing.T, f func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto)) {
	t.Helper()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		store, err := playlist.NewAuto(c, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, Options{Library: c, Playlists: store, RetryBase: time.Millisecond}, 100, 30)
		q := abbeyQueue(srv)
		if _, _, err := store.Create(t0(h), "Road trip", playlist.FromQueueAll(q[:2])); err != nil {
			t.Fatal(err)
		}
		f(t, h, srv, store)
	})
}

// untilDone fires the countdown's ticks while waiting() holds.
func untilDone(t *testing.T, h *harness, waiting func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for waiting() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for pCloud:\n%s", noStyle(h.m))
		}
		h.fire("retry")
	}
}

// noRetryTick checks that no countdown tick is pending.
func noRetryTick(t *testing.T, h *harness) {
	t.Helper()
	if _, ok := h.deferred["retry"]; ok {
		t.Fatal("a countdown tick is still pending")
	}
}

// Opening a playlist while pCloud is down waits, counts down, and shows
// the tracks by itself when pCloud is back.
func TestPlaylistOpenWaitsForPCloud(t *testing.T) {
	t.Parallel()
	inPlaylists(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, _ *playlist.Auto) {
		srv.Down()
		h.keys("enter")
		wantScreen(t, h, "Playlists › Road trip", waitingLine, "Can't reach", "R tries again")
		if strings.Contains(noStyle(h.m), "✗") {
			t.Fatalf("a failure shown for a playlist that waits:\n%s", noStyle(h.m))
		}
		for range 3 { // a few tries fail while it is down; the wait goes on
			h.fire("retry")
		}
		wantScreen(t, h, waitingLine)
		srv.Up()
		untilDone(t, h, unreachable(h)) // no key
		wantScreen(t, h, "Playlists › Road trip", "The Beatles – Come Together", "The Beatles – Something")
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("the waiting line stayed:\n%s", noStyle(h.m))
		}
		noRetryTick(t, h)
	})
}

// R during the wait reads at once; leaving the playlist ends the wait.
func TestPlaylistOpenWaitRAndBack(t *testing.T) {
	t.Parallel()
	inPlaylists(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, _ *playlist.Auto) {
		h.m.s.e.o.RetryBase = time.Hour
		srv.Down()
		h.keys("enter")
		wantScreen(t, h, "Playlists › Road trip", waitingLine)
		srv.Up()
		h.keys("R") // at once, not in an hour
		wantScreen(t, h, "The Beatles – Something")
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("the waiting line stayed:\n%s", noStyle(h.m))
		}
		v := h.m.s.playlists()

		srv.Down()
		h.keys("R") // the tracks shown stay while it waits
		wantScreen(t, h, "Playlists › Road trip", "The Beatles – Something", waitingLine)
		h.keys("backspace")
		if v.open != nil {
			t.Fatal("backspace did not leave the playlist")
		}
		srv.Up()
		n := len(srv.Calls("collection_details"))
		h.fire("retry") // the tick armed before is stale: nothing is read
		if got := len(srv.Calls("collection_details")); got != n {
			t.Fatalf("%d readings after leaving the playlist", got-n)
		}
		// (R read the list too: its own wait, which goes on, is not this one.)
		wantScreen(t, h, "› ≡ Road trip")
	})
}

// A playlist that no longer exists is said once, not waited for.
func TestPlaylistOpenGoneIsNotRetried(t *testing.T) {
	t.Parallel()
	inPlaylists(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		v := h.m.s.playlists()
		if err := store.Delete(t0(h), v.selectedList().ID); err != nil {
			t.Fatal(err)
		}
		n := len(srv.Calls("collection_details"))
		h.keys("enter")
		if v.open == nil || v.open.err == "" {
			t.Fatalf("a deleted playlist: %+v\n%s", v.open, noStyle(h.m))
		}
		wantScreen(t, h, "✗ ")
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("a waiting line for a deleted playlist:\n%s", noStyle(h.m))
		}
		noRetryTick(t, h)
		if got := len(srv.Calls("collection_details")); got != n+1 {
			t.Fatalf("%d readings, want 1", got-n)
		}
	})
}

// A on a folder while pCloud is down waits for the folder's listing as a
// does, then offers the playlists by itself: the tracks go to the one
// picked.
func TestPickPlaylistFolderWaitsForPCloud(t *testing.T) {
	t.Parallel()
	inStore(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		h.keys("enter") // Music, on Abbey Road
		srv.Down()
		h.keys("A")
		wantScreen(t, h, "Reading Abbey Road for a playlist: pCloud unreachable", "retrying in", "Can't reach")
		if strings.Contains(noStyle(h.m), "Couldn't read") {
			t.Fatalf("A gave up at once:\n%s", noStyle(h.m))
		}
		for range 3 { // a few tries fail while it is down; the wait goes on
			h.fire("retry")
		}
		wantScreen(t, h, "Reading Abbey Road for a playlist: pCloud unreachable", "retrying in")
		srv.Up()
		untilDone(t, h, unreachable(h)) // no key
		wantScreen(t, h, "Add Abbey Road to…", "+ a new playlist…", "Road trip  (2 tracks)")
		noRetryTick(t, h)
		h.keys("j", "enter")
		wantScreen(t, h, "to “Road trip”.")
		lists, err := store.List(t0(h))
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range lists {
			if pl.Name == "Road trip" {
				got, err := store.Open(t0(h), pl.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 4 {
					t.Fatalf("Road trip has %v", trackNames(got))
				}
				return
			}
		}
		t.Fatal("no Road trip")
	})
}

// A folder pCloud refuses to list is said once, not waited for.
func TestPickPlaylistFolderRefusedIsNotRetried(t *testing.T) {
	t.Parallel()
	inStore(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, _ *playlist.Auto) {
		h.keys("enter") // Music, on Abbey Road
		srv.FailMethod("listfolder", 2003)
		n := len(srv.Calls("listfolder"))
		h.keys("A")
		wantScreen(t, h, "Couldn't read Abbey Road", "denies access")
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("a waiting line for a refusal:\n%s", noStyle(h.m))
		}
		noRetryTick(t, h)
		if got := len(srv.Calls("listfolder")); got != n+1 {
			t.Fatalf("%d listings, want 1", got-n)
		}
	})
}

// roadTrip is Road trip's tracks, by name.
func roadTrip(t *testing.T, h *harness, store *playlist.Auto) []string {
	t.Helper()
	lists, err := store.List(t0(h))
	if err != nil {
		t.Fatal(err)
	}
	for _, pl := range lists {
		if pl.Name == "Road trip" {
			got, err := store.Open(t0(h), pl.ID)
			if err != nil {
				t.Fatal(err)
			}
			return trackNames(got)
		}
	}
	t.Fatal("no Road trip")
	return nil
}

// The picker's list waits for pCloud: pCloud's playlists come by
// themselves when it is back.
func TestPickerListWaitsForPCloud(t *testing.T) {
	t.Parallel()
	inStore(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		h.keys("enter", "G", "k") // Music, on Solo – Loose
		srv.Down()
		h.keys("A")
		wantScreen(t, h, "Add Solo – Loose to…", "+ a new playlist…", waitingLine, "R tries again")
		if strings.Contains(noStyle(h.m), "✗") {
			t.Fatalf("a failure shown for a list that waits:\n%s", noStyle(h.m))
		}
		h.fire("retry") // still down: the wait goes on
		wantScreen(t, h, "Add Solo – Loose to…", waitingLine)
		srv.Up()
		untilDone(t, h, unreachable(h)) // no key
		wantScreen(t, h, "Add Solo – Loose to…", "Road trip  (2 tracks)")
		noRetryTick(t, h)

		h.keys("esc") // again, with R instead of the countdown
		srv.Down()
		h.m.s.e.o.RetryBase = time.Hour
		h.keys("A")
		wantScreen(t, h, "Add Solo – Loose to…", waitingLine)
		srv.Up()
		h.keys("R")
		wantScreen(t, h, "Add Solo – Loose to…", "Road trip  (2 tracks)")
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("the waiting line stayed:\n%s", noStyle(h.m))
		}
		n := len(srv.Calls("collection_list"))
		h.fire("retry") // the tick armed before is stale
		if got := len(srv.Calls("collection_list")); got != n {
			t.Fatalf("%d listings after R", got-n)
		}
		noRetryTick(t, h)
		h.keys("j", "enter")
		wantScreen(t, h, "Added 1 track to “Road trip”.")
		if got := roadTrip(t, h, store); len(got) != 3 || got[2] != "loose.mp3" {
			t.Fatalf("Road trip has %v", got)
		}
	})
}

// An add that could not reach pCloud is not made again by itself: the
// picker opens again on the same tracks and playlist, saying so; enter
// adds them once pCloud is back, none twice.
func TestPickerAddDuringOutageOffersItAgain(t *testing.T) {
	t.Parallel()
	inStore(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		h.keys("enter", "A") // Music: Abbey Road
		wantScreen(t, h, "Add Abbey Road to…", "Road trip  (2 tracks)")
		h.keys("j")
		srv.Down()
		h.keys("enter")
		wantScreen(t, h, "Add Abbey Road to…", "“Road trip” may have none or only some of them", waitingLine)
		if strings.Contains(noStyle(h.m), "enter tries again") {
			t.Fatalf("enter offered on the new playlist row:\n%s", noStyle(h.m))
		}
		srv.Up()
		untilDone(t, h, unreachable(h)) // the list, by itself
		wantScreen(t, h, "› Road trip  (2 tracks)", "enter tries again")
		if n := len(srv.Calls("collection_linkfiles")); n != 0 {
			t.Fatalf("the add was made again by itself (%d calls)", n)
		}
		h.keys("enter")
		wantScreen(t, h, "Added 2 tracks; 2 were already in the playlist to “Road trip”.")
		if got := roadTrip(t, h, store); len(got) != 4 {
			t.Fatalf("Road trip has %v", got)
		}
	})
}

// A new playlist that could not reach pCloud: the picker opens again, the
// name offered again.
func TestPickerCreateDuringOutageOffersItAgain(t *testing.T) {
	t.Parallel()
	inStore(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		h.keys("enter", "A", "enter") // Music: Abbey Road, a new playlist
		h.typeText("Abbey")
		srv.Down()
		h.keys("enter")
		wantScreen(t, h, "Add Abbey Road to…", "“Abbey” may not have been made", "enter tries again")
		srv.Up()
		untilDone(t, h, unreachable(h))
		h.keys("enter") // the name is offered again: enter takes it
		wantScreen(t, h, "Name of the new playlist for Abbey Road")
		h.keys("enter")
		wantScreen(t, h, "Made playlist “Abbey”: Added 4 tracks.")
	})
}

// A write pCloud refuses is said once; the picker does not open again.
func TestPickerAddRefusedIsSaidOnce(t *testing.T) {
	t.Parallel()
	inStore(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		h.keys("enter", "A", "j") // Music: Abbey Road, on Road trip
		srv.FailMethod("collection_linkfiles", 2003)
		h.keys("enter")
		if h.m.s.plPick.open {
			t.Fatalf("the picker opened again on a refusal:\n%s", noStyle(h.m))
		}
		wantScreen(t, h, "denies access")
		noRetryTick(t, h)
		if n := len(srv.Calls("collection_linkfiles")); n != 1 {
			t.Fatalf("%d adds, want 1", n)
		}
	})
}

// a on a playlist in the list while pCloud is down waits, counts down,
// and queues its tracks by itself when pCloud is back.
func TestPlaylistQueueWaitsForPCloud(t *testing.T) {
	t.Parallel()
	inPlaylists(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, _ *playlist.Auto) {
		h.p.take()
		srv.Down()
		h.keys("a")
		wantScreen(t, h, "Adding “Road trip”: "+waitingLine, "Can't reach", "› ≡ Road trip")
		if strings.Contains(noStyle(h.m), "Couldn't read") {
			t.Fatalf("a gave up at once:\n%s", noStyle(h.m))
		}
		for range 3 { // a few tries fail while it is down; the wait goes on
			h.fire("retry")
		}
		wantScreen(t, h, "Adding “Road trip”: "+waitingLine)
		wantCalls(t, h.p) // nothing queued, nothing lost
		srv.Up()
		untilDone(t, h, unreachable(h)) // no key
		wantCalls(t, h.p, "Enqueue(01 Come Together.mp3,02 Something.mp3)")
		wantScreen(t, h, "Added 2 tracks from “Road trip” to the queue")
		noRetryTick(t, h)
	})
}

// E waits the same way; a newer wait replaces the older one, saying so;
// its line stays in a playlist opened meanwhile, and R there reads at
// once; the tick armed before is stale.
func TestPlaylistPlayNextWaitRAndReplace(t *testing.T) {
	t.Parallel()
	inPlaylists(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, _ *playlist.Auto) {
		h.m.s.e.o.RetryBase = time.Hour
		h.p.take()
		srv.Down()
		h.keys("a")
		wantScreen(t, h, "Adding “Road trip”: "+waitingLine)
		h.keys("E") // replaces the wait of a
		wantScreen(t, h, "Gave up adding “Road trip” (pCloud unreachable)", "Adding “Road trip”: "+waitingLine)
		srv.Up()
		h.keys("enter") // the wait goes on, its line shown, in the playlist
		wantScreen(t, h, "Playlists › Road trip", "The Beatles – Something", "Adding “Road trip”: "+waitingLine)
		wantCalls(t, h.p)
		h.keys("R") // at once, not in an hour
		wantCalls(t, h.p, "InsertNext(01 Come Together.mp3,02 Something.mp3)")
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("the waiting line stayed:\n%s", noStyle(h.m))
		}
		n := len(srv.Calls("collection_details"))
		h.fire("retry") // the tick armed before is stale: nothing is read
		if got := len(srv.Calls("collection_details")); got != n {
			t.Fatalf("%d readings after R", got-n)
		}
		wantCalls(t, h.p)
		noRetryTick(t, h)
	})
}

// A on a playlist in the list while pCloud is down waits, then offers the
// playlists by itself: its tracks go to the one picked.
func TestPlaylistPickWaitsForPCloud(t *testing.T) {
	t.Parallel()
	inPlaylists(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		srv.Down()
		h.keys("A")
		wantScreen(t, h, "Reading “Road trip” for a playlist: pCloud unreachable", "retrying in", "Can't reach")
		if strings.Contains(noStyle(h.m), "Couldn't read") {
			t.Fatalf("A gave up at once:\n%s", noStyle(h.m))
		}
		h.fire("retry") // still down: the wait goes on
		wantScreen(t, h, "Reading “Road trip” for a playlist: pCloud unreachable", "retrying in")
		srv.Up()
		untilDone(t, h, unreachable(h)) // no key
		wantScreen(t, h, "Add “Road trip” to…", "+ a new playlist…", "Road trip  (2 tracks)")
		noRetryTick(t, h)
		h.keys("enter") // a new playlist
		h.typeText("Copy")
		h.keys("enter")
		wantScreen(t, h, "Made playlist “Copy”: Added 2 tracks.")
		if got := roadTrip(t, h, store); len(got) != 2 {
			t.Fatalf("Road trip has %v", got)
		}
	})
}

// A playlist that no longer exists is said once for a, E and A, not
// waited for.
func TestPlaylistQueueGoneIsNotRetried(t *testing.T) {
	t.Parallel()
	inPlaylists(t, func(t *testing.T, h *harness, srv *pcloudtest.Server, store *playlist.Auto) {
		v := h.m.s.playlists()
		if err := store.Delete(t0(h), v.selectedList().ID); err != nil {
			t.Fatal(err)
		}
		h.p.take()
		for _, k := range []string{"a", "E", "A"} {
			n := len(srv.Calls("collection_details"))
			h.keys(k)
			wantScreen(t, h, "Couldn't read “Road trip”")
			if strings.Contains(noStyle(h.m), "unreachable") {
				t.Fatalf("%s: a waiting line for a deleted playlist:\n%s", k, noStyle(h.m))
			}
			noRetryTick(t, h)
			if got := len(srv.Calls("collection_details")); got != n+1 {
				t.Fatalf("%s: %d readings, want 1", k, got-n)
			}
			if h.m.s.plPick.open {
				t.Fatalf("%s: the picker opened for a deleted playlist", k)
			}
			h.fire("clear")
		}
		wantCalls(t, h.p)
	})
}
