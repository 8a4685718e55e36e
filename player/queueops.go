package player

import (
	"fmt"
)

func (p *Player) queueChangedLocked(c *[]*source) {
	p.gen++
	if p.nxt != nil && p.nxt.entry != p.q.follow(p.curID, true) {
		p.dropNext(c)
	}
}

// PlayNow inserts tracks after the current one and starts the first.
func (p *Player) PlayNow(tracks []Track) {
	if len(tracks) == 0 {
		return
	}
	p.do(func(c *[]*source) {
		es := p.q.newEntries(tracks)
		p.q.insertAt(p.q.indexOf(p.curID)+1, es, p.curID, true)
		p.queueChangedLocked(c)
		p.errMsg, p.failRun = "", 0
		p.startLocked(es[0].id, 0, c)
	})
}

// Enqueue appends tracks to the queue.
func (p *Player) Enqueue(tracks []Track) {
	if len(tracks) == 0 {
		return
	}
	p.do(func(c *[]*source) {
		p.q.insertAt(len(p.q.items), p.q.newEntries(tracks), p.curID, false)
		p.queueChangedLocked(c)
	})
}

// InsertNext puts tracks right after the current one.
func (p *Player) InsertNext(tracks []Track) {
	if len(tracks) == 0 {
		return
	}
	p.do(func(c *[]*source) {
		p.q.insertAt(p.q.indexOf(p.curID)+1, p.q.newEntries(tracks), p.curID, true)
		p.queueChangedLocked(c)
	})
}

// Remove deletes the track at display index i; removing the playing track
// plays the one that followed it (paused there when it was paused). Undo
// brings the track back.
func (p *Player) Remove(i int) {
	p.do(func(c *[]*source) {
		if i < 0 || i >= len(p.q.items) {
			p.errMsg = fmt.Sprintf("There is no track %d in the queue.", position(i))
			return
		}
		p.saveUndoLocked()
		id := p.q.items[i].id
		var follow uint64
		if id == p.curID {
			follow = p.q.follow(id, false)
		}
		p.q.remove(i)
		if id == p.curID {
			p.removedCurrentLocked(follow, c)
		}
		p.queueChangedLocked(c)
	})
}

// removedCurrentLocked moves on from the current entry, just removed, to
// follow (0: none): playing it when the removed one played, cued at its
// start when it was paused or cued. Under p.mu.
func (p *Player) removedCurrentLocked(follow uint64, c *[]*source) {
	active, paused := p.cur != nil || p.cued, p.paused || (p.cur == nil && p.cued)
	p.cued = false
	p.curID = follow
	switch {
	case active && follow != 0 && !paused:
		p.startLocked(follow, 0, c)
	case active && follow != 0:
		p.stopLocked(c)
		p.cued, p.cueAt = true, 0
	case active:
		p.stopLocked(c)
		p.curID = 0
		if ord := p.q.order(); len(ord) > 0 {
			p.curID = ord[0]
		}
	}
}

// position is index i as a person counts (from 1), without overflowing at
// the largest int a client may send.
func position(i int) uint64 { return uint64(i) + 1 }

// Move moves the track at display index from to index to.
func (p *Player) Move(from, to int) {
	p.do(func(c *[]*source) {
		n := len(p.q.items)
		if from < 0 || from >= n || to < 0 || to >= n {
			p.errMsg = fmt.Sprintf("Cannot move track %d to %d: the queue has %d tracks.", position(from), position(to), n)
			return
		}
		if from == to {
			return
		}
		p.q.move(from, to)
		p.queueChangedLocked(c)
	})
}

// Clear empties the queue and stops; Undo brings it back.
func (p *Player) Clear() {
	p.do(func(c *[]*source) {
		p.saveUndoLocked()
		p.stopLocked(c)
		p.q.clear()
		p.curID = 0
		p.errored = false
		p.gen++
	})
}
