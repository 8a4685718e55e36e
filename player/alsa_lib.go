//go:build linux

package player

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// The speaker calls libasound (ALSA's library) without cgo: the library is
// opened when the first speaker opens (github.com/ebitengine/purego), so a
// CGO_ENABLED=0 build plays through the machine's ALSA configuration (its
// PulseAudio/PipeWire plugins, dmix, hw:) and needs no C compiler or ALSA
// headers to build. A machine without the library gets ErrNoDevice.

// alsaLibEnv names the environment variable that gives the library to open
// in place of libasound.so.2: a name the dynamic loader searches for, or a
// path (for a system that keeps it off the loader's paths).
const alsaLibEnv = "PCPLAY_LIBASOUND"

// alsaLibDefault is the library opened when alsaLibEnv is unset: the
// soname every ALSA since 1.0 has (Debian's libasound2, libasound2t64).
const alsaLibDefault = "libasound.so.2"

// alsaLib is the part of libasound the speaker calls, one Go function per C
// function (purego.RegisterFunc). A snd_pcm_t*, snd_pcm_hw_params_t* and
// the like is an unsafe.Pointer to C memory; C's int is int32, long and
// snd_pcm_sframes_t are int, unsigned long and snd_pcm_uframes_t are uint
// (the platform's word, as C's long on Linux). Pointers to Go memory passed
// in are out-parameters or sample buffers, which libasound does not keep
// after the call (as cgo's rules ask); purego keeps them alive and where
// they are meanwhile.
type alsaLib struct {
	strerror func(errnum int32) string

	pcmOpen    func(pcm *unsafe.Pointer, name string, stream, mode int32) int32
	pcmClose   func(pcm unsafe.Pointer) int32
	prepare    func(pcm unsafe.Pointer) int32
	resume     func(pcm unsafe.Pointer) int32
	drop       func(pcm unsafe.Pointer) int32
	pause      func(pcm unsafe.Pointer, enable int32) int32
	state      func(pcm unsafe.Pointer) int32
	availUpd   func(pcm unsafe.Pointer) int
	delay      func(pcm unsafe.Pointer, delay *int) int32
	writei     func(pcm unsafe.Pointer, buf unsafe.Pointer, frames uint) int
	hwMalloc   func(p *unsafe.Pointer) int32
	hwFree     func(p unsafe.Pointer)
	hwAny      func(pcm, p unsafe.Pointer) int32
	hwAccess   func(pcm, p unsafe.Pointer, access int32) int32
	hwTestFmt  func(pcm, p unsafe.Pointer, format int32) int32
	hwFormat   func(pcm, p unsafe.Pointer, format int32) int32
	hwChans    func(pcm, p unsafe.Pointer, n uint32) int32
	hwResamp   func(pcm, p unsafe.Pointer, on uint32) int32
	hwRate     func(pcm, p unsafe.Pointer, rate *uint32, dir *int32) int32
	hwBuffer   func(pcm, p unsafe.Pointer, frames *uint) int32
	hwPeriod   func(pcm, p unsafe.Pointer, frames *uint, dir *int32) int32
	hwParams   func(pcm, p unsafe.Pointer) int32
	hwGetBuf   func(p unsafe.Pointer, frames *uint) int32
	hwGetPer   func(p unsafe.Pointer, frames *uint, dir *int32) int32
	hwCanPause func(p unsafe.Pointer) int32
	swMalloc   func(p *unsafe.Pointer) int32
	swFree     func(p unsafe.Pointer)
	swCurrent  func(pcm, p unsafe.Pointer) int32
	swStart    func(pcm, p unsafe.Pointer, frames uint) int32
	swAvail    func(pcm, p unsafe.Pointer, frames uint) int32
	swParams   func(pcm, p unsafe.Pointer) int32

	nameHint    func(card int32, iface string, hints *unsafe.Pointer) int32
	nameGetHint func(hint unsafe.Pointer, id string) *byte
	nameFree    func(hints unsafe.Pointer) int32

	// free is libc's, for the strings snd_device_name_get_hint returns;
	// nil when libc could not be opened (they are then left).
	free func(p unsafe.Pointer)
}

// ALSA's constants (alsa/pcm.h), the same on every architecture.
const (
	sndPCMStreamPlayback     = 0
	sndPCMNonblock           = 1
	sndPCMAccessRWInterleave = 3
	sndPCMFormatS16LE        = 2
	sndPCMFormatFloatLE      = 14

	sndPCMStatePrepared = 2
	sndPCMStateRunning  = 3
	sndPCMStateXrun     = 4
	sndPCMStatePaused   = 6
)

var asound struct {
	once sync.Once
	lib  *alsaLib
	err  error
}

// loadALSA opens libasound (alsaLibName) and finds the functions the
// speaker calls, once; later calls return the same.
func loadALSA() (*alsaLib, error) {
	asound.once.Do(func() { asound.lib, asound.err = openALSA(alsaLibName()) })
	return asound.lib, asound.err
}

// alsaLibName is the library loadALSA opens: alsaLibEnv's, else
// alsaLibDefault.
func alsaLibName() string {
	if name := os.Getenv(alsaLibEnv); name != "" {
		return name
	}
	return alsaLibDefault
}

// errNoLibrary says that libasound could not be opened, or lacks a
// function (lacks).
type errNoLibrary struct {
	name, lacks string
	err         error
}

func (e *errNoLibrary) Error() string {
	return fmt.Sprintf("opening the ALSA library %s: %v", e.name, e.err)
}

// sentence is the reason for ErrNoDevice's sentence.
func (e *errNoLibrary) sentence() string {
	if e.lacks != "" {
		return fmt.Sprintf("%s is not ALSA's library (it lacks %s); install libasound2 (Debian's name)", e.name, e.lacks)
	}
	return fmt.Sprintf("ALSA's library %s is not installed; install libasound2 (Debian's name)", e.name)
}

func (e *errNoLibrary) Unwrap() error { return e.err }

func openALSA(name string) (*alsaLib, error) {
	// dlerror's message is the calling thread's: the goroutine stays on
	// one thread from dlopen to dlerror.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	h, err := purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return nil, &errNoLibrary{name: name, err: err}
	}
	l := &alsaLib{}
	syms := []struct {
		fn   any
		name string
	}{
		{&l.strerror, "snd_strerror"},
		{&l.pcmOpen, "snd_pcm_open"},
		{&l.pcmClose, "snd_pcm_close"},
		{&l.prepare, "snd_pcm_prepare"},
		{&l.resume, "snd_pcm_resume"},
		{&l.drop, "snd_pcm_drop"},
		{&l.pause, "snd_pcm_pause"},
		{&l.state, "snd_pcm_state"},
		{&l.availUpd, "snd_pcm_avail_update"},
		{&l.delay, "snd_pcm_delay"},
		{&l.writei, "snd_pcm_writei"},
		{&l.hwMalloc, "snd_pcm_hw_params_malloc"},
		{&l.hwFree, "snd_pcm_hw_params_free"},
		{&l.hwAny, "snd_pcm_hw_params_any"},
		{&l.hwAccess, "snd_pcm_hw_params_set_access"},
		{&l.hwTestFmt, "snd_pcm_hw_params_test_format"},
		{&l.hwFormat, "snd_pcm_hw_params_set_format"},
		{&l.hwChans, "snd_pcm_hw_params_set_channels"},
		{&l.hwResamp, "snd_pcm_hw_params_set_rate_resample"},
		// The functions below have two versions in libasound, the 0.9
		// API's and the one alsa/pcm.h binds (ALSA_0.9.0rc4, taking
		// pointers); dlsym returns the default one, the latter.
		{&l.hwRate, "snd_pcm_hw_params_set_rate_near"},
		{&l.hwBuffer, "snd_pcm_hw_params_set_buffer_size_near"},
		{&l.hwPeriod, "snd_pcm_hw_params_set_period_size_near"},
		{&l.hwGetBuf, "snd_pcm_hw_params_get_buffer_size"},
		{&l.hwGetPer, "snd_pcm_hw_params_get_period_size"},
		{&l.hwParams, "snd_pcm_hw_params"},
		{&l.hwCanPause, "snd_pcm_hw_params_can_pause"},
		{&l.swMalloc, "snd_pcm_sw_params_malloc"},
		{&l.swFree, "snd_pcm_sw_params_free"},
		{&l.swCurrent, "snd_pcm_sw_params_current"},
		{&l.swStart, "snd_pcm_sw_params_set_start_threshold"},
		{&l.swAvail, "snd_pcm_sw_params_set_avail_min"},
		{&l.swParams, "snd_pcm_sw_params"},
		{&l.nameHint, "snd_device_name_hint"},
		{&l.nameGetHint, "snd_device_name_get_hint"},
		{&l.nameFree, "snd_device_name_free_hint"},
	}
	for _, s := range syms {
		sym, err := purego.Dlsym(h, s.name)
		if err != nil {
			_ = purego.Dlclose(h)
			return nil, &errNoLibrary{name: name, lacks: s.name, err: err}
		}
		purego.RegisterFunc(s.fn, sym)
	}
	if libc, err := purego.Dlopen("libc.so.6", purego.RTLD_NOW|purego.RTLD_GLOBAL); err == nil {
		if sym, err := purego.Dlsym(libc, "free"); err == nil {
			purego.RegisterFunc(&l.free, sym)
		}
	}
	return l, nil
}

// takeCString copies the C string p (NUL-terminated, malloc'd) into Go
// memory and frees it; nil gives "".
func (l *alsaLib) takeCString(p *byte) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	s := string(unsafe.Slice(p, n))
	if l.free != nil {
		l.free(unsafe.Pointer(p))
	}
	return s
}
