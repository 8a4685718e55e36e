//go:build unix

package engine

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/library"
)

// gate is the real client with a valve on the scan's recursive listings:
// while shut, they wait (a slow pCloud), so a test sees the scan midway.
type gate struct {
	*api.Client
	mu   sync.Mutex
	shut chan struct{} // nil: open
}

func (g *gate) close() {
	g.mu.Lock()
	g.shut = make(chan struct{})
	g.mu.Unlock()
}

func (g *gate) open() {
	g.mu.Lock()
	if g.shut != nil {
		close(g.shut)
		g.shut = nil
	}
	g.mu.Unlock()
}

func (g *gate) ListFolderWith(ctx context.Context, id uint64, o api.ListOptions) (*api.Metadata, error) {
	g.mu.Lock()
	shut := g.shut
	g.mu.Unlock()
	if shut != nil && o.Recursive {
		select {
		case <-shut:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return g.Client.ListFolderWith(ctx, id, o)
}

type libRig struct {
	srv    *pcloudtest.Server
	gate   *gate
	keeper *library.Keeper
	path   string // the socket
	db     string // the index
}

// newLibRig serves a player and a library kept by a running Keeper over a
// generated account on the fake, its scan held at the gate.
func newLibRig(t *testing.T) *libRig {
	t.Helper()
	srv, c, p := fakeWorld(t, pcloudtest.Generate(pcloudtest.GenOptions{Tracks: 60, Seed: 7}))
	dir := shortDir(t)
	r := &libRig{srv: srv, gate: &gate{Client: c}, path: filepath.Join(dir, SocketName), db: filepath.Join(dir, "library.db")}
	r.gate.close()
	lib, err := library.Open(r.db, library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.keeper = library.NewKeeper(lib, r.gate, library.KeeperOptions{Wait: 2 * time.Second, RetryWait: 20 * time.Millisecond, Every: time.Millisecond})
	ln, err := Listen(r.path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r.keeper.Run(ctx) }()
	go func() { defer wg.Done(); Serve(ctx, ln, p, Options{Library: r.keeper}) }()
	t.Cleanup(func() { r.gate.open(); cancel(); wg.Wait(); lib.Close() })
	return r
}

func (r *libRig) lists() int {
	n := 0
	for _, q := range r.srv.Log() {
		if q.Method == "listfolder" {
			n++
		}
	}
	return n
}

func waitLib(t *testing.T, c *Client, what string, cond func(library.State) bool) library.State {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := c.WaitLibrary(ctx, cond)
	if err != nil {
		t.Fatalf("waiting for %s: %v (last state %+v)", what, err, st)
	}
	return st
}

func TestLibraryScanFollowRescan(t *testing.T) {
	r := newLibRig(t)
	c, err := Dial(context.Background(), r.path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// The scan runs in the engine; its progress reaches the client.
	mid := waitLib(t, c, "the scan midway", func(s library.State) bool { return s.Scanning && s.FoldersLeft > 0 })
	if mid.Complete {
		t.Fatalf("complete while scanning: %+v", mid)
	}
	r.gate.open()
	done := waitLib(t, c, "the scan's end", func(s library.State) bool { return s.Complete && !s.Scanning })
	if done.Files == 0 {
		t.Fatalf("the scan found nothing: %+v", done)
	}
	idx, err := library.OpenReader(r.db)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ctx := context.Background()
	count := func() int {
		idx.Reload()
		n, err := idx.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 60 {
		t.Fatalf("the index read beside the engine has %d tracks, want the 60 generated", n)
	}

	// A file added on pCloud shows up through diff, without a listing.
	lists := r.lists()
	found := func(q string) int {
		hits, err := idx.Search(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	f := fixtures.Get("tagged")
	r.srv.AddFile("/Music", pcloudtest.AudioFile("zebra crossing.mp3", map[int][]byte{128: f.Data()}, pcloudtest.Tags{Title: "Zebra Crossing", Artist: "Nobody"}))
	// Each state the engine sends (a new generation) is a chance to look.
	waitLib(t, c, "the added file", func(library.State) bool { return found("cross zebra") == 1 })
	if n := r.lists(); n != lists {
		t.Fatalf("the add cost %d listings; the change feed should have brought it", n-lists)
	}
	if n := count(); n != 61 {
		t.Fatalf("%d tracks after the add", n)
	}

	// A file removed disappears.
	r.srv.Remove("/Music/zebra crossing.mp3")
	waitLib(t, c, "the removal", func(library.State) bool { return found("zebra") == 0 })
	if n := count(); n != 60 {
		t.Fatalf("%d tracks after the removal", n)
	}

	// rescan lists the account again.
	c.Rescan()
	poll.Until(t, "the rescan's listings", func() bool { return r.lists() > lists })
	waitLib(t, c, "the rescan's end", func(s library.State) bool { return s.Complete && !s.Scanning })
	if n := count(); n != 60 {
		t.Fatalf("after the rescan: %d tracks", n)
	}
}

// An engine without a library sends none, and a rescan is ignored.
func TestNoLibrary(t *testing.T) {
	r := newRig(t, Options{})
	c := r.dial(t)
	c.Rescan()
	syncNow(t, c)
	if st, _ := c.LibraryState(); st != (library.State{}) {
		t.Fatalf("a library state from an engine with none: %+v", st)
	}
}
