package player

import (
	"fmt"
	"time"

	"github.com/pcplay/pcplay/internal/defaults"
)

// SetVolume sets the volume, 0..100 on a logarithmic scale.
func (p *Player) SetVolume(v int) {
	p.do(func(*[]*source) {
		p.volume = clampVolume(v)
		p.setGainLocked()
	})
}

func (p *Player) setGainLocked() {
	g := gainFor(p.volume, p.muted)
	p.mix.mu.Lock()
	p.mix.gain = g
	p.mix.mu.Unlock()
}

// ToggleMute mutes or unmutes.
func (p *Player) ToggleMute() {
	p.do(func(*[]*source) {
		p.muted = !p.muted
		p.setGainLocked()
	})
}

// SetBitrate sets the bitrate asked of getaudiolink (defaults.MinBitrate..
// MaxBitrate); the current track reopens at its position with the new
// bitrate.
func (p *Player) SetBitrate(kbps int) {
	p.do(func(c *[]*source) {
		if !defaults.ValidBitrate(kbps) {
			p.errMsg = fmt.Sprintf("Bitrate %d kbit/s is outside %d..%d.", kbps, defaults.MinBitrate, defaults.MaxBitrate)
			return
		}
		p.setBitrateLocked(kbps, c)
	})
}

// setBitrateLocked sets a valid bitrate; the current track reopens at its
// second. Under p.mu.
func (p *Player) setBitrateLocked(kbps int, c *[]*source) {
	if kbps == p.bitrate {
		return
	}
	p.bitrate = kbps
	p.slowSaid = false
	if p.cur != nil {
		paused := p.paused
		pos := p.positionLocked().Truncate(time.Second)
		p.startLocked(p.curID, pos, c)
		if paused {
			p.setPausedLocked(true)
		}
	}
}

// SetShuffle turns shuffle on (a new play order, keeping the current track)
// or off. The displayed queue keeps its order.
func (p *Player) SetShuffle(on bool) {
	p.do(func(c *[]*source) {
		p.q.setShuffle(on, p.curID)
		p.dropNext(c)
	})
}

// SetRepeat sets the repeat mode.
func (p *Player) SetRepeat(r Repeat) {
	p.do(func(c *[]*source) {
		if r < RepeatOff || r > RepeatOne {
			p.errMsg = fmt.Sprintf("Unknown repeat mode %d.", r)
			return
		}
		p.q.repeat = r
		p.dropNext(c)
	})
}

// stepDownLocked lowers the bitrate on a slow link without a break: the
// current track's stream goes on at the new bitrate from where what it
// has received ends, so everything buffered still plays (setBitrateLocked,
// for a bitrate the person chose, reopens the track at its second
// instead). A preloaded follower reopens at the new bitrate. Under p.mu.
func (p *Player) stepDownLocked(kbps int, c *[]*source) {
	sw, ok := p.cur.ts.(interface{ SetBitrate(int) })
	if !ok {
		p.setBitrateLocked(kbps, c)
		return
	}
	p.bitrate = kbps
	p.slowSaid = false // the stream measures afresh
	sw.SetBitrate(kbps)
	p.dropNext(c)
}

// slowLink acts once (per bitrate) on a current stream that arrives slower
// than its bitrate: with AutoBitrate it steps down to the next lower
// bitrate of defaults.Bitrates (the track goes on from its second), else it
// suggests one. Under p.mu.
func (p *Player) slowLink(c *[]*source) {
	if p.cur == nil || p.slowSaid {
		return
	}
	sl, ok := p.cur.ts.(interface{ Slow() bool })
	if !ok || !sl.Slow() {
		return
	}
	p.slowSaid = true
	lower := 0
	for _, b := range defaults.Bitrates {
		if b < p.bitrate {
			lower = b
		}
	}
	switch {
	case lower == 0:
		p.errMsg = fmt.Sprintf("The connection to pCloud is slower than %d kbit/s, the lowest bitrate: the music will pause to buffer.", p.bitrate)
	case p.cfg.AutoBitrate:
		p.errMsg = fmt.Sprintf("The connection to pCloud is slower than %d kbit/s: playing at %d kbit/s now.", p.bitrate, lower)
		p.log.Info("stepping the bitrate down", "from", p.bitrate, "to", lower, "at", p.positionLocked())
		p.stepDownLocked(lower, c)
	default:
		p.errMsg = fmt.Sprintf("The connection to pCloud is slower than %d kbit/s: press b for a lower bitrate (%d kbit/s).", p.bitrate, lower)
	}
}
