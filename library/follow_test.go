package library

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
)

func TestFollow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pcloudtest.Dir("",
		pcloudtest.Dir("Music",
			pcloudtest.Dir("Björk", pcloudtest.Dir("Homogenic", tagged("01 Hunter.mp3", pcloudtest.Tags{}), tagged("02 Jóga.mp3", pcloudtest.Tags{})))),
		pcloudtest.Dir("Inbox")))
	f.srv.SetListLimits(limits)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- f.lib.Follow(ctx, f.c, FollowOptions{Wait: 2 * time.Second, RetryWait: 10 * time.Millisecond})
	}()
	defer func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Follow ended with %v", err)
		}
	}()
	bg := context.Background()
	count := func() int { n, _ := f.lib.Count(bg); return n }
	poll.Until(t, "the first scan", func() bool { s, _ := getMeta(bg, f.lib.db, "state"); return s == "done" && count() == 2 })

	if as, _ := f.lib.Artists(bg); len(as) != 1 || as[0].Name != "Björk" {
		t.Fatalf("artists %+v", as)
	}
	// A new file shows up through diff, without a listing.
	f.srv.ResetLog()
	id := f.srv.AddFile("/Music/Björk/Homogenic", tagged("03 Bachelorette.mp3", pcloudtest.Tags{}))
	poll.Until(t, "the new file", func() bool { _, ok, _ := f.lib.Track(bg, id); return ok })
	if n := len(f.srv.Calls("listfolder")); n != 0 {
		t.Fatalf("%d listings for a new file", n)
	}
	tr, _, _ := f.lib.Track(bg, id)
	if tr.Artist != "Björk" || tr.Album != "Homogenic" || tr.TrackNo != 3 || tr.Title != "Bachelorette" {
		t.Fatalf("new track %+v", tr)
	}
	// A deleted one disappears.
	f.srv.Remove("/Music/Björk/Homogenic/01 Hunter.mp3")
	poll.Until(t, "the deletion", func() bool { return count() == 2 })
	// A folder moved: the paths (and the artist read from them) follow.
	f.srv.AddFolder("/Music", "Björk Guðmundsdóttir")
	f.srv.Move("/Music/Björk/Homogenic", "/Music/Björk Guðmundsdóttir", "")
	poll.Until(t, "the move", func() bool {
		ts, _ := f.lib.TracksUnder(bg, "/Music/Björk Guðmundsdóttir/Homogenic")
		return len(ts) == 2 && ts[0].Artist == "Björk Guðmundsdóttir"
	})

	if as, _ := f.lib.Artists(bg); len(as) != 1 || as[0].Name != "Björk Guðmundsdóttir" {
		t.Fatalf("artists after the move (a stale cache?) %+v", as)
	}
	// A folder moved in from outside the library folders is listed.
	f.srv.AddFile("/Inbox", tagged("x.mp3", pcloudtest.Tags{Title: "X"}))
	poll.Until(t, "the inbox file", func() bool { return count() == 3 })
	// Out of the library folder "/": everything is the library here, so
	// delete a whole folder instead.
	f.srv.Remove("/Music/Björk Guðmundsdóttir")
	poll.Until(t, "the folder deletion", func() bool { return count() == 1 })
	// reset: a full rescan.
	f.srv.ResetLog()
	f.srv.AddFile("/Inbox", tagged("y.mp3", pcloudtest.Tags{Title: "Y"}))
	f.srv.ResetDiff()
	poll.Until(t, "the rescan", func() bool { return len(f.srv.Calls("listfolder")) > 0 && count() == 2 })
}

func TestFollowMoveIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pcloudtest.Dir("",
		pcloudtest.Dir("Music"),
		pcloudtest.Dir("Elsewhere", pcloudtest.Dir("Album", tagged("01 a.mp3", pcloudtest.Tags{}), tagged("02 b.mp3", pcloudtest.Tags{})))))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := FollowOptions{ScanOptions: ScanOptions{Folders: []string{"/Music"}}, Wait: 2 * time.Second, RetryWait: 10 * time.Millisecond}
	go f.lib.Follow(ctx, f.c, o)
	bg := context.Background()
	count := func() int { n, _ := f.lib.Count(bg); return n }
	poll.Until(t, "the first scan", func() bool { s, _ := getMeta(bg, f.lib.db, "state"); return s == "done" })
	if count() != 0 {
		t.Fatalf("%d tracks outside /Music", count())
	}
	f.srv.Move("/Elsewhere/Album", "/Music", "")
	poll.Until(t, "the album moved in", func() bool { return count() == 2 })
	f.srv.Move("/Music/Album", "/Elsewhere", "")
	poll.Until(t, "the album moved out", func() bool { return count() == 0 })
}

// A folder renamed above its albums changes no track: nothing of the
// index's tracks or full text is written again (each track's row and
// full-text entry were rewritten before, however many there were).
func TestFollowRenameWritesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	var songs []*pcloudtest.Node
	for i := range 40 {
		songs = append(songs, tagged(fmt.Sprintf("%02d s.mp3", i), pcloudtest.Tags{Artist: "Nina Simone", Album: "Pastel Blues", Title: fmt.Sprintf("Song %d", i)}))
	}
	f := newFixture(t, pcloudtest.Dir("", pcloudtest.Dir("Music", pcloudtest.Dir("Jazz", pcloudtest.Dir("Pastel Blues", songs...)))))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := FollowOptions{Wait: 2 * time.Second, RetryWait: 10 * time.Millisecond}
	go f.lib.Follow(ctx, f.c, o)
	bg := context.Background()
	poll.Until(t, "the first scan", func() bool { s, _ := getMeta(bg, f.lib.db, "state"); return s == "done" })
	fts := func() (n int) {
		f.lib.db.QueryRowContext(bg, `SELECT count(*) FROM tracks_fts_data`).Scan(&n)
		return n
	}
	before := fts()
	f.srv.Move("/Music/Jazz", "/Music", "Jazz and Blues")
	poll.Until(t, "the folder renamed", func() bool {
		ts, _ := f.lib.Search(bg, "song 7", 0)
		return len(ts) == 1 && strings.HasPrefix(ts[0].Path, "/Music/Jazz and Blues/")
	})
	if after := fts(); after != before {
		t.Fatalf("renaming a folder above 40 unchanged tracks wrote the full text again: %d rows, %d before", after, before)
	}
}
