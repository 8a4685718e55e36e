package player

import "time"

// sleep.go is the sleep timer: at a time the person sets, the music fades
// out over SleepFade and pauses, and the volume comes back (the next play
// is not silent). The fade goes through the mixer's gain, as a factor on
// top of the volume: the volume itself, which the session saves, never
// changes. A timer runs only while a sleep is set: once a second for the
// countdown in the status, every fadeStep during the fade.

// Sleep timer bounds.
const (
	// SleepFade is how long the music fades out before the sleep pauses it.
	SleepFade = 10 * time.Second
	// MaxSleep is the longest sleep timer.
	MaxSleep = 24 * time.Hour
	// fadeStep is how often the fade's gain is lowered; the mixer ramps
	// between two steps, so the fade is smooth.
	fadeStep = 100 * time.Millisecond
)

// sleepTimer is the player's sleep timer, under p.mu.
type sleepTimer struct {
	at    time.Time   // when the music pauses; zero: no sleep set
	timer *time.Timer // the next tick (nil: none)
	gen   uint64      // which setting a tick belongs to (a stale one does nothing)
}

func (s *sleepTimer) stop() {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.gen++
}

// SetSleep pauses the music d from now, after fading it out over its last
// SleepFade (at most MaxSleep; a shorter d fades over all of it). 0 or
// less: no sleep; a sleep set before is cancelled and the fade undone.
func (p *Player) SetSleep(d time.Duration) {
	p.do(func(*[]*source) {
		p.sleep.stop()
		p.sleep.at = time.Time{}
		p.setFadeLocked(1)
		if d <= 0 {
			return
		}
		p.sleep.at = time.Now().Add(min(d, MaxSleep)).Round(0)
		p.sleepTickLocked()
	})
}

// sleepTick is a tick of the sleep timer set as gen.
func (p *Player) sleepTick(gen uint64) {
	p.do(func(*[]*source) {
		if gen != p.sleep.gen || p.sleep.at.IsZero() {
			return
		}
		p.sleep.timer = nil
		p.sleepTickLocked()
	})
}

// sleepTickLocked sets the fade for the time left, pauses when none is
// left, and arms the next tick. Under p.mu.
func (p *Player) sleepTickLocked() {
	left := time.Until(p.sleep.at)
	if left <= 0 {
		p.sleep.stop()
		p.sleep.at = time.Time{}
		p.setPausedLocked(true)
		p.setFadeLocked(1) // heard from the next play on
		p.log.Info("the sleep timer paused the music")
		return
	}
	next := left % time.Second // the countdown's next whole second
	if next == 0 {
		next = time.Second
	}
	if left <= SleepFade {
		p.setFadeLocked(fadeGain(left))
		next = min(next, fadeStep)
	} else {
		next = min(next, left-SleepFade)
	}
	gen := p.sleep.gen
	p.sleep.timer = time.AfterFunc(next, func() { p.sleepTick(gen) })
}

// fadeGain is the fade's factor on the gain with left to go (of SleepFade):
// cubic, close to a steady fall in decibels (−18 dB half-way), silent at
// the end.
func fadeGain(left time.Duration) float64 {
	x := max(0, min(1, float64(left)/float64(SleepFade)))
	return x * x * x
}

// setFadeLocked sets the mixer's fade factor (1: none). Under p.mu.
func (p *Player) setFadeLocked(f float64) {
	p.mix.mu.Lock()
	p.mix.fade = f
	p.mix.mu.Unlock()
}

// sleepStatusLocked fills in the sleep timer's fields of st. Under p.mu.
func (p *Player) sleepStatusLocked(st *Status) {
	if p.sleep.at.IsZero() {
		return
	}
	st.SleepAt = p.sleep.at
	st.SleepIn = max(0, time.Until(p.sleep.at)+time.Second-1).Truncate(time.Second)
}
