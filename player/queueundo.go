package player

import (
	"slices"
	"time"
)

// maxUndo is how many queue changes Undo can take back.
const maxUndo = 10

// maxUndoEntries bounds the tracks the undo snapshots hold in all (~100
// bytes each): ten changes of a 100,000-track queue would hold 100 MB on
// a 512 MB box. The oldest snapshots go first; the latest is always kept.
const maxUndoEntries = 200_000

// queueSnap is the queue as it was before a Replace, Remove or Clear, and
// what played in it then, for Undo.
type queueSnap struct {
	items  []entry
	shuf   []uint64
	cur    uint64        // the current entry then (0: none)
	pos    time.Duration // where it was
	active bool          // it played, paused or cued then
	paused bool          // it was paused (or cued)
}

// saveUndoLocked remembers the queue before a change Undo takes back. An
// empty queue is not worth remembering. Under p.mu.
func (p *Player) saveUndoLocked() {
	if len(p.q.items) == 0 {
		return
	}
	s := queueSnap{items: slices.Clone(p.q.items), shuf: slices.Clone(p.q.shuf), cur: p.curID}
	switch {
	case p.cur != nil:
		s.pos, s.active, s.paused = p.positionLocked(), true, p.paused
	case p.cued:
		s.pos, s.active, s.paused = p.cueAt, true, true
	}
	p.q.undo = append(p.q.undo, s)
	keep, held := 0, 0
	for i := len(p.q.undo) - 1; i >= 0 && keep < maxUndo; i-- {
		if held += len(p.q.undo[i].items); held > maxUndoEntries && keep > 0 {
			break
		}
		keep++
	}
	if n := len(p.q.undo) - keep; n > 0 {
		p.q.undo = slices.Delete(p.q.undo, 0, n)
	}
}

// Replace makes tracks the queue and plays tracks[start]; with start out
// of range nothing plays. An empty list clears the queue. Undo brings the
// old queue back.
func (p *Player) Replace(tracks []Track, start int) {
	if len(tracks) == 0 {
		p.Clear()
		return
	}
	p.do(func(c *[]*source) {
		p.saveUndoLocked()
		es := p.q.newEntries(tracks)
		p.q.items, p.q.shuf = es, nil
		id := uint64(0)
		if start >= 0 && start < len(es) {
			id = es[start].id
		}
		if p.q.shuffle {
			p.q.setShuffle(true, id)
		}
		p.gen++
		p.errMsg, p.failRun, p.errored = "", 0, false
		if id != 0 {
			p.startLocked(id, 0, c)
			return
		}
		p.stopLocked(c)
		p.curID = p.q.order()[0]
	})
}

// Undo takes back the last Replace, Remove or Clear. The queue comes back
// as it was. When the current track is in it, that plays on untouched;
// otherwise the track that was current then comes back where it was:
// playing if something plays now and it played then, else paused there.
func (p *Player) Undo() {
	p.do(func(c *[]*source) {
		n := len(p.q.undo)
		if n == 0 {
			p.errMsg = "There is nothing to undo in the queue."
			return
		}
		s := p.q.undo[n-1]
		p.q.undo = p.q.undo[:n-1]
		p.q.items = s.items
		p.q.shuf = s.shuf
		switch {
		case !p.q.shuffle:
			p.q.shuf = nil
		case len(p.q.shuf) != len(p.q.items): // shuffle was turned on since
			p.q.setShuffle(true, p.curID)
		}
		p.gen++
		p.errMsg = ""
		if p.q.indexOf(p.curID) >= 0 {
			p.queueChangedLocked(c)
			return
		}
		playing := p.cur != nil && !p.paused
		p.curID = s.cur
		if p.q.indexOf(s.cur) < 0 {
			p.curID, s.active = p.q.order()[0], false
		}
		switch {
		case playing && s.active && !s.paused:
			p.startLocked(p.curID, s.pos, c)
		case s.active:
			p.stopLocked(c)
			p.cued, p.cueAt = true, s.pos
		default:
			p.stopLocked(c)
		}
	})
}

// noteDurationLocked keeps the playing track's length in its queue entry
// once the stream knows it, for the queue's total time. It is noted once
// (a refined estimate would change the queue, and send it to every
// attached UI, again and again). Under p.mu.
func (p *Player) noteDurationLocked() {
	if p.cur == nil {
		return
	}
	d := p.cur.ts.Duration()
	i := p.q.indexOf(p.cur.entry)
	if d <= 0 || i < 0 || p.q.items[i].t.Duration != 0 {
		return
	}
	p.q.items[i].t.Duration = d
	p.gen++
}
