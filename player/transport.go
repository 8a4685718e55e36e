package player

import (
	"fmt"
	"time"
)

// Play resumes when paused, or starts the current (else the first) track.
func (p *Player) Play() {
	p.do(func(c *[]*source) {
		if p.cur != nil {
			if p.paused {
				p.setPausedLocked(false)
			}
			if oc, ok := p.cur.ts.(outageCtl); ok {
				oc.RetryNow() // waiting for pCloud: try at once
			}
			return
		}
		id := p.curID
		if p.q.indexOf(id) < 0 {
			id = 0
			if ord := p.q.order(); len(ord) > 0 {
				id = ord[0]
			}
		}
		if id != 0 {
			p.errMsg = ""
			p.failRun = 0
			start := time.Duration(0)
			if p.cued && id == p.curID {
				start = p.cueAt.Truncate(time.Second)
			}
			p.startLocked(id, start, c)
		}
	})
}

func (p *Player) setPausedLocked(on bool) {
	if p.cur == nil || p.paused == on {
		return
	}
	p.paused = on
	if oc, ok := p.cur.ts.(outageCtl); ok {
		oc.Hold(on) // a pause cancels a wait for pCloud
	}
	p.mix.mu.Lock()
	p.mix.paused = on
	p.mix.mu.Unlock()
	p.out.SetPaused(on)
}

// Pause pauses; the output device is suspended.
func (p *Player) Pause() {
	p.do(func(*[]*source) { p.setPausedLocked(true) })
}

// Toggle pauses or resumes (starts when stopped).
func (p *Player) Toggle() {
	p.mu.Lock()
	playing := p.cur != nil && !p.paused
	p.mu.Unlock()
	if playing {
		p.Pause()
	} else {
		p.Play()
	}
}

// Stop stops playback; Play starts the current track again from its start.
func (p *Player) Stop() {
	p.do(func(c *[]*source) { p.stopLocked(c) })
}

// Next plays the next track in play order (stops after the last one unless
// repeat all).
func (p *Player) Next() {
	p.do(func(c *[]*source) {
		p.errMsg, p.failRun = "", 0
		next := p.q.follow(p.curID, false)
		if next == 0 {
			p.stopLocked(c)
			return
		}
		p.startLocked(next, 0, c)
	})
}

// Prev restarts the current track when it has played more than 3 s, else
// plays the previous one in play order.
func (p *Player) Prev() {
	p.do(func(c *[]*source) {
		p.errMsg, p.failRun = "", 0
		if p.cur != nil && p.positionLocked() > prevRestart {
			p.seekLocked(0, c)
			return
		}
		prev := p.q.precede(p.curID)
		if prev == 0 {
			prev = p.curID
		}
		if prev != 0 {
			p.startLocked(prev, 0, c)
		}
	})
}

// PlayIndex plays the track at display index i.
func (p *Player) PlayIndex(i int) {
	p.do(func(c *[]*source) {
		if i < 0 || i >= len(p.q.items) {
			p.errMsg = fmt.Sprintf("There is no track %d in the queue.", position(i))
			return
		}
		p.errMsg, p.failRun = "", 0
		p.startLocked(p.q.items[i].id, 0, c)
	})
}

// Seek jumps to to in the current track (past its end: the next track);
// nothing while stopped.
func (p *Player) Seek(to time.Duration) {
	p.do(func(c *[]*source) { p.seekLocked(to, c) })
}

// SeekBy jumps by d from the current position (or the pending seek target).
func (p *Player) SeekBy(d time.Duration) {
	p.do(func(c *[]*source) {
		if p.cued && p.cur == nil {
			p.seekLocked(p.cueAt+d, c)
			return
		}
		if p.cur == nil {
			return
		}
		p.seekLocked(p.positionLocked()+d, c)
	})
}

func (p *Player) seekLocked(to time.Duration, c *[]*source) {
	to = max(0, to)
	if p.cur == nil {
		if p.cued {
			p.cueAt = to // cued: move the cue point
		}
		return // stopped: nothing to seek in
	}
	if d := p.cur.ts.Duration(); d > 0 && to >= d {
		if next := p.q.follow(p.curID, false); next != 0 {
			p.startLocked(next, 0, c)
		} else {
			p.stopLocked(c)
		}
		return
	}
	p.mix.mu.Lock()
	if p.mix.cur == p.cur {
		p.mix.cutLocked()
		p.cur.ts.Seek(to)
		p.cur.flush()
	}
	p.mix.mu.Unlock()
}

// Cue makes the track at display index i current, paused at at, without
// opening its stream: Play (or Toggle) starts it there. It restores a saved
// session. Seeks while cued move the cue point.
func (p *Player) Cue(i int, at time.Duration) {
	p.do(func(c *[]*source) {
		if i < 0 || i >= len(p.q.items) {
			return
		}
		p.stopLocked(c)
		p.curID = p.q.items[i].id
		p.cueAt = max(0, at)
		p.cued = true
		p.errMsg, p.errored = "", false
	})
}
