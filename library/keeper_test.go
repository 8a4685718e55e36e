package library

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
)

// The keeper over the fake: it scans, measures each asked track once,
// keeps a duration once known, and its state says what happened.
func TestKeeperMeasuresOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pcloudtest.Dir("", pcloudtest.Dir("Music", pcloudtest.Dir("A",
		tagged("01 x.mp3", pcloudtest.Tags{Artist: "A", Album: "B", Title: "X", TrackNo: 1}),
		tagged("02 y.mp3", pcloudtest.Tags{Artist: "A", Album: "B", Title: "Y", TrackNo: 2}),
	))))
	var mu sync.Mutex
	asked := map[uint64]int{}
	k := NewKeeper(f.lib, f.c, KeeperOptions{Wait: time.Second, RetryWait: 20 * time.Millisecond,
		Measure: func(ctx context.Context, id uint64) (time.Duration, error) {
			mu.Lock()
			defer mu.Unlock()
			asked[id]++
			return time.Duration(id) * time.Second, nil
		}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	poll.Until(t, "the scan", func() bool { st, _ := k.LibraryState(); return st.Complete && !st.Scanning })

	x := f.srv.FileID("/Music/A/01 x.mp3")
	y := f.srv.FileID("/Music/A/02 y.mp3")
	k.Played(y, 42*time.Second) // known before it is measured: kept
	poll.Until(t, "y's duration", func() bool { tr, _, _ := f.lib.Track(ctx, y); return tr.Duration == 42*time.Second })
	k.Measure([]uint64{x, y})
	k.Measure([]uint64{x, y})
	poll.Until(t, "x measured", func() bool { tr, _, _ := f.lib.Track(ctx, x); return tr.Duration == time.Duration(x)*time.Second })
	mu.Lock()
	defer mu.Unlock()
	if asked[x] != 1 || asked[y] != 0 {
		t.Fatalf("measured %v; want x once and y (known) never", asked)
	}
	if tr, _, _ := f.lib.Track(ctx, y); tr.Duration != 42*time.Second {
		t.Fatalf("y's duration changed to %v", tr.Duration)
	}
}

// After a failure the keeper tries again as soon as it is told the cause
// may be gone (a new login), not after RetryWait: a stale "pCloud refused
// the login" was shown to every UI that attached meanwhile.
func TestKeeperRetriesWhenTold(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pcloudtest.Dir("", pcloudtest.Dir("Music", pcloudtest.Dir("A",
		tagged("01 x.mp3", pcloudtest.Tags{Artist: "A", Album: "B", Title: "X", TrackNo: 1}),
	))))
	f.srv.FailMethod("", 2000) // the login refused, for every call
	k := NewKeeper(f.lib, f.c, KeeperOptions{Wait: time.Second, RetryWait: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	poll.Until(t, "the failure in the state", func() bool { st, _ := k.LibraryState(); return st.Err != "" })
	f.srv.FailMethod("", 0)
	k.Retry()
	poll.Until(t, "the scan after Retry, its error gone", func() bool {
		st, _ := k.LibraryState()
		return st.Complete && !st.Scanning && st.Err == ""
	})
}

// Other library folders in the config are noticed as the keeper starts:
// the index is scanned again for them (it kept the old folders' tracks
// until R), and the library folder is never an artist.
func TestKeeperFollowsTheConfiguredFolders(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pcloudtest.Dir("",
		pcloudtest.Dir("Music", pcloudtest.Dir("Big Folder", tagged("01 x.mp3", pcloudtest.Tags{}))),
		pcloudtest.Dir("Other", pcloudtest.Dir("Miles Davis", pcloudtest.Dir("Kind of Blue", tagged("01 So What.mp3", pcloudtest.Tags{})))),
	))
	keep := func(folders ...string) []Artist {
		t.Helper()
		k := NewKeeper(f.lib, f.c, KeeperOptions{Folders: folders, Wait: time.Second, RetryWait: 20 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { k.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		poll.Until(t, "the scan of "+folders[0], func() bool {
			st, _ := k.LibraryState()
			n, _ := f.lib.Count(ctx)
			return st.Complete && !st.Scanning && n == 1
		})
		as, err := f.lib.Artists(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return as
	}
	if as := keep("/Music"); len(as) != 1 || as[0].Name != UnknownArtist {
		t.Errorf("artists of /Music: %+v, want only %q", as, UnknownArtist)
	}
	if as := keep("/Other"); len(as) != 1 || as[0].Name != "Miles Davis" {
		t.Errorf("artists after the folders became /Other: %+v", as)
	}
	if ts, _ := f.lib.TracksUnder(context.Background(), "/Music"); len(ts) != 0 {
		t.Errorf("/Music's tracks are still indexed: %d", len(ts))
	}
}

// gate holds each listing until it is let through, once held is set.
type gate struct {
	*api.Client
	held atomic.Bool
	pass chan struct{}
}

func (g *gate) ListFolderWith(ctx context.Context, id uint64, o api.ListOptions) (*api.Metadata, error) {
	if g.held.Load() {
		select {
		case <-g.pass:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return g.Client.ListFolderWith(ctx, id, o)
}

// Through R the keeper's states say the lists are whole and a rescan runs;
// once it ends, neither scanning nor rescanning.
func TestKeeperRescanKeepsTheListsComplete(t *testing.T) {
	t.Parallel()
	f := newFixture(t, rescanTree())
	g := &gate{Client: f.c, pass: make(chan struct{})}
	k := NewKeeper(f.lib, g, KeeperOptions{Wait: time.Second, RetryWait: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	poll.Until(t, "the first scan", func() bool { st, _ := k.LibraryState(); return st.Complete && !st.Scanning })
	g.held.Store(true)
	k.Rescan()
	poll.Until(t, "R under way", func() bool { st, _ := k.LibraryState(); return st.Scanning })
	if st, _ := k.LibraryState(); !st.Complete || !st.Rescanning {
		t.Fatalf("during R: %+v, want complete lists and rescanning", st)
	}
	if n, _ := f.lib.Count(ctx); n != 30 {
		t.Fatalf("during R the index holds %d tracks, want its 30", n)
	}
	g.held.Store(false)
	close(g.pass)
	poll.Until(t, "R's end", func() bool { st, _ := k.LibraryState(); return !st.Scanning })
	if st, _ := k.LibraryState(); !st.Complete || st.Rescanning || st.Err != "" {
		t.Fatalf("after R: %+v", st)
	}
}
