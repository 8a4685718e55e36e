//go:build cgo

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
	"github.com/gopxl/beep/v2/speaker"
	"github.com/pcplay/pcplay/internal/defaults"
	"golang.org/x/sys/unix"
)

var (
	speakerOnce sync.Once
	speakerErr  error
	speakerRate int
	speakerBuf  time.Duration
	speakerUsed bool
	speakerMu   sync.Mutex
)

type speakerOutput struct {
	rate   int
	buffer time.Duration
	log    *slog.Logger

	mu      sync.Mutex
	started bool
	paused  bool
	closed  bool
}

// NewSpeaker opens the sound device through beep's speaker (once per
// process: a second call must ask for the same rate and gets the same
// device, after the first one was closed). buffer 0 means
// defaults.SpeakerBuffer (which says how it was chosen). The device starts
// suspended. Without a usable device the error wraps ErrNoDevice.
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
	speakerOnce.Do(func() {
		speakerRate, speakerBuf = rate, buffer
		speakerErr = initSpeaker(rate, buffer, log)
	})
	if speakerErr != nil {
		return nil, speakerErr
	}
	if rate != speakerRate {
		return nil, fmt.Errorf("speaker: already opened at %d Hz, cannot reopen at %d Hz", speakerRate, rate)
	}
	speakerMu.Lock()
	defer speakerMu.Unlock()
	if speakerUsed {
		return nil, errors.New("speaker: already in use by another output")
	}
	speakerUsed = true
	return &speakerOutput{rate: rate, buffer: speakerBuf, log: log, paused: true}, nil
}

// initSpeaker calls speaker.Init with fd 2 sent to the log (libasound
// prints its probing there, which must not reach a TUI), then suspends the
// device: Init succeeds even without a device, Suspend does not.
func initSpeaker(rate int, buffer time.Duration, log *slog.Logger) error {
	restore := captureStderr(log)
	err := speaker.Init(beep.SampleRate(rate), beep.SampleRate(rate).N(buffer))
	if err == nil {
		err = speaker.Suspend()
	}
	restore()
	if err != nil {
		log.Error("speaker init failed", "err", err)
		hint := "no sound device was found"
		if os.Getenv("XDG_RUNTIME_DIR") == "" {
			hint = "no sound device was found, or this is an SSH login without a PulseAudio/PipeWire session (XDG_RUNTIME_DIR is unset)"
		}
		return fmt.Errorf("%w: %s; try --output null", ErrNoDevice, hint)
	}
	return nil
}

// ErrNoDevice: the speaker cannot play.
var ErrNoDevice = errors.New("cannot open the sound device")

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

func (s *speakerOutput) SampleRate() int { return s.rate }

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
	speaker.Play(mix)
	return nil
}

func (s *speakerOutput) SetPaused(paused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.paused == paused {
		return
	}
	s.paused = paused
	var err error
	if paused {
		err = speaker.Suspend()
	} else {
		err = speaker.Resume()
	}
	if err != nil {
		s.log.Warn("speaker suspend/resume", "paused", paused, "err", err)
	}
}

// Latency is the speaker's buffer.
func (s *speakerOutput) Latency() time.Duration { return s.buffer }

// Close stops pulling and suspends the device (beep cannot close it).
func (s *speakerOutput) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	wasPaused := s.paused
	s.mu.Unlock()
	speaker.Clear()
	if !wasPaused {
		if err := speaker.Suspend(); err != nil {
			return fmt.Errorf("speaker: %w", err)
		}
	}
	speakerMu.Lock()
	speakerUsed = false
	speakerMu.Unlock()
	return nil
}
