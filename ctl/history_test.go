//go:build unix

package ctl

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
)

// historyTarget is the rig's player with a listening history kept as the
// host keeps it: scrobble.Run's one rule, here on snapshots the test gives
// (a track must be heard 15 s and more to count: real playing is too slow
// for a test), each with its time.
type historyTarget struct {
	*player.Player
	q *scrobble.Queue

	mu   sync.Mutex
	n    uint64
	next chan struct{}
}

func (*historyTarget) Login(string, string, string) error { return nil }
func (*historyTarget) ReloadLogin() error                 { return nil }
func (*historyTarget) SetFolder(string, uint64)           {}
func (*historyTarget) Rescan()                            {}
func (*historyTarget) Measure([]uint64)                   {}

func (h *historyTarget) History(ctx context.Context, n int) ([]scrobble.Listen, error) {
	return h.q.History(ctx, n)
}

func (h *historyTarget) HistoryState() (uint64, <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n, h.next
}

func (h *historyTarget) listened(scrobble.Listen) {
	h.mu.Lock()
	h.n++
	close(h.next)
	h.next = make(chan struct{})
	h.mu.Unlock()
}

// `ctl history` lists a track once the scrobble rule counts it (half of
// it heard), not before; --json gives its fields; every client is told
// the count of listens.
func TestCtlHistory(t *testing.T) {
	r := newRig(t)
	q, err := scrobble.OpenMemoryQueue()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	ht := &historyTarget{Player: r.p, q: q, next: make(chan struct{})}

	dir, err := os.MkdirTemp("", "pch")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, engine.SocketName)
	ln, err := engine.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { engine.Serve(ctx, ln, r.p, engine.Options{Target: ht}); close(served) }()
	sts, clock := make(chan player.Status), make(chan time.Time)
	ran := make(chan struct{})
	go func() {
		scrobble.Run(ctx, sts, scrobble.Options{Queue: q, Now: func() time.Time { return <-clock }, Listened: ht.listened})
		close(ran)
	}()
	t.Cleanup(func() { cancel(); close(sts); <-served; <-ran })

	tr := r.tracks("tagged")[0]
	began := time.Date(2026, 11, 2, 14, 3, 0, 0, time.Local)
	// feed gives the snapshot at second s of a one-minute track; once it
	// returns, every snapshot before has been taken in full.
	feed := func(s int) {
		sts <- player.Status{State: player.Playing, Index: 0, Track: tr, Position: time.Duration(s) * time.Second, Duration: time.Minute}
		clock <- began.Add(time.Duration(s) * time.Second)
	}
	run := func(args ...string) string {
		t.Helper()
		c, err := engine.Dial(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var b strings.Builder
		if err := Run(context.Background(), c, args, &b, nil); err != nil {
			t.Fatalf("ctl %v: %v", args, err)
		}
		return b.String()
	}

	watcher, err := engine.Dial(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()

	for s := 0; s <= 29; s++ {
		feed(s)
	}
	feed(29) // the one before was taken whole
	if out := run("history"); out != "" {
		t.Fatalf("ctl history before half the track was heard: %q", out)
	}
	if out := run("history", "--json"); out != "[]\n" {
		t.Fatalf("ctl history --json before half: %q", out)
	}
	feed(30)
	feed(31)
	want := "2026-11-02 14:03  " + tr.Label() + "\n"
	if out := run("history"); out != want {
		t.Fatalf("ctl history: %q, want %q", out, want)
	}
	var got []HistoryEntry
	if err := json.Unmarshal([]byte(run("history", "5", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].FileID != tr.FileID || got[0].Artist != tr.Artist || got[0].Title != tr.Title || got[0].DurationSeconds != 60 {
		t.Fatalf("ctl history --json: %+v", got)
	}
	if at, err := time.Parse(time.RFC3339, got[0].Started); err != nil || !at.Equal(began) {
		t.Fatalf("started %q (%v), want %v", got[0].Started, err, began)
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	for {
		n, next := watcher.HistoryState()
		if n == 1 {
			break
		}
		select {
		case <-next:
		case <-wctx.Done():
			t.Fatalf("a client was told %d listens, want 1", n)
		}
	}
	if _, err := command.ParseCtl([]string{"history", "0"}, player.Status{}); !IsUsage(err) {
		t.Errorf("ctl history 0: %v", err)
	}
	if _, err := command.ParseCtl([]string{"history", "5001"}, player.Status{}); !IsUsage(err) {
		t.Errorf("ctl history 5001: %v", err)
	}
}
