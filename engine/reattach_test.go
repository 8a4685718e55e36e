//go:build unix

package engine

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

// A client whose engine went away says so (Lost), and Reattach starts a
// new engine with the same options and makes the client its: commands and
// subscriptions work again.
func TestReattachAfterTheEngineWentAway(t *testing.T) {
	r := newRig(t, Options{}) // for its player; its own socket is unused
	path := filepath.Join(shortDir(t), SocketName)
	var (
		mu      sync.Mutex
		stops   []context.CancelFunc
		started int
	)
	start := func(context.Context, string) (<-chan error, error) {
		ln, err := Listen(path)
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithCancel(context.Background())
		mu.Lock()
		stops = append(stops, cancel)
		started++
		mu.Unlock()
		exited := make(chan error, 1)
		go func() { exited <- Serve(ctx, ln, r.p, Options{}) }()
		t.Cleanup(cancel)
		return exited, nil
	}
	c, err := Ensure(context.Background(), EnsureOptions{Path: path, Start: start, Wait: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Lost() {
		t.Fatal("Lost with the engine running")
	}
	if err := c.Reattach(context.Background()); err != nil {
		t.Errorf("Reattach while attached: %v", err)
	}
	sub := c.Subscribe(context.Background())
	mu.Lock()
	stops[0]() // the engine goes away
	mu.Unlock()
	for range sub { // the old subscription closes
	}
	if !c.Lost() {
		t.Fatal("not Lost after the engine went away")
	}
	if err := c.Reattach(context.Background()); err != nil {
		t.Fatalf("Reattach: %v", err)
	}
	if c.Lost() || started != 2 {
		t.Fatalf("after Reattach: lost %v, %d engines started", c.Lost(), started)
	}
	sub = c.Subscribe(context.Background())
	c.SetVolume(23)
	syncNow(t, c)
	poll.Until(t, "the volume through the new engine", func() bool {
		select {
		case st := <-sub:
			return st.Volume == 23
		default:
			return false
		}
	})

	// A client closed by its owner is not lost and does not reattach.
	c.Close()
	if c.Lost() {
		t.Error("Lost after Close")
	}
	if err := c.Reattach(context.Background()); err == nil {
		t.Error("Reattach after Close succeeded")
	}
}
