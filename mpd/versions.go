package mpd

import (
	"sync"

	"github.com/pcplay/pcplay/player"
)

// versions keeps, for plchanges, the queue version at which each entry
// last changed (entered the queue, moved, or had its track change): the
// player keeps one version for the whole queue. It compares each view it
// is shown with the last; an entry's version is never older than its
// change, so plchanges answers every changed entry (and, when views were
// missed between, a few more).
type versions struct {
	mu   sync.Mutex
	gen  uint64 // the last view's version; 0: none yet
	from uint64 // versions before this one are not known: all changed
	last map[uint64]seen
}

type seen struct {
	pos int
	t   player.Track
	ver uint64
}

// observe takes in a view.
func (vs *versions) observe(v player.QueueView) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.observeLocked(v)
}

func (vs *versions) observeLocked(v player.QueueView) {
	if vs.last != nil && v.Gen == vs.gen {
		return
	}
	if vs.last == nil {
		vs.from = v.Gen
	}
	next := make(map[uint64]seen, len(v.Entries))
	for i, e := range v.Entries {
		s, ok := vs.last[e.ID]
		if !ok || s.pos != i || s.t != e.Track {
			s = seen{pos: i, t: e.Track, ver: v.Gen}
		}
		next[e.ID] = s
	}
	vs.last, vs.gen = next, v.Gen
}

// changedSince reports, for each entry of v (in order), whether it
// changed after version.
func (vs *versions) changedSince(v player.QueueView, version uint64) []bool {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.observeLocked(v)
	out := make([]bool, len(v.Entries))
	for i, e := range v.Entries {
		out[i] = version < vs.from || version > v.Gen || vs.last[e.ID].ver > version
	}
	return out
}
