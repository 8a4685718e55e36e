package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// StartError is why an engine that StartProcess started did not start:
// the first line it wrote on stderr, and its exit status (-1 when it did
// not exit by itself). The status is the typed reason: the engine exits
// with the same status as the one-process program would (3: no sound
// device).
type StartError struct {
	Said string
	Code int
}

func (e *StartError) Error() string { return e.Said }

// EnsureOptions configure Ensure.
type EnsureOptions struct {
	// Path is the socket; "" means: Find a running engine, else start
	// one at SocketPath().
	Path string
	// Args are the global flags the engine is started with (`pcplay
	// ARGS... engine`), so that it plays with the same settings.
	Args []string
	// Start starts an engine that will listen on Path. nil: StartProcess
	// with Args. Tests inject their own.
	Start func(ctx context.Context, path string) (exited <-chan error, err error)
	// Wait bounds the wait for a new engine's socket; 0 means 5 s.
	Wait time.Duration
}

// startPoll is how often Ensure tries the socket of an engine it started.
// The engine listens 30-50 ms after its exec on a 2-core VM (most of it
// opening the sound device), so a 20 ms poll added 10 ms on average to a
// start that must start the engine (bench/startup.sh); a refused dial
// costs a few microseconds.
const startPoll = 2 * time.Millisecond

// Ensure connects to the running engine, or starts one and connects to it.
// Starting happens under an exclusive lock on engine.lock beside the
// socket, so that two pcplay started at once end up with one engine.
func Ensure(ctx context.Context, o EnsureOptions) (*Client, error) {
	c, started, err := ensure(ctx, o, Dial)
	if err == nil {
		c.mu.Lock()
		c.restart, c.started = &o, started
		c.mu.Unlock()
		c.MarkUI()
	}
	return c, err
}

// Started reports whether Ensure (or Reattach) started the engine this
// client is attached to; false: it was running already.
func (c *Client) Started() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.started
}

// ensure is Ensure connecting with dial.
func ensure(ctx context.Context, o EnsureOptions, dial dialFunc) (c *Client, started bool, err error) {
	if o.Path == "" {
		c, err := find(ctx, socketPaths(os.Getenv), dial)
		if err == nil || !errors.Is(err, ErrNoEngine) {
			return c, false, err
		}
		p, err := SocketPath()
		if err != nil {
			return nil, false, err
		}
		o.Path = p
	}
	if o.Wait <= 0 {
		o.Wait = 5 * time.Second
	}
	if o.Start == nil {
		args := o.Args
		o.Start = func(ctx context.Context, _ string) (<-chan error, error) { return StartProcess(args) }
	}
	c, err = dial(ctx, o.Path)
	if err == nil || !errors.Is(err, ErrNoEngine) {
		return c, false, err
	}
	unlock, err := lockFile(ctx, filepath.Join(filepath.Dir(o.Path), LockName))
	if err != nil {
		return nil, false, err
	}
	defer unlock()
	// Another pcplay may have started one while we waited for the lock.
	c, err = dial(ctx, o.Path)
	if err == nil || !errors.Is(err, ErrNoEngine) {
		return c, false, err
	}
	if err := removeStale(o.Path); err != nil {
		if errors.Is(err, ErrRunning) {
			c, err := dial(ctx, o.Path)
			return c, false, err
		}
		return nil, false, err
	}
	exited, err := o.Start(ctx, o.Path)
	if err != nil {
		return nil, false, fmt.Errorf("cannot start the pcplay engine: %w", err)
	}
	deadline := time.Now().Add(o.Wait)
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	tick := time.NewTicker(startPoll)
	defer tick.Stop()
	notOpen := fmt.Errorf("the pcplay engine did not open its socket within %s; its log says why", o.Wait)
	for {
		c, err := dial(wctx, o.Path)
		switch {
		case err == nil:
			return c, true, nil
		case ctx.Err() != nil:
			return nil, false, ctx.Err()
		case wctx.Err() != nil || !time.Now().Before(deadline):
			// (The dialer may see the deadline before wctx ends.)
			return nil, false, notOpen
		case !errors.Is(err, ErrNoEngine):
			return nil, false, err
		}
		select {
		case err := <-exited:
			if err == nil {
				err = errors.New("it exited")
			}
			return nil, false, fmt.Errorf("the pcplay engine did not start: %w", err)
		case <-wctx.Done():
			return nil, false, notOpen
		case <-tick.C:
		}
	}
}
