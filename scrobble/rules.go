package scrobble

import (
	"time"

	"github.com/pcplay/pcplay/player"
)

// The rules of a listen, as ListenBrainz and Last.fm state them.
const (
	// MinLength: a track this long or shorter never counts.
	MinLength = 30 * time.Second
	// MaxNeed: a track counts after this long heard even if that is less
	// than half of it.
	MaxNeed = 4 * time.Minute
)

const (
	// slack is how much more than the wall clock the position may advance
	// between two snapshots and still count as heard (the snapshots are
	// taken at whole seconds of position, not of the clock).
	slack = 500 * time.Millisecond
	// restartBelow: a play whose position comes back under this from past
	// restartFrom is a new play (repeat one, or the track started over).
	restartBelow = 2 * time.Second
	restartFrom  = 3 * time.Second
)

// Listen is one play of a track: what is sent as "now playing" when it
// starts, and as a listen once it counts.
type Listen struct {
	Track    player.Track  `json:"track"`
	Duration time.Duration `json:"duration,omitempty"` // 0: unknown
	Started  time.Time     `json:"started"`            // when the play began: listened_at / timestamp
}

// Key is the listen's idempotency key: the file id and the start time.
func (l Listen) Key() string {
	return keyOf(l.Track.FileID, l.Started)
}

// Rules follows one player's snapshots and says when a play starts and
// when it counts as a listen. It is a pure state machine: the caller gives
// the time of each snapshot. The zero Rules is ready.
type Rules struct {
	cur    *play
	prev   player.Status
	prevAt time.Time
	seen   bool
}

type play struct {
	listen  Listen
	heard   time.Duration
	lastPos time.Duration
	counted bool
}

// Feed takes the snapshot st seen at now. It returns the play that
// starts with it (to send as "now playing"), and the listen that counts
// with it; either may be nil.
func (r *Rules) Feed(st player.Status, now time.Time) (started, counted *Listen) {
	prev, prevAt, seen := r.prev, r.prevAt, r.seen
	r.prev, r.prevAt, r.seen = st, now, true

	if r.cur != nil && !r.continues(st) {
		r.cur = nil
	}
	if r.cur != nil && seen && prev.State == player.Playing {
		wall := max(0, now.Sub(prevAt))
		if d := st.Position - prev.Position; d > 0 {
			r.cur.heard += min(d, wall+slack)
		}
	}
	if r.cur != nil {
		r.cur.lastPos = st.Position
		if d := durationOf(st); d > 0 {
			r.cur.listen.Duration = d
		}
	}
	if r.cur == nil && st.State == player.Playing && st.Track.FileID != 0 {
		r.cur = &play{listen: Listen{Track: st.Track, Duration: durationOf(st), Started: now}, lastPos: st.Position}
		l := r.cur.listen
		started = &l
	}
	if p := r.cur; p != nil && !p.counted && p.heard >= need(p.listen.Duration) {
		p.counted = true
		l := p.listen
		counted = &l
	}
	return started, counted
}

// continues reports whether st is still the current play.
func (r *Rules) continues(st player.Status) bool {
	p := r.cur
	switch {
	case st.State == player.Stopped || st.Index < 0:
		return false
	case st.Track.FileID != p.listen.Track.FileID:
		return false
	case st.Position < restartBelow && p.lastPos >= restartFrom:
		return false // started over: repeat one, or back to the start
	}
	return true
}

// need is how long a track of length d must be heard to count; a track
// of 30 s or less never does (need is then beyond any time heard).
func need(d time.Duration) time.Duration {
	switch {
	case d <= 0:
		return MaxNeed // unknown: 4 minutes heard make it long enough
	case d <= MinLength:
		return 1<<63 - 1
	}
	return min(d/2, MaxNeed)
}

// durationOf is the length of st's track as far as known.
func durationOf(st player.Status) time.Duration {
	if st.Duration > 0 {
		return st.Duration
	}
	return st.Track.Duration
}
