package player

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/pcplay/pcplay/internal/ownfile"
)

// Output is where the player's audio goes: it pulls the mixer at its
// own pace.
type Output interface {
	// SampleRate is the rate the output pulls at; tracks of another rate are
	// resampled.
	SampleRate() int
	// Start begins pulling mix (once).
	Start(mix beep.Streamer) error
	// SetPaused suspends (true) or resumes pulling; a device is suspended
	// so that it costs nothing while paused or stopped.
	SetPaused(paused bool)
	// Latency is how far what is heard lags what was pulled (the device
	// buffer). The player does not subtract it from the position it reports:
	// it is below the display's one-second resolution, and a seek shows its
	// target at once instead of a second earlier.
	Latency() time.Duration
	Close() error
}

// deviceWatcher is an Output whose device can fail after it was opened
// (the speaker): WatchDevice, called before Start, gives it f, which it
// calls from its own goroutine, without blocking, with each new trouble
// of the device, and with nil once the device plays again.
type deviceWatcher interface {
	WatchDevice(f func(error))
}

// deviceSentence says what is wrong with the sound device and what
// pcplay does about it.
func deviceSentence(err error) string {
	var own interface{ Sentence() string } // an output's own words (the pipe's)
	if errors.As(err, &own) {
		return own.Sentence()
	}
	return "The sound device can't play (" + strings.TrimRight(err.Error(), ". ") +
		"): pcplay tries again every moment; close the program that holds it, or see --log."
}

// ErrNoDevice: the speaker cannot play.
var ErrNoDevice = errors.New("cannot open the sound device")

// pacer pulls a streamer in chunks at speed× real time (speed 0: as fast as
// it can) on its own goroutine, handing each chunk to sink. The null and WAV
// outputs (and the tests' capture) are built on it.
type pacer struct {
	rate  int
	speed float64
	chunk int
	sink  func([][2]float64) error

	mu      sync.Mutex
	paused  bool
	started bool
	closed  bool
	sig     chan struct{} // pause state changed or closing
	done    chan struct{}
	err     error
}

func newPacer(rate int, speed float64, chunk time.Duration, sink func([][2]float64) error) *pacer {
	n := max(1, int(time.Duration(rate)*chunk/time.Second))
	return &pacer{rate: rate, speed: speed, chunk: n, sink: sink, sig: make(chan struct{}, 1), done: make(chan struct{})}
}

func (p *pacer) SampleRate() int { return p.rate }

func (p *pacer) Start(mix beep.Streamer) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("output is closed")
	}
	if p.started {
		return errors.New("output already started")
	}
	p.started = true
	go p.pull(mix)
	return nil
}

func (p *pacer) SetPaused(paused bool) {
	p.mu.Lock()
	p.paused = paused
	p.mu.Unlock()
	p.signal()
}

func (p *pacer) signal() {
	select {
	case p.sig <- struct{}{}:
	default:
	}
}

func (p *pacer) state() (paused, closed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paused, p.closed
}

func (p *pacer) pull(mix beep.Streamer) {
	defer close(p.done)
	buf := make([][2]float64, p.chunk)
	var t0 time.Time
	var pulled int64 // since t0
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	running := false
	for {
		paused, closed := p.state()
		if closed {
			return
		}
		if paused {
			running = false
			<-p.sig
			continue
		}
		if !running {
			running = true
			t0, pulled = time.Now(), 0
		}
		if p.speed > 0 {
			due := int64(time.Since(t0).Seconds() * float64(p.rate) * p.speed)
			if pulled+int64(p.chunk) > due {
				wait := time.Duration(float64(pulled+int64(p.chunk)-due) / (float64(p.rate) * p.speed) * float64(time.Second))
				timer.Reset(wait)
				select {
				case <-timer.C:
				case <-p.sig:
					if !timer.Stop() {
						<-timer.C
					}
				}
				continue
			}
		}
		n, _ := mix.Stream(buf)
		pulled += int64(p.chunk)
		if n > 0 {
			if err := p.sink(buf[:n]); err != nil {
				p.mu.Lock()
				p.err = err
				p.closed = true
				p.mu.Unlock()
				return
			}
		}
	}
}

func (p *pacer) stop() error {
	p.mu.Lock()
	wasStarted := p.started
	p.closed = true
	p.mu.Unlock()
	p.signal()
	if wasStarted {
		<-p.done
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// nullOutput consumes audio in real time and discards it.
type nullOutput struct{ *pacer }

// NewNull is an output with no device: it pulls in real time and discards.
func NewNull(rate int) Output {
	return nullOutput{newPacer(rate, 1, 20*time.Millisecond, func([][2]float64) error { return nil })}
}

func (nullOutput) Latency() time.Duration { return 0 }
func (o nullOutput) Close() error         { return o.stop() }

// wavOutput writes what would be heard to a 16-bit stereo PCM WAV file.
type wavOutput struct {
	*pacer
	f     *os.File
	bytes uint32 // data bytes written
	buf   []byte
}

// NewWAV is an output that writes, in real time, a 16-bit stereo PCM WAV
// file at path. The header's sizes are updated as it goes (a killed program
// leaves a readable file) and finalised on Close.
func NewWAV(path string, rate int) (Output, error) {
	if rate <= 0 {
		return nil, fmt.Errorf("wav output: sample rate %d is not positive", rate)
	}
	// Truncated only once it is known to be a file of this user's: a
	// planted link made it truncate the link's target.
	f, err := ownfile.Open(path, os.O_TRUNC)
	if err != nil {
		return nil, fmt.Errorf("wav output: %w", err)
	}
	w := &wavOutput{f: f}
	if _, err := f.Write(wavHeader(rate, 0)); err != nil {
		f.Close()
		return nil, fmt.Errorf("wav output: %w", err)
	}
	w.pacer = newPacer(rate, 1, 50*time.Millisecond, w.write)
	return w, nil
}

func wavHeader(rate int, dataBytes uint32) []byte {
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 36+dataBytes)
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1) // PCM
	binary.LittleEndian.PutUint16(h[22:], 2)
	binary.LittleEndian.PutUint32(h[24:], uint32(rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(rate*4))
	binary.LittleEndian.PutUint16(h[32:], 4)
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], dataBytes)
	return h
}

// s16le is s as interleaved signed 16-bit little-endian samples, in *buf
// (grown when too small): what a WAV file and a pipe hold.
func s16le(buf *[]byte, s [][2]float64) []byte {
	need := len(s) * 4
	if cap(*buf) < need {
		*buf = make([]byte, need)
	}
	b := (*buf)[:need]
	for i, v := range s {
		binary.LittleEndian.PutUint16(b[i*4:], uint16(toInt16(v[0])))
		binary.LittleEndian.PutUint16(b[i*4+2:], uint16(toInt16(v[1])))
	}
	return b
}

func (w *wavOutput) write(s [][2]float64) error {
	b := s16le(&w.buf, s)
	if _, err := w.f.Write(b); err != nil {
		return err
	}
	w.bytes += uint32(len(b))
	var sz [4]byte
	binary.LittleEndian.PutUint32(sz[:], 36+w.bytes)
	if _, err := w.f.WriteAt(sz[:], 4); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(sz[:], w.bytes)
	_, err := w.f.WriteAt(sz[:], 40)
	return err
}

func toInt16(v float64) int16 {
	v = math.Round(v * 32767)
	return int16(max(-32768, min(32767, v)))
}

func (w *wavOutput) Latency() time.Duration { return 0 }

func (w *wavOutput) Close() error {
	err := w.stop()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("wav output: %w", err)
	}
	return nil
}
