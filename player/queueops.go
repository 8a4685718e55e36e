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
// plays the one that followed it.
func (p *Player) Remove(i int) {
	p.do(func(c *[]*source) {
		if i < 0 || i >= len(p.q.items) {
			p.errMsg = fmt.Sprintf("There is no track %d in the queue.", i+1)
			return
		}
		id := p.q.items[i].id
		var follow uint64
		if id == p.curID {
			follow = p.q.follow(id, false)
		}
		p.q.remove(i)
		if id == p.curID {
			p.cued = false
			playing := p.cur != nil
			p.curID = follow
			if playing && follow != 0 {
				p.startLocked(follow, 0, c)
			} else if playing {
				p.stopLocked(c)
				p.curID = 0
				if ord := p.q.order(); len(ord) > 0 {
					p.curID = ord[0]
				}
			}
		}
		p.queueChangedLocked(c)
	})
}

// Move moves the track at display index from to index to.
func (p *Player) Move(from, to int) {
	p.do(func(c *[]*source) {
		n := len(p.q.items)
		if from < 0 || from >= n || to < 0 || to >= n {
			p.errMsg = fmt.Sprintf("Cannot move track %d to %d: the queue has %d tracks.", from+1, to+1, n)
			return
		}
		if from == to {
			return
		}
		p.q.move(from, to)
		p.queueChangedLocked(c)
	})
}

// Clear empties the queue and stops.
func (p *Player) Clear() {
	p.do(func(c *[]*source) {
		p.stopLocked(c)
		p.q.clear()
		p.curID = 0
		p.errored = false
		p.gen++
	})
}
