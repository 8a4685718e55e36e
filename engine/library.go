package engine

import (
	"context"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/library"
)

// LibraryKeeper is the music library an engine keeps; *library.Keeper
// satisfies it, and so does *Client (a UI asks through it).
type LibraryKeeper interface {
	// LibraryState is the current state and a channel closed at its next
	// change.
	LibraryState() (library.State, <-chan struct{})
	// Rescan scans the whole library again (the R key).
	Rescan()
	// Measure measures, in the background, the durations of tracks not
	// known yet (the album a UI shows).
	Measure(fileIDs []uint64)
}

var _ LibraryKeeper = (*library.Keeper)(nil)
var _ LibraryKeeper = (*Client)(nil)

// sendLibrary sends the library's state and returns the channel of its
// next change (nil when the engine keeps no library; see sendNext).
func (c *conn) sendLibrary(send func(message) bool) <-chan struct{} {
	k := c.s.opts.Library
	if k == nil {
		return nil
	}
	st, next := k.LibraryState()
	return c.sendNext(send, message{Library: &st}, next)
}

// LibraryState is the engine's library state as last sent, and a channel
// closed at the next one (or when the connection ends; after that, a
// channel that never closes).
func (c *Client) LibraryState() (library.State, <-chan struct{}) {
	st, _, next := state(c, &c.lib)
	return st, next
}

// Rescan asks the engine to scan the whole library again.
func (c *Client) Rescan() { c.Call("rescan", params{}) }

// Measure asks the engine to measure the durations of tracks (the album
// on screen) in the background; the first command.MaxMeasure of them.
func (c *Client) Measure(fileIDs []uint64) {
	c.Call("measure", params{Files: fileIDs[:min(len(fileIDs), command.MaxMeasure)]})
}

// WaitLibrary waits until cond holds for the engine's library state (or
// ctx ends, or the connection does).
func (c *Client) WaitLibrary(ctx context.Context, cond func(library.State) bool) (library.State, error) {
	return wait(ctx, c, &c.lib, func(st library.State, _ bool) bool { return cond(st) })
}
