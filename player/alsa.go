//go:build cgo && linux

package player

// #cgo pkg-config: alsa
// #include <stdlib.h>
// #include <alsa/asoundlib.h>
//
// // pcplay_hw sets the hardware parameters in one call (the hw_params
// // struct stays on the C side); *fmt is 0 for FLOAT_LE, 1 for S16_LE.
// static int pcplay_hw(snd_pcm_t *h, unsigned *rate, snd_pcm_uframes_t *buf,
//                      snd_pcm_uframes_t *period, int *fmt, int *canPause) {
//     snd_pcm_hw_params_t *p;
//     int rc;
//     snd_pcm_hw_params_alloca(&p);
//     if ((rc = snd_pcm_hw_params_any(h, p)) < 0) return rc;
//     if ((rc = snd_pcm_hw_params_set_access(h, p, SND_PCM_ACCESS_RW_INTERLEAVED)) < 0) return rc;
//     *fmt = 0;
//     if (snd_pcm_hw_params_test_format(h, p, SND_PCM_FORMAT_FLOAT_LE) < 0) *fmt = 1;
//     if ((rc = snd_pcm_hw_params_set_format(h, p, *fmt ? SND_PCM_FORMAT_S16_LE : SND_PCM_FORMAT_FLOAT_LE)) < 0) return rc;
//     if ((rc = snd_pcm_hw_params_set_channels(h, p, 2)) < 0) return rc;
//     if ((rc = snd_pcm_hw_params_set_rate_resample(h, p, 1)) < 0) return rc;
//     if ((rc = snd_pcm_hw_params_set_rate_near(h, p, rate, NULL)) < 0) return rc;
//     if ((rc = snd_pcm_hw_params_set_buffer_size_near(h, p, buf)) < 0) return rc;
//     if ((rc = snd_pcm_hw_params_set_period_size_near(h, p, period, NULL)) < 0) return rc;
//     if ((rc = snd_pcm_hw_params(h, p)) < 0) return rc;
//     snd_pcm_hw_params_get_buffer_size(p, buf);
//     snd_pcm_hw_params_get_period_size(p, period, NULL);
//     *canPause = snd_pcm_hw_params_can_pause(p);
//     return 0;
// }
//
// // pcplay_sw: the device starts once start frames are queued.
// static int pcplay_sw(snd_pcm_t *h, snd_pcm_uframes_t start, snd_pcm_uframes_t availMin) {
//     snd_pcm_sw_params_t *p;
//     int rc;
//     snd_pcm_sw_params_alloca(&p);
//     if ((rc = snd_pcm_sw_params_current(h, p)) < 0) return rc;
//     if ((rc = snd_pcm_sw_params_set_start_threshold(h, p, start)) < 0) return rc;
//     if ((rc = snd_pcm_sw_params_set_avail_min(h, p, availMin)) < 0) return rc;
//     return snd_pcm_sw_params(h, p);
// }
import "C"

import (
	"errors"
	"fmt"
	"time"
	"unsafe"
)

// pcm is an ALSA playback device opened non-blocking: no call waits inside
// C (a blocking write would hand the runtime's sysmon a thread to watch and
// restart its fast polling; see bench/README.md). One goroutine uses it.
type pcm struct {
	name     string
	h        *C.snd_pcm_t
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
func openPCM(rate int, buffer time.Duration) (*pcm, error) {
	p, err := openPCMNamed("default", rate, buffer)
	if err == nil {
		return p, nil
	}
	errs := []error{fmt.Errorf("%q: %w", "default", err)}
	for _, name := range fallbackDevices() {
		p, err := openPCMNamed(name, rate, buffer)
		if err == nil {
			return p, nil
		}
		errs = append(errs, fmt.Errorf("%q: %w", name, err))
	}
	return nil, errors.Join(errs...)
}

// fallbackDevices lists "plug:default" and ALSA's output devices but
// "default" and "null".
func fallbackDevices() []string {
	names := []string{"plug:default"}
	iface := C.CString("pcm")
	defer C.free(unsafe.Pointer(iface))
	var hints *unsafe.Pointer
	if C.snd_device_name_hint(-1, iface, &hints) != 0 {
		return names
	}
	defer C.snd_device_name_free_hint(hints)
	ioid, nameKey := C.CString("IOID"), C.CString("NAME")
	defer C.free(unsafe.Pointer(ioid))
	defer C.free(unsafe.Pointer(nameKey))
	for it := hints; *it != nil; it = (*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(it), unsafe.Sizeof(*it))) {
		h := *it
		io, name := C.snd_device_name_get_hint(h, ioid), C.snd_device_name_get_hint(h, nameKey)
		if name != nil && (io == nil || C.GoString(io) != "Input") {
			if n := C.GoString(name); n != "null" && n != "default" && n != names[0] {
				names = append(names, n)
			}
		}
		C.free(unsafe.Pointer(io))
		C.free(unsafe.Pointer(name))
	}
	return names
}

func openPCMNamed(device string, rate int, buffer time.Duration) (*pcm, error) {
	name := C.CString(device)
	defer C.free(unsafe.Pointer(name))
	var h *C.snd_pcm_t
	if rc := C.snd_pcm_open(&h, name, C.SND_PCM_STREAM_PLAYBACK, C.SND_PCM_NONBLOCK); rc < 0 {
		return nil, alsaErr("snd_pcm_open", rc)
	}
	r := C.unsigned(rate)
	buf := C.snd_pcm_uframes_t(max(64, int(time.Duration(rate)*buffer/time.Second)))
	period := buf / 4
	var format, canPause C.int
	if rc := C.pcplay_hw(h, &r, &buf, &period, &format, &canPause); rc < 0 {
		C.snd_pcm_close(h)
		return nil, alsaErr("setting the device's parameters", rc)
	}
	p := &pcm{name: device, h: h, rate: int(r), frames: int(buf), period: int(period), s16: format == 1, canPause: canPause == 1, want: buffer}
	if rc := C.pcplay_sw(h, C.snd_pcm_uframes_t(p.startThreshold()), C.snd_pcm_uframes_t(p.period)); rc < 0 {
		C.snd_pcm_close(h)
		return nil, alsaErr("setting the device's start threshold", rc)
	}
	p.conv = make([]byte, p.frames*p.frameBytes())
	return p, nil
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

func alsaErr(what string, rc C.int) error {
	return fmt.Errorf("%s: %s", what, C.GoString(C.snd_strerror(rc)))
}

// errAgain: the device is suspended and not ready to resume yet.
var errAgain = errors.New("device not ready")

// avail is the room in the buffer, in frames. An underrun or a system
// suspend is recovered here (the device is prepared: empty, not running).
func (p *pcm) avail() (int, error) {
	n := C.snd_pcm_avail_update(p.h)
	if n >= 0 {
		return int(n), nil
	}
	if err := p.recover(C.int(n)); err != nil {
		return 0, err
	}
	n = C.snd_pcm_avail_update(p.h)
	if n < 0 {
		return 0, alsaErr("snd_pcm_avail_update", C.int(n))
	}
	return int(n), nil
}

// recover handles an error of avail or write: -EPIPE (underrun) by
// preparing the device again, -ESTRPIPE (the system was suspended) by
// resuming it, or preparing it when it cannot resume; errAgain while it is
// not ready to resume yet (try again later: nothing here blocks).
func (p *pcm) recover(rc C.int) error {
	switch -rc {
	case C.EPIPE:
		if r := C.snd_pcm_prepare(p.h); r < 0 {
			return alsaErr("snd_pcm_prepare after an underrun", r)
		}
		return nil
	case C.ESTRPIPE:
		switch r := C.snd_pcm_resume(p.h); {
		case r == -C.EAGAIN:
			return errAgain
		case r < 0:
			if r := C.snd_pcm_prepare(p.h); r < 0 {
				return alsaErr("snd_pcm_prepare after a suspend", r)
			}
		}
		return nil
	}
	return alsaErr("the sound device", rc)
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
		n := C.snd_pcm_writei(p.h, unsafe.Pointer(&b[done*fb]), C.snd_pcm_uframes_t(frames-done))
		switch {
		case n == -C.EAGAIN:
			return done, nil
		case n < 0:
			if err := p.recover(C.int(n)); err != nil {
				return done, err
			}
		default:
			p.keep(b[done*fb : (done+int(n))*fb])
			done += int(n)
		}
	}
	return done, nil
}

// state is the device's state (SND_PCM_STATE_*).
func (p *pcm) state() C.snd_pcm_state_t { return C.snd_pcm_state(p.h) }

func (p *pcm) running() bool { return p.state() == C.SND_PCM_STATE_RUNNING }

// pause holds the device where it is (what it holds is heard on resume),
// or, on a device that cannot pause, drops what it holds.
func (p *pcm) pause() error {
	switch p.state() {
	case C.SND_PCM_STATE_RUNNING:
		if p.canPause {
			if rc := C.snd_pcm_pause(p.h, 1); rc == 0 {
				return nil
			}
		}
		return p.drop()
	case C.SND_PCM_STATE_XRUN:
		return p.drop()
	}
	return nil
}

// resume undoes pause.
func (p *pcm) resume() error {
	if p.state() == C.SND_PCM_STATE_PAUSED {
		if rc := C.snd_pcm_pause(p.h, 0); rc == 0 {
			return nil
		}
		return p.drop()
	}
	return nil
}

// drop discards what the device holds and prepares it (empty, not running).
func (p *pcm) drop() error {
	if p.state() == C.SND_PCM_STATE_PREPARED && p.queued() == 0 {
		return nil
	}
	if rc := C.snd_pcm_drop(p.h); rc < 0 {
		return alsaErr("snd_pcm_drop", rc)
	}
	if rc := C.snd_pcm_prepare(p.h); rc < 0 {
		return alsaErr("snd_pcm_prepare", rc)
	}
	return nil
}

// queued is how many frames the device holds, by its last known position.
func (p *pcm) queued() int {
	n := C.snd_pcm_avail_update(p.h)
	if n < 0 {
		return 0
	}
	return max(0, p.frames-int(n))
}

func (p *pcm) close() {
	if p.h == nil {
		return // released
	}
	C.snd_pcm_drop(p.h)
	C.snd_pcm_close(p.h)
	p.h = nil
}
