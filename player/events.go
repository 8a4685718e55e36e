package player

import (
	"context"
	"sync"
	"time"
)

// hub delivers Status snapshots latest-wins: every subscriber channel has a
// buffer of one, and a newer snapshot replaces one not yet read. Publishing
// never blocks.
type hub struct {
	mu     sync.Mutex
	subs   map[chan Status]struct{}
	closed bool
}

func (h *hub) subscribe(ctx context.Context, first Status) <-chan Status {
	ch := make(chan Status, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch
	}
	if h.subs == nil {
		h.subs = make(map[chan Status]struct{})
	}
	h.subs[ch] = struct{}{}
	ch <- first
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
	}()
	return ch
}

func (h *hub) publish(s Status) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- s:
			continue
		default:
		}
		// Full: drop the stale snapshot. Only publish sends, under h.mu, so
		// the second send always finds room.
		select {
		case <-ch:
		default:
		}
		select {
		case ch <- s:
		default:
		}
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}

// visible reports whether b differs from a in anything a listener sees: every
// field, with the position compared in whole seconds.
func visible(a, b Status) bool {
	pa, pb := a.Position, b.Position
	a.Position, b.Position = 0, 0
	return a != b || pa/time.Second != pb/time.Second
}
