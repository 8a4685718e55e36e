package pcloudtest

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// The change feed (`diff`) and the test hooks that change the library.
//
// Choices where pcloud-api.md is silent (unverified):
//   - The feed starts at diffid 1 with the tree as NewServer built it.
//   - diff without diffid, after or last answers every event kept.
//   - A diffid older than the history kept (see ForgetDiffs) answers a
//     single `reset` event, as does a diffid beyond the current one.
//   - A blocking call (block=1) with nothing to say is held until an event,
//     the client going away, or DiffBlockTimeout (default 60 s), then
//     answers no entries and the same diffid.
//   - Deleting a folder sends deletefile for each file below it and
//     deletefolder for each folder, deepest first.

// DiffBlockTimeout is how long a blocking diff is held by default.
const DiffBlockTimeout = 60 * time.Second

type diffEvent struct {
	id    uint64
	event string
	time  time.Time
	node  *node // a snapshot; nil for reset
}

// feed is the account's change feed.
type feed struct {
	mu      sync.Mutex
	events  []diffEvent
	first   uint64 // the oldest diffid still answered (older: reset)
	last    uint64
	wake    chan struct{}
	block   time.Duration
	nextDir uint64
	nextFil uint64
	limits  ListLimits
	waiting int // blocked diff calls
}

// waitingDiffs is the number of diff calls blocked now.
func (s *Server) waitingDiffs() int {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	return s.feed.waiting
}

func newFeed(lib *library) *feed {
	f := &feed{first: 1, last: 1, wake: make(chan struct{}), block: DiffBlockTimeout, nextDir: 1, nextFil: 1000}
	for id := range lib.folders {
		f.nextDir = max(f.nextDir, id+1)
	}
	for id := range lib.files {
		f.nextFil = max(f.nextFil, id+1)
	}
	return f
}

// snapshot copies a node without its children, with a stub parent carrying
// the parent's id.
func snapshot(n *node) *node {
	c := *n
	c.children = nil
	if n.parent != nil {
		c.parent = &node{id: n.parent.id, folder: true}
	}
	return &c
}

// emitLocked appends an event and wakes blocked callers; f.mu is held.
func (f *feed) emitLocked(now time.Time, event string, n *node) {
	f.last++
	e := diffEvent{id: f.last, event: event, time: now}
	if n != nil {
		e.node = snapshot(n)
	}
	f.events = append(f.events, e)
	close(f.wake)
	f.wake = make(chan struct{})
}

func (c *call) diff() reply {
	if _, code := c.authed(); code != 0 {
		return fail(code)
	}
	f := c.s.feed
	var diffid uint64
	if c.has("diffid") {
		v, err := strconv.ParseUint(strings.TrimSpace(c.p.Get("diffid")), 10, 64)
		if err != nil {
			v = ^uint64(0) // unreadable: answered like an unknown diffid, reset
		}
		diffid = v
	}
	var after time.Time
	if c.has("after") {
		if v, err := strconv.ParseInt(c.p.Get("after"), 10, 64); err == nil {
			after = time.Unix(v, 0)
		}
	}
	last := -1
	if c.p.Has("last") {
		if v, err := strconv.Atoi(c.p.Get("last")); err == nil && v >= 0 {
			last = v
		}
	}
	limit, _ := strconv.Atoi(c.p.Get("limit"))
	block := c.p.Get("block") == "1"
	f.mu.Lock()
	timeout := f.block
	f.mu.Unlock()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		f.mu.Lock()
		entries, cur := f.selectLocked(c.s.now(), diffid, after, last, limit)
		wake := f.wake
		wait := len(entries) == 0 && block && last < 0
		if wait {
			f.waiting++
		}
		f.mu.Unlock()
		if !wait {
			return reply{"result": 0, "diffid": cur, "entries": c.renderEvents(entries)}
		}
		r := c.await(wake, timer.C)
		f.mu.Lock()
		f.waiting--
		f.mu.Unlock()
		if r != nil {
			r["diffid"] = cur
			return r
		}
	}
}

// await waits for an event (nil) or answers the blocked call.
func (c *call) await(wake <-chan struct{}, timeout <-chan time.Time) reply {
	select {
	case <-wake:
		return nil
	case <-timeout:
	case <-c.r.Context().Done():
	case <-c.s.closed:
	}
	return reply{"result": 0, "entries": []any{}}
}

// selectLocked picks the events to answer and the diffid to give back.
func (f *feed) selectLocked(now time.Time, diffid uint64, after time.Time, last, limit int) ([]diffEvent, uint64) {
	var out []diffEvent
	switch {
	case last >= 0:
		if last > len(f.events) {
			last = len(f.events)
		}
		out = f.events[len(f.events)-last:]
	case diffid != 0 && (diffid < f.first || diffid > f.last):
		return []diffEvent{{id: f.last, event: "reset", time: now}}, f.last
	case diffid != 0:
		for i, e := range f.events {
			if e.id > diffid {
				out = f.events[i:]
				break
			}
		}
	case !after.IsZero():
		for i, e := range f.events {
			if e.time.After(after) {
				out = f.events[i:]
				break
			}
		}
	default:
		out = f.events
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	cur := f.last
	if len(out) > 0 && last < 0 {
		cur = out[len(out)-1].id
	}
	return append([]diffEvent(nil), out...), cur
}

func (c *call) renderEvents(es []diffEvent) []any {
	out := make([]any, 0, len(es))
	for _, e := range es {
		m := map[string]any{"event": e.event, "time": c.date(e.time), "diffid": e.id}
		if e.node != nil {
			m["metadata"] = c.metadata(e.node, false, false, false)
		}
		out = append(out, m)
	}
	return out
}

// SetDiffBlockTimeout sets how long a blocking diff with nothing to say is
// held (default DiffBlockTimeout).
func (s *Server) SetDiffBlockTimeout(d time.Duration) {
	s.feed.mu.Lock()
	s.feed.block = d
	s.feed.mu.Unlock()
}

// DiffID is the current diffid.
func (s *Server) DiffID() uint64 {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	return s.feed.last
}

// ResetDiff sends a `reset` event: clients must rescan.
func (s *Server) ResetDiff() {
	s.feed.mu.Lock()
	s.feed.emitLocked(s.now(), "reset", nil)
	s.feed.mu.Unlock()
}

// ForgetDiffs drops the history: a diffid older than the current one
// answers `reset` from now on (pCloud keeps about six months).
func (s *Server) ForgetDiffs() {
	s.feed.mu.Lock()
	s.feed.events = nil
	s.feed.first = s.feed.last
	s.feed.mu.Unlock()
}
