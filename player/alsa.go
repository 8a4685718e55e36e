//go:build linux

package player

import (
	"errors"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pcm is an ALSA playback device opened non-blocking: no call waits inside
// C (a blocking write would hand the runtime's sysmon a thread to watch and
// restart its fast polling; see bench/README.md). One goroutine uses it.
type pcm struct {
	lib      *alsaLib
	name     string
	h        unsafe.Pointer // snd_pcm_t*; nil once closed or released
	rate     int
	frames   int  // buffer size
	period   int  // period size
	s16      bool // S16_LE (else FLOAT_LE)
	canPause bool
	conv     []byte        // interleaved samples in the device's format
	want     time.Duration // the buffer asked for (reopen asks it again)

	// Kept for reopen (alsa_release.go): hist, the last frames written (a
	// ring as long as the buffer; histW the next byte's place); held, what
	// the device still held when it was released; h is nil meanwhile.
	hist  []byte
	histW int
	held  []byte
}

// openPCM opens ALSA's "default" PCM for stereo playback at about rate Hz
// with a buffer of about buffer; when it cannot be opened, the devices
// oto (the output before this one) tried next: "plug:default", then every
// output device ALSA lists. FLOAT_LE is preferred (the format oto used,
// which scripts/alsa-capture records), S16_LE where float is refused.
func openPCM(lib *alsaLib, rate int, buffer time.Duration) (*pcm, error) {
	p, err := openPCMNamed(lib, "default", rate, buffer)
	if err == nil {
		return p, nil
	}
	errs := []error{fmt.Errorf("%q: %w", "default", err)}
	for _, name := range lib.fallbackDevices() {
		p, err := openPCMNamed(lib, name, rate, buffer)
		if err == nil {
			return p, nil
		}
		errs = append(errs, fmt.Errorf("%q: %w", name, err))
	}
	return nil, errors.Join(errs...)
}

// fallbackDevices lists "plug:default" and ALSA's output devices but
// "default" and "null".
func (l *alsaLib) fallbackDevices() []string {
	names := []string{"plug:default"}
	var hints unsafe.Pointer // void**, a NULL-terminated array
	if l.nameHint(-1, "pcm", &hints) != 0 || hints == nil {
		return names
	}
	defer l.nameFree(hints)
	for it := hints; *(*unsafe.Pointer)(it) != nil; it = unsafe.Add(it, unsafe.Sizeof(it)) {
		h := *(*unsafe.Pointer)(it)
		io, name := l.takeCString(l.nameGetHint(h, "IOID")), l.takeCString(l.nameGetHint(h, "NAME"))
		if name != "" && io != "Input" && name != "null" && name != "default" && name != names[0] {
			names = append(names, name)
		}
	}
	return names
}

func openPCMNamed(lib *alsaLib, device string, rate int, buffer time.Duration) (*pcm, error) {
	var h unsafe.Pointer
	if rc := lib.pcmOpen(&h, device, sndPCMStreamPlayback, sndPCMNonblock); rc < 0 {
		return nil, lib.err("snd_pcm_open", rc)
	}
	p := &pcm{lib: lib, name: device, h: h, want: buffer}
	if err := p.setHW(rate, max(64, int(time.Duration(rate)*buffer/time.Second))); err != nil {
		lib.pcmClose(h)
		return nil, err
	}
	if err := p.setSW(); err != nil {
		lib.pcmClose(h)
		return nil, err
	}
	p.conv = make([]byte, p.frames*p.frameBytes())
	return p, nil
}

// setHW sets the hardware parameters: interleaved stereo, FLOAT_LE (else
// S16_LE), about rate Hz (ALSA may resample), a buffer of about frames
// frames in four periods; it records what the device took.
func (p *pcm) setHW(rate, frames int) error {
	l := p.lib
	var hw unsafe.Pointer // snd_pcm_hw_params_t*, in C memory
	if rc := l.hwMalloc(&hw); rc < 0 {
		return l.err("setting the device's parameters", rc)
	}
	defer l.hwFree(hw)
	r, buf, period := uint32(rate), uint(frames), uint(frames/4)
	format := int32(sndPCMFormatFloatLE)
	rc := l.hwAny(p.h, hw)
	if rc >= 0 {
		rc = l.hwAccess(p.h, hw, sndPCMAccessRWInterleave)
	}
	if rc >= 0 {
		if l.hwTestFmt(p.h, hw, sndPCMFormatFloatLE) < 0 {
			format = sndPCMFormatS16LE
		}
		rc = l.hwFormat(p.h, hw, format)
	}
	if rc >= 0 {
		rc = l.hwChans(p.h, hw, 2)
	}
	if rc >= 0 {
		rc = l.hwResamp(p.h, hw, 1)
	}
	if rc >= 0 {
		rc = l.hwRate(p.h, hw, &r, nil)
	}
	if rc >= 0 {
		rc = l.hwBuffer(p.h, hw, &buf)
	}
	if rc >= 0 {
		rc = l.hwPeriod(p.h, hw, &period, nil)
	}
	if rc >= 0 {
		rc = l.hwParams(p.h, hw)
	}
	if rc < 0 {
		return l.err("setting the device's parameters", rc)
	}
	l.hwGetBuf(hw, &buf)
	l.hwGetPer(hw, &period, nil)
	p.rate, p.frames, p.period = int(r), int(buf), int(period)
	p.s16 = format == sndPCMFormatS16LE
	p.canPause = l.hwCanPause(hw) == 1
	return nil
}

// setSW sets the software parameters: the device starts once
// startThreshold frames are queued, and counts as ready at a period free.
func (p *pcm) setSW() error {
	l := p.lib
	var sw unsafe.Pointer // snd_pcm_sw_params_t*, in C memory
	if rc := l.swMalloc(&sw); rc < 0 {
		return l.err("setting the device's start threshold", rc)
	}
	defer l.swFree(sw)
	rc := l.swCurrent(p.h, sw)
	if rc >= 0 {
		rc = l.swStart(p.h, sw, uint(p.startThreshold()))
	}
	if rc >= 0 {
		rc = l.swAvail(p.h, sw, uint(p.period))
	}
	if rc >= 0 {
		rc = l.swParams(p.h, sw)
	}
	if rc < 0 {
		return l.err("setting the device's start threshold", rc)
	}
	return nil
}

// startThreshold is how much must be queued before the device starts
// (after opening, a cut or an underrun): a period, at most 100 ms, so that
// a seek is heard as soon as that much of the target is decoded.
func (p *pcm) startThreshold() int { return max(1, min(p.period, p.rate/10)) }

func (p *pcm) frameBytes() int {
	if p.s16 {
		return 4
	}
	return 8
}

// err is what libasound says of the error code rc (a negative errno).
func (l *alsaLib) err(what string, rc int32) error {
	return fmt.Errorf("%s: %s", what, l.strerror(rc))
}

// errAgain: the device is suspended and not ready to resume yet.
var errAgain = errors.New("device not ready")

// avail is the room in the buffer, in frames. An underrun or a system
// suspend is recovered here (the device is prepared: empty, not running).
func (p *pcm) avail() (int, error) {
	n := p.lib.availUpd(p.h)
	if n >= 0 {
		return n, nil
	}
	if err := p.recover(int32(n)); err != nil {
		return 0, err
	}
	n = p.lib.availUpd(p.h)
	if n < 0 {
		return 0, p.lib.err("snd_pcm_avail_update", int32(n))
	}
	return n, nil
}

// recover handles an error of avail or write: -EPIPE (underrun) by
// preparing the device again, -ESTRPIPE (the system was suspended) by
// resuming it, or preparing it when it cannot resume; errAgain while it is
// not ready to resume yet (try again later: nothing here blocks).
func (p *pcm) recover(rc int32) error {
	switch unix.Errno(-rc) {
	case unix.EPIPE:
		if r := p.lib.prepare(p.h); r < 0 {
			return p.lib.err("snd_pcm_prepare after an underrun", r)
		}
		return nil
	case unix.ESTRPIPE:
		switch r := p.lib.resume(p.h); {
		case r == -int32(unix.EAGAIN):
			return errAgain
		case r < 0:
			if r := p.lib.prepare(p.h); r < 0 {
				return p.lib.err("snd_pcm_prepare after a suspend", r)
			}
		}
		return nil
	}
	return p.lib.err("the sound device", rc)
}

// write converts s to the device's format and writes it; it returns the
// frames written (fewer when the buffer is full).
func (p *pcm) write(s [][2]float64) (int, error) {
	if len(s) == 0 {
		return 0, nil
	}
	b := p.conv[:len(s)*p.frameBytes()]
	if p.s16 {
		d := unsafe.Slice((*int16)(unsafe.Pointer(&b[0])), 2*len(s))
		for i, v := range s {
			d[2*i], d[2*i+1] = toInt16(v[0]), toInt16(v[1])
		}
	} else {
		d := unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), 2*len(s))
		for i, v := range s {
			d[2*i], d[2*i+1] = float32(v[0]), float32(v[1])
		}
	}
	return p.writeFrames(b)
}

// writeFrames writes b, whole frames in the device's format, and keeps what
// was written (keep); it returns the frames written (fewer when the
// buffer is full).
func (p *pcm) writeFrames(b []byte) (int, error) {
	fb := p.frameBytes()
	frames, done := len(b)/fb, 0
	for done < frames {
		n := p.lib.writei(p.h, unsafe.Pointer(&b[done*fb]), uint(frames-done))
		switch {
		case n == -int(unix.EAGAIN):
			return done, nil
		case n < 0:
			if err := p.recover(int32(n)); err != nil {
				return done, err
			}
		default:
			p.keep(b[done*fb : (done+n)*fb])
			done += n
		}
	}
	return done, nil
}

// state is the device's state (SND_PCM_STATE_*).
func (p *pcm) state() int32 { return p.lib.state(p.h) }

func (p *pcm) running() bool { return p.state() == sndPCMStateRunning }

// pause holds the device where it is (what it holds is heard on resume),
// or, on a device that cannot pause, drops what it holds.
func (p *pcm) pause() error {
	switch p.state() {
	case sndPCMStateRunning:
		if p.canPause {
			if rc := p.lib.pause(p.h, 1); rc == 0 {
				return nil
			}
		}
		return p.drop()
	case sndPCMStateXrun:
		return p.drop()
	}
	return nil
}

// resume undoes pause.
func (p *pcm) resume() error {
	if p.state() == sndPCMStatePaused {
		if rc := p.lib.pause(p.h, 0); rc == 0 {
			return nil
		}
		return p.drop()
	}
	return nil
}

// drop discards what the device holds and prepares it (empty, not running).
func (p *pcm) drop() error {
	if p.state() == sndPCMStatePrepared && p.queued() == 0 {
		return nil
	}
	if rc := p.lib.drop(p.h); rc < 0 {
		return p.lib.err("snd_pcm_drop", rc)
	}
	if rc := p.lib.prepare(p.h); rc < 0 {
		return p.lib.err("snd_pcm_prepare", rc)
	}
	return nil
}

// queued is how many frames the device holds, by its last known position.
func (p *pcm) queued() int {
	n := p.lib.availUpd(p.h)
	if n < 0 {
		return 0
	}
	return max(0, p.frames-int(n))
}

func (p *pcm) close() {
	if p.h == nil {
		return // released
	}
	p.lib.drop(p.h)
	p.lib.pcmClose(p.h)
	p.h = nil
}
