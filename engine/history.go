package engine

import (
	"context"
	"errors"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/scrobble"
)

// HistorySource is the listening history as a host keeps it (*host.Host;
// *Client passes it on). An engine whose command target is one answers the
// history command, and sends every client the count of listens recorded
// (after the first status and at each new listen), so that a view of the
// history knows when to ask again.
type HistorySource interface {
	command.HistoryTarget
	// HistoryState is how many listens were recorded since the host
	// started, and a channel closed at the next.
	HistoryState() (uint64, <-chan struct{})
}

var _ HistorySource = (*Client)(nil)

// historyMsg is the history command's answer: the listens, newest first,
// or why they could not be read.
type historyMsg struct {
	Listens []scrobble.Listen `json:"listens"`
	Error   string            `json:"error,omitempty"`
}

// sendListened sends the count of listens and returns the channel of the
// next (nil without a source; see sendNext).
func (c *conn) sendListened(send func(message) bool) <-chan struct{} {
	hs, ok := c.s.target.(HistorySource)
	if !ok {
		return nil
	}
	n, next := hs.HistoryState()
	return c.sendNext(send, message{Listened: &n}, next)
}

// History passes the history command on to a target that keeps one.
func (t sharedQueue) History(ctx context.Context, n int) ([]scrobble.Listen, error) {
	if hs, ok := t.Target.(command.HistoryTarget); ok {
		return hs.History(ctx, n)
	}
	return []scrobble.Listen{}, nil
}

// History asks the engine for the last n listens, newest first (n 0:
// command.HistoryDefault), and waits for the answer (within ctx).
func (c *Client) History(ctx context.Context, n int) ([]scrobble.Listen, error) {
	c.histMu.Lock() // one question at a time: the answer is the last one come
	defer c.histMu.Unlock()
	c.mu.Lock()
	c.hist = nil
	c.mu.Unlock()
	c.Call("history", params{Value: min(max(n, 0), command.HistoryMax)})
	if err := c.Sync(ctx); err != nil {
		return nil, err
	}
	c.mu.Lock()
	h := c.hist
	c.hist = nil
	c.mu.Unlock()
	switch {
	case h == nil:
		return nil, errors.New("the pcplay engine keeps no listening history (it may be older than this pcplay: run pcplay stop, then pcplay again)")
	case h.Error != "":
		return nil, errors.New("the pcplay engine could not read the listening history: " + clip200(h.Error))
	}
	if h.Listens == nil {
		h.Listens = []scrobble.Listen{}
	}
	return h.Listens, nil
}

// HistoryState is the engine's count of listens as last sent, and a
// channel closed at the next (or when the connection ends).
func (c *Client) HistoryState() (uint64, <-chan struct{}) {
	n, _, next := state(c, &c.lis)
	return n, next
}

// fitHistory is the first listens of ls whose message stays under
// MaxServerLine (names of thousands of bytes could pass it: the newest
// are kept), by the most their JSON can take: each byte of a name escaped
// to 6.
func fitHistory(ls []scrobble.Listen) []scrobble.Listen {
	size := 64
	for i, l := range ls {
		t := l.Track
		size += 256 + 6*(len(t.Name)+len(t.Title)+len(t.Artist)+len(t.Album))
		if size > MaxServerLine {
			return ls[:i]
		}
	}
	return ls
}
