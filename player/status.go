package player

import (
	"context"
	"time"
)

func (p *Player) publish(st Status) {
	p.mu.Lock()
	send := visible(p.lastSent, st)
	if send {
		p.lastSent = st
	}
	p.mu.Unlock()
	if send {
		p.hub.Publish(st)
	}
}

// Status is the current snapshot.
func (p *Player) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.statusLocked()
}

func (p *Player) positionLocked() time.Duration {
	if p.cur == nil {
		return 0
	}
	p.mix.mu.Lock()
	pend := p.cur.pending()
	p.mix.mu.Unlock()
	return max(0, p.cur.ts.Position()-pend)
}

func (p *Player) statusLocked() Status {
	st := Status{
		Index:     p.q.indexOf(p.curID),
		Volume:    p.volume,
		Muted:     p.muted,
		Shuffle:   p.q.shuffle,
		Repeat:    p.q.repeat,
		Bitrate:   p.bitrate,
		Err:       p.errMsg,
		QueueGen:  p.gen,
		Undos:     len(p.q.undo),
		NeedLogin: p.needLogin && p.errMsg != "",
	}
	if d := p.devErr.Load(); d != nil && *d != "" {
		st.Err = *d // while it lasts, the device is what the person must know of
	}
	if st.Index >= 0 {
		st.Track = p.q.items[st.Index].t
	}
	p.sleepStatusLocked(&st)
	switch {
	case p.closed || p.cur == nil:
		st.State = Stopped
		if p.errored {
			st.State = Errored
		}
		if p.cued && st.Index >= 0 && !p.closed {
			st.State = Paused
			st.Position = p.cueAt
		}
	default:
		st.Position = p.positionLocked()
		st.Duration = p.cur.ts.Duration()
		switch p.cur.ts.Status() {
		case TrackConnecting:
			st.State = Loading
		case TrackBuffering:
			st.State = Buffering
		case TrackReconnecting:
			st.State = Reconnecting
		case TrackFailed:
			st.State = Errored
		case TrackWaiting:
			st.State = Waiting
			if oc, ok := p.cur.ts.(outageCtl); ok {
				if at, why, ok := oc.Outage(); ok {
					st.RetryAt, st.Reason = at.Round(0), why
					st.RetryIn = max(0, time.Until(at)+time.Second-1).Truncate(time.Second)
				}
			}
		default:
			st.State = Playing
		}
		if p.paused {
			st.State = Paused
		}
	}
	if st.Duration <= 0 && st.Index >= 0 {
		// Known before: a stream reopened at a second (another bitrate)
		// may learn it late or never, and a track cued from the session
		// has no stream yet.
		st.Duration = st.Track.Duration
	}
	return st
}

// Queue is a copy of the queue in display order.
func (p *Player) Queue() []Track {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.q.tracks()
}

// Subscribe returns a channel of Status snapshots, latest wins; it receives
// the current one at once. It closes when ctx ends or the player closes.
func (p *Player) Subscribe(ctx context.Context) <-chan Status {
	p.mu.Lock()
	st := p.statusLocked()
	p.mu.Unlock()
	return p.hub.Subscribe(ctx, st)
}

// visible reports whether b differs from a in anything a listener sees: every
// field, with the position compared in whole seconds.
func visible(a, b Status) bool {
	pa, pb := a.Position, b.Position
	a.Position, b.Position = 0, 0
	return a != b || pa/time.Second != pb/time.Second
}
