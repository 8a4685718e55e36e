//go:build linux

package player

import "fmt"

// A device left paused or stopped for a while is released (closed), so
// that a long pause holds no sound device another program may want and
// wakes nothing (ALSA's PulseAudio plugin keeps a thread of its own
// awake while a stream is open). What the device still held when it was
// released was pulled from the mixer but never heard: keep records the
// frames written last, reopen writes those again first.

// keep copies the frames just written, in the device's format, into hist
// (a ring twice as long as the device's buffer: a sound server behind the
// device may hold some more than the buffer).
func (p *pcm) keep(b []byte) {
	if len(p.hist) != 2*p.frames*p.frameBytes() {
		p.hist, p.histW = make([]byte, 2*p.frames*p.frameBytes()), 0
	}
	if len(b) >= len(p.hist) {
		copy(p.hist, b[len(b)-len(p.hist):])
		p.histW = 0
		return
	}
	n := copy(p.hist[p.histW:], b)
	copy(p.hist, b[n:])
	p.histW = (p.histW + len(b)) % len(p.hist)
}

// released reports whether the device is closed by release.
func (p *pcm) released() bool { return p.h == nil }

// unheard is how many of the frames written have not been heard: the
// device's delay (which counts what a sound server behind it holds too),
// else what its buffer holds.
func (p *pcm) unheard() int {
	var d int
	if p.lib.delay(p.h, &d) == 0 && d >= 0 {
		return d
	}
	return p.queued()
}

// release closes the device, keeping the frames not yet heard (the last
// ones written) for reopen.
func (p *pcm) release() {
	if p.h == nil {
		return
	}
	fb := p.frameBytes()
	n := min(p.unheard()*fb, len(p.hist))
	p.held = make([]byte, n)
	// The last n bytes written end at histW.
	start := (p.histW - n + len(p.hist)) % max(len(p.hist), 1)
	k := copy(p.held, p.hist[start:])
	copy(p.held[k:], p.hist[:n-k])
	p.lib.drop(p.h)
	p.lib.pcmClose(p.h)
	p.h = nil
}

// reopen opens the released device again with the settings it had, and
// writes first what it held when it was released (a cut made meanwhile
// drops it as it drops any buffer). A device that comes back at another
// rate is refused (the mixer plays at the first one): closed again, an
// error, and the caller tries later.
func (p *pcm) reopen() error {
	if p.h != nil {
		return nil
	}
	q, err := openPCMNamed(p.lib, p.name, p.rate, p.want)
	if err != nil {
		return err
	}
	if q.rate != p.rate {
		q.close()
		return fmt.Errorf("the sound device %q came back at %d Hz, not %d Hz", p.name, q.rate, p.rate)
	}
	held := p.held
	p.held = nil
	if q.frames != p.frames || q.s16 != p.s16 {
		held = nil // recorded in the old buffer's format
	}
	p.h, p.frames, p.period, p.s16, p.canPause, p.conv = q.h, q.frames, q.period, q.s16, q.canPause, q.conv
	if len(held) == 0 {
		return nil
	}
	// What does not fit (more than a buffer was unheard) is lost.
	_, err = p.writeFrames(held)
	return err
}
