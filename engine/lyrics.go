package engine

import (
	"context"

	"github.com/pcplay/pcplay/lyrics"
)

// LyricsSource is the playing track's lyrics as a host keeps them
// (*host.Host; *Client passes them on). An engine whose command target is
// one sends its state to every client after the first status and at each
// change; the "lyrics" command calls WantLyrics.
type LyricsSource interface {
	// LyricsState is the current state and a channel closed at its next
	// change.
	LyricsState() (lyrics.State, <-chan struct{})
	// WantLyrics starts looking lyrics up for the playing track, and for
	// each next one.
	WantLyrics()
}

var _ LyricsSource = (*Client)(nil)

// sendLyrics sends the lyrics state and returns the channel of its next
// change (nil without a source; see sendNext).
func (c *conn) sendLyrics(send func(message) bool) <-chan struct{} {
	ls, ok := c.s.target.(LyricsSource)
	if !ok {
		return nil
	}
	st, next := ls.LyricsState()
	return c.sendNext(send, message{Lyrics: &st}, next)
}

// LyricsState is the engine's lyrics state as last sent, and a channel
// closed at the next one (or when the connection ends).
func (c *Client) LyricsState() (lyrics.State, <-chan struct{}) {
	st, _, next := state(c, &c.lyr)
	return st, next
}

// WantLyrics asks the engine to look up the playing track's lyrics (and
// each next track's).
func (c *Client) WantLyrics() { c.Call("lyrics", params{}) }

// WaitLyrics waits until cond holds for the engine's lyrics state (or ctx
// ends, or the connection does); seen says whether the engine sent one at
// all (an engine without lyrics sends none).
func (c *Client) WaitLyrics(ctx context.Context, cond func(st lyrics.State, seen bool) bool) (lyrics.State, error) {
	return wait(ctx, c, &c.lyr, cond)
}

// WantLyrics passes the lyrics command on to a target that keeps lyrics
// (the runner's target wraps the engine's).
func (t sharedQueue) WantLyrics() {
	if ls, ok := t.Target.(LyricsSource); ok {
		ls.WantLyrics()
	}
}
