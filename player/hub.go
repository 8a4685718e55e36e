package player

import (
	"context"
	"sync"
)

// Hub delivers Status snapshots latest-wins: every subscriber channel has a
// buffer of one, and a newer snapshot replaces one not yet read. Publishing
// never blocks. The zero Hub is ready; the player and the engine's client
// both use one.
type Hub struct {
	mu     sync.Mutex
	subs   map[chan Status]struct{}
	closed bool
}

// Subscribe returns a channel that holds first at once and then every
// published snapshot, latest wins. It closes when ctx ends or the hub
// closes (after a Close, it holds first and is closed already).
func (h *Hub) Subscribe(ctx context.Context, first Status) <-chan Status {
	ch := make(chan Status, 1)
	ch <- first
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
	context.AfterFunc(ctx, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
	})
	return ch
}

// Publish hands s to every subscriber, replacing a snapshot not yet read.
func (h *Hub) Publish(s Status) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- s:
			continue
		default:
		}
		// Full: drop the stale snapshot. Only Publish sends, under h.mu, so
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

// Close closes every subscriber's channel; later subscriptions get a closed
// channel holding their first status.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}
