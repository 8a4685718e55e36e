//go:build linux

package player

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/pcplay/pcplay/internal/defaults"
	"golang.org/x/sys/unix"
)

// speakerOutput plays through ALSA's default device from one goroutine
// that sleeps on a Go timer until the buffer is half empty, then writes
// what it has room for, without blocking: about two wakeups per buffer
// length while playing, none while paused (see bench/README.md for why).
// A cut in the mixer (seek, skip, stop) drops what the device holds, so it
// is heard at once whatever the buffer.
type speakerOutput struct {
	dev     *pcm
	log     *slog.Logger
	latency time.Duration // the device's buffer when opened
	// releaseAfter: a device paused (or stopped) this long is released,
	// and opened again on resume (alsa_release.go); 0 never releases.
	releaseAfter time.Duration
	watch        func(error) // WatchDevice's; set before Start

	mu      sync.Mutex
	paused  bool
	started bool
	closed  bool
	sig     chan struct{} // pause state changed, a cut, or closing
	done    chan struct{}
}

// NewSpeaker opens ALSA's default device (see openPCM) for playback at rate Hz (the
// device's nearest rate, which SampleRate reports) with a buffer of about
// buffer; 0 means defaults.SpeakerBuffer. The device starts paused. Without
// a usable device, or without libasound (alsa_lib.go), the error wraps
// ErrNoDevice and says why in one sentence; libasound's own messages go to
// log.
func NewSpeaker(rate int, buffer time.Duration, log *slog.Logger) (Output, error) {
	if rate <= 0 {
		return nil, fmt.Errorf("speaker: sample rate %d is not positive", rate)
	}
	if buffer <= 0 {
		buffer = defaults.SpeakerBuffer
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lib, err := loadALSA()
	if err != nil {
		log.Error("speaker: cannot load ALSA's library", "err", err)
		why := "ALSA's library could not be loaded"
		var nl *errNoLibrary
		if errors.As(err, &nl) {
			why = nl.sentence()
		}
		return nil, fmt.Errorf("%w: %s, or try --output null", ErrNoDevice, why)
	}
	restore := captureStderr(log)
	dev, err := openPCM(lib, rate, buffer)
	restore()
	if err != nil {
		log.Error("speaker: cannot open the sound device", "err", err)
		hint := "no sound device was found"
		if os.Getenv("XDG_RUNTIME_DIR") == "" {
			hint = "no sound device was found, or this is an SSH login without a PulseAudio/PipeWire session (XDG_RUNTIME_DIR is unset)"
		}
		return nil, fmt.Errorf("%w: %s; try --output null", ErrNoDevice, hint)
	}
	log.Debug("speaker opened", "device", dev.name, "rate", dev.rate, "buffer_frames", dev.frames, "period_frames", dev.period,
		"s16", dev.s16, "can_pause", dev.canPause)
	return &speakerOutput{dev: dev, log: log, paused: true, sig: make(chan struct{}, 1), done: make(chan struct{}),
		latency:      time.Duration(dev.frames) * time.Second / time.Duration(dev.rate),
		releaseAfter: speakerRelease}, nil
}

// captureStderr points fd 2 at a pipe whose lines go to log at debug level,
// and returns the function that puts fd 2 back. On any failure it leaves
// stderr alone.
func captureStderr(log *slog.Logger) (restore func()) {
	saved, err := unix.Dup(2)
	if err != nil {
		return func() {}
	}
	r, w, err := os.Pipe()
	if err != nil {
		unix.Close(saved)
		return func() {}
	}
	if err := unix.Dup3(int(w.Fd()), 2, 0); err != nil {
		unix.Close(saved)
		r.Close()
		w.Close()
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				log.Debug("audio device", "stderr", line)
			}
		}
		r.Close()
	}()
	return func() {
		_ = unix.Dup3(saved, 2, 0)
		unix.Close(saved)
		w.Close()
		<-done
	}
}

func (s *speakerOutput) SampleRate() int { return s.dev.rate }

// Latency is the device's buffer.
func (s *speakerOutput) Latency() time.Duration { return s.latency }

func (s *speakerOutput) Start(mix beep.Streamer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("speaker: closed")
	}
	if s.started {
		return errors.New("speaker: already started")
	}
	s.started = true
	c, ok := mix.(cutter)
	if !ok {
		c = plainCutter{mix}
	}
	c.notifyCut(s.signal)
	go s.run(c)
	return nil
}

// WatchDevice sets the function told of the device's troubles (see
// deviceWatcher). Call it before Start.
func (s *speakerOutput) WatchDevice(f func(error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watch = f
}

// SetPaused pauses or resumes at once (the goroutine does it: one
// goroutine owns the device).
func (s *speakerOutput) SetPaused(paused bool) {
	s.mu.Lock()
	s.paused = paused
	s.mu.Unlock()
	s.signal()
}

func (s *speakerOutput) signal() {
	select {
	case s.sig <- struct{}{}:
	default:
	}
}

func (s *speakerOutput) state() (paused, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused, s.closed
}

// Close stops the goroutine, drops what the device holds and closes it.
func (s *speakerOutput) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	started := s.started
	s.mu.Unlock()
	s.signal()
	if started {
		<-s.done
	}
	s.dev.close()
	return nil
}

// Pacing of the speaker's goroutine.
const (
	// starvedPoll: while the mixer has less than the device has room for
	// (a track loading, a seek, an underrun), it is asked again this often.
	starvedPoll = 20 * time.Millisecond
	// retryWait: after a device error (or a suspended system not yet
	// ready), the device is tried again this much later.
	retryWait = 200 * time.Millisecond
	// speakerRelease: a device paused or stopped this long is released
	// (speakerOutput.releaseAfter).
	speakerRelease = 10 * time.Second
)

// run is the speaker's goroutine. While paused or stopped it waits on
// s.sig alone, and after releaseAfter on a one-shot timer that releases
// the device: no polling.
func (s *speakerOutput) run(mix cutter) {
	defer close(s.done)
	f := filler{dev: s.dev, mix: mix, buf: make([][2]float64, s.dev.frames)}
	t := time.NewTimer(time.Hour)
	t.Stop()
	devPaused := true
	var lastErr string
	for {
		paused, closed := s.state()
		if closed {
			return
		}
		if paused {
			if !devPaused {
				s.report(&lastErr, s.dev.pause())
				devPaused = true
				if s.releaseAfter > 0 {
					t.Reset(s.releaseAfter)
				}
			}
			select {
			case <-s.sig:
			case <-t.C:
				if paused, _ := s.state(); paused {
					s.dev.release()
					s.log.Debug("speaker released: paused or stopped for a while")
				}
			}
			continue
		}
		if s.dev.released() {
			if err := s.dev.reopen(); err != nil {
				s.report(&lastErr, err)
				t.Reset(retryWait)
				select {
				case <-t.C:
				case <-s.sig:
				}
				continue
			}
			s.log.Debug("speaker opened again", "frames", s.dev.frames)
			if len(f.buf) < s.dev.frames {
				f.buf = make([][2]float64, s.dev.frames)
			}
			// devPaused stays: a cut made meanwhile drops what was
			// written again, below.
		}
		if devPaused {
			devPaused = false
			if mix.cutPending() {
				s.report(&lastErr, s.dev.drop())
			} else {
				s.report(&lastErr, s.dev.resume())
			}
		}
		wait, err := f.fill()
		s.report(&lastErr, err)
		if err != nil {
			wait = retryWait
		}
		t.Reset(wait)
		select {
		case <-t.C:
		case <-s.sig:
			t.Stop()
		}
	}
}

// report logs a device error once (until another one, or none, comes),
// and tells the watcher of each change.
func (s *speakerOutput) report(last *string, err error) {
	msg := ""
	if err != nil && !errors.Is(err, errAgain) {
		msg = err.Error()
	}
	if msg == *last {
		return
	}
	if msg != "" {
		s.log.Warn("speaker", "err", err)
	}
	*last = msg
	if s.watch != nil {
		if msg == "" {
			err = nil
		}
		s.watch(err)
	}
}

// filler moves audio from the mixer to the device.
type filler struct {
	dev *pcm
	mix cutter
	buf [][2]float64
}

// fill writes what the device has room for and says when to come back:
// when the buffer will be half empty if the mixer gave all it was asked,
// else soon (starvedPoll). A cut drops what the device holds first (then
// the whole buffer is filled). When the mixer runs short, a running device
// gets silence up to its start threshold so that it does not run dry; a
// device not started yet waits for that much audio (a seek starts with
// sound, not silence), unless nothing more is coming (idle).
func (f *filler) fill() (time.Duration, error) {
	d := f.dev
	for range 3 {
		room, err := d.avail()
		if err != nil {
			return 0, err
		}
		// After an underrun ALSA (the pulse plugin) may say more frames
		// are free than the buffer holds (23336 of 22050 once, just
		// after a reopen): write at most a buffer.
		room = min(room, len(f.buf))
		n, cut, idle := f.mix.pull(f.buf[:room])
		if cut {
			if err := d.drop(); err != nil {
				return 0, err
			}
		}
		if _, err := d.write(f.buf[:n]); err != nil {
			return 0, err
		}
		if n < room {
			return starvedPoll, f.pad(idle)
		}
		if !cut {
			break
		}
	}
	wait := time.Duration(d.queued()-d.frames/2) * time.Second / time.Duration(d.rate)
	return max(time.Millisecond, wait), nil
}

// pad tops a running device (or, when idle, one holding the end of a track)
// up to its start threshold with silence.
func (f *filler) pad(idle bool) error {
	d := f.dev
	queued := d.queued()
	if !d.running() && !(idle && queued > 0) {
		return nil
	}
	n := d.startThreshold() - queued
	if n <= 0 {
		return nil
	}
	clear(f.buf[:n])
	_, err := d.write(f.buf[:n])
	return err
}

// plainCutter lets the speaker play any streamer: all of it is audio, and
// there are no cuts.
type plainCutter struct{ beep.Streamer }

func (p plainCutter) pull(s [][2]float64) (int, bool, bool) {
	n, ok := p.Stream(s)
	return n, false, !ok
}
func (plainCutter) cutPending() bool   { return false }
func (plainCutter) notifyCut(f func()) {}
