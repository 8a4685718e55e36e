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
		if kbps == p.bitrate {
			return
		}
		p.bitrate = kbps
		if p.cur != nil {
			paused := p.paused
			pos := p.positionLocked().Truncate(time.Second)
			p.startLocked(p.curID, pos, c)
			if paused {
				p.setPausedLocked(true)
			}
		}
	})
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
