package host

import (
	"context"
	"errors"
	"sync"

	"github.com/pcplay/pcplay/scrobble"
)

// listenHistory is the host's listening history: the scrobble queue's
// history table (the scrobbler records each listen by its one rule), and
// a count of the listens recorded while the host runs with a channel
// closed at the next, for the clients that show it.
type listenHistory struct {
	mu   sync.Mutex
	q    *scrobble.Queue // nil: none (not opened, or closed)
	n    uint64
	next chan struct{}
}

func newListenHistory() *listenHistory { return &listenHistory{next: make(chan struct{})} }

func (lh *listenHistory) open(q *scrobble.Queue) {
	lh.mu.Lock()
	lh.q = q
	lh.mu.Unlock()
}

func (lh *listenHistory) close() {
	lh.mu.Lock()
	lh.q = nil
	lh.mu.Unlock()
}

// listened counts a listen recorded and wakes those waiting for one.
func (lh *listenHistory) listened(scrobble.Listen) {
	lh.mu.Lock()
	lh.n++
	close(lh.next)
	lh.next = make(chan struct{})
	lh.mu.Unlock()
}

// errNoHistory: the history could not be opened.
var errNoHistory = errors.New("the listening history is not available: its file (scrobble.db in the state directory) could not be opened; see the engine's log")

// History is the last n listens, newest first.
func (h *Host) History(ctx context.Context, n int) ([]scrobble.Listen, error) {
	lh := h.hist
	lh.mu.Lock()
	q := lh.q
	lh.mu.Unlock()
	if q == nil {
		return nil, errNoHistory
	}
	return q.History(ctx, n)
}

// HistoryState is how many listens were recorded since the host started,
// and a channel closed at the next.
func (h *Host) HistoryState() (uint64, <-chan struct{}) {
	lh := h.hist
	lh.mu.Lock()
	defer lh.mu.Unlock()
	return lh.n, lh.next
}
