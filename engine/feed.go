package engine

import "context"

// feed is a state the engine sends a client at each change (the
// library's, the lyrics'): the last one, whether one came at all, and a
// channel closed at the next. The client's mutex guards it.
type feed[T any] struct {
	v    T
	seen bool
	next chan struct{}
}

// never is a channel that is never closed: no library, no change.
var never = make(chan struct{})

// get is the state and a channel closed at the next one (never once the
// connection has ended).
func (f *feed[T]) get(ended bool) (T, <-chan struct{}) {
	if ended {
		return f.v, never
	}
	if f.next == nil {
		f.next = make(chan struct{})
	}
	return f.v, f.next
}

// set keeps a state from the engine and wakes those waiting for it.
func (f *feed[T]) set(v T) {
	f.v, f.seen = v, true
	f.wake()
}

// wake closes the channel get handed out.
func (f *feed[T]) wake() {
	if f.next != nil {
		close(f.next)
		f.next = nil
	}
}

// state is the feed's state under c.mu.
func state[T any](c *Client, f *feed[T]) (v T, seen bool, next <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, next = f.get(c.ended)
	return v, f.seen, next
}

// wait waits until cond holds for the feed's state (or ctx ends, or the
// connection does: then cond is asked once more of the last state).
func wait[T any](ctx context.Context, c *Client, f *feed[T], cond func(v T, seen bool) bool) (T, error) {
	for {
		v, seen, next := state(c, f)
		if cond(v, seen) {
			return v, nil
		}
		select {
		case <-ctx.Done():
			return v, ctx.Err()
		case <-next:
		case <-c.done:
			if v, seen, _ = state(c, f); cond(v, seen) {
				return v, nil
			}
			return v, ErrNoEngine
		}
	}
}
