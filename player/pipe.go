//go:build unix

package player

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/pcplay/pcplay/internal/ownfile"
)

// pipeRetry is the pause before the pipe output opens its FIFO again after
// a failure other than "no reader" (for which it waits in a blocking open),
// and after the reader went away.
const pipeRetry = 250 * time.Millisecond

// pipeCapacity is the kernel's buffer of a FIFO on Linux (64 KiB, 0.37 s
// of 44.1 kHz stereo): how far what the reader gets lags what was written.
const pipeCapacity = 64 << 10

// NoReaderError is the pipe output's trouble while no program reads its
// FIFO; it tells the player's status line what it waits for.
type NoReaderError struct{ Path string }

func (e *NoReaderError) Error() string { return "no program reads " + e.Path }

// Sentence is the status line while waiting.
func (e *NoReaderError) Sentence() string {
	return "Waiting for a reader on " + e.Path + " (snapserver): the music goes on from here when one opens it."
}

// pipeOutput writes what would be heard as raw signed 16-bit little-endian
// stereo: to a FIFO (snapserver's pipe source), paced by the reader, or to
// a regular file, in real time.
type pipeOutput struct {
	*pacer
	path  string
	log   *slog.Logger
	fifo  bool
	watch func(error) // WatchDevice's; set before Start

	mu      sync.Mutex
	f       *os.File // the open write end; nil while no reader has the FIFO
	closing bool

	// The pulling goroutine's own.
	buf    []byte
	said   string // the trouble last told to watch ("" none)
	failed bool   // the last write failed: wait before opening again

	opening chan openResult // a blocking open waiting for a reader; nil: none

	opens    atomic.Int64 // attempts to open the FIFO (tests: no spinning)
	blocking atomic.Bool  // in the blocking open (tests)
}

var _ deviceWatcher = (*pipeOutput)(nil)

// NewPipe is an output that writes raw s16le stereo at rate to path, for
// snapserver's pipe source (sampleformat=44100:16:2). A missing path is
// made a FIFO (mode 0644 less the umask: snapserver often runs as its own
// user). Writing to a FIFO is paced by its reader: while none has it open
// (not there yet, or gone) playback waits where it is, the status saying
// so, and goes on from there when one opens it. A regular file gets the
// sound in real time. Anything else, or a symbolic link, is refused.
func NewPipe(path string, rate int, logger *slog.Logger) (Output, error) {
	if rate <= 0 {
		return nil, fmt.Errorf("pipe output: sample rate %d is not positive", rate)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// Absolute: the engine leaves its working directory once it serves,
	// and the FIFO is opened again whenever a reader comes back.
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("pipe output: %w", err)
	}
	o := &pipeOutput{path: abs, log: logger}
	fi, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		if err = syscall.Mkfifo(abs, 0o644); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("cannot make the FIFO %s (%v); give --output pipe: a path in a directory of yours, or make it with mkfifo", abs, err)
		}
		fi, err = os.Lstat(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("pipe output: %w", err)
	}
	switch t := fi.Mode().Type(); {
	case t == fs.ModeNamedPipe:
		o.fifo = true
		o.pacer = newPacer(rate, 0, 20*time.Millisecond, o.write)
	case t == 0: // a regular file
		f, err := ownfile.Open(abs, os.O_TRUNC)
		if err != nil {
			return nil, fmt.Errorf("pipe output: %w", err)
		}
		o.f = f
		o.pacer = newPacer(rate, 1, 50*time.Millisecond, o.write)
	case t == fs.ModeSymlink:
		return nil, fmt.Errorf("%s is a symbolic link; pcplay does not write through one: give --output pipe: the FIFO itself", abs)
	default:
		return nil, fmt.Errorf("%s is a %s, not a FIFO: give --output pipe: the path of snapserver's FIFO, or a new path (pcplay makes the FIFO)", abs, typeName(t))
	}
	return o, nil
}

func typeName(t fs.FileMode) string {
	switch {
	case t&fs.ModeDir != 0:
		return "directory"
	case t&fs.ModeSocket != 0:
		return "socket"
	case t&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// WatchDevice sets the function told when playback waits for a reader,
// and with nil when one came.
func (o *pipeOutput) WatchDevice(f func(error)) { o.watch = f }

func (o *pipeOutput) tell(err error) {
	said := ""
	if err != nil {
		said = err.Error()
	}
	if said == o.said {
		return
	}
	o.said = said
	if err != nil {
		o.log.Info("pipe output waits", "path", o.path, "why", err)
	} else {
		o.log.Info("pipe output: a reader has the FIFO", "path", o.path)
	}
	if o.watch != nil {
		o.watch(err)
	}
}

// Start pulls mix; to a FIFO, only while a reader has it open: no sound
// is taken from the player before it can be written, so that playback
// waits exactly where it is and goes on from there (not with what was
// taken before a seek made while waiting).
func (o *pipeOutput) Start(mix beep.Streamer) error {
	if !o.fifo {
		return o.pacer.Start(mix)
	}
	return o.pacer.Start(beep.StreamerFunc(func(s [][2]float64) (int, bool) {
		if o.file() == nil {
			if o.open() == nil {
				return 0, true // closing
			}
			if paused, _ := o.state(); paused {
				return 0, true // paused while it waited: nothing taken
			}
		}
		return mix.Stream(s)
	}))
}

// write is the pacer's sink: s as s16le. A reader that goes away loses
// what the FIFO held and the rest of s (a moment: the next reader gets
// what plays from where the position stands).
func (o *pipeOutput) write(s [][2]float64) error {
	b := s16le(&o.buf, s)
	o.mu.Lock()
	f := o.f
	o.mu.Unlock()
	if f == nil {
		return nil // closing
	}
	_, err := f.Write(b)
	if err == nil || !o.fifo {
		return err
	}
	o.mu.Lock()
	o.f = nil
	closing := o.closing
	o.mu.Unlock()
	f.Close()
	if !closing {
		// EPIPE (the SIGPIPE that comes with it does not end a Go
		// program for a descriptor other than 1 and 2).
		o.log.Info("pipe output: the reader went away", "path", o.path, "err", err)
		o.failed = true
	}
	return nil
}

// open opens the FIFO's write end once a reader has it open; nil when the
// output closes first. While none has, a blocking open waits for one in
// its own goroutine: snapserver, with no writer, opens the FIFO only for a
// moment every 100 ms (it reads an end of file and closes it), which no
// attempt at intervals would meet; a writer blocked in open makes its read
// find no data instead of an end of file, and it stays.
func (o *pipeOutput) open() *os.File {
	if o.isClosing() {
		return nil
	}
	if o.failed {
		o.failed = false
		if !o.sleep(pipeRetry) {
			return nil
		}
	}
	for {
		f, err := o.tryOpen()
		if err == nil {
			if o.opening != nil {
				// The reader that came ended the blocking open too.
				if r := <-o.opening; r.f != nil {
					r.f.Close()
				}
				o.opening = nil
			}
			return o.opened(f)
		}
		o.tell(err)
		var nr *NoReaderError
		if !errors.As(err, &nr) {
			if !o.sleep(pipeRetry) { // something else: try again in a moment
				return nil
			}
			continue
		}
		if o.opening == nil {
			ch := make(chan openResult, 1)
			o.opening = ch
			go func() {
				o.opens.Add(1)
				o.blocking.Store(true)
				f, err := os.OpenFile(o.path, os.O_WRONLY|syscall.O_NOFOLLOW, 0)
				o.blocking.Store(false)
				ch <- openResult{f, err}
			}()
		}
		select {
		case r := <-o.opening:
			o.opening = nil
			if r.err == nil {
				if f, err = checkFIFO(r.f, o.path); err == nil {
					return o.opened(f)
				}
			} else {
				err = fmt.Errorf("cannot open the FIFO %s: %v", o.path, errors.Unwrap(r.err))
			}
			o.tell(err)
			if !o.sleep(pipeRetry) {
				return nil
			}
		case <-o.sig: // paused or closing: still waiting for a reader
			if _, closed := o.state(); closed || o.isClosing() {
				return nil
			}
		}
	}
}

type openResult struct {
	f   *os.File
	err error
}

// opened makes f the write end, unless the output is closing.
func (o *pipeOutput) opened(f *os.File) *os.File {
	o.mu.Lock()
	closing := o.closing
	if !closing {
		o.f = f
	}
	o.mu.Unlock()
	if closing {
		f.Close()
		return nil
	}
	o.tell(nil)
	return f
}

func (o *pipeOutput) isClosing() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.closing
}

// tryOpen opens the FIFO for writing without waiting: *NoReaderError while
// no program reads it. A FIFO removed meanwhile is made again.
func (o *pipeOutput) tryOpen() (*os.File, error) {
	o.opens.Add(1)
	flags := os.O_WRONLY | syscall.O_NONBLOCK | syscall.O_NOFOLLOW
	f, err := os.OpenFile(o.path, flags, 0)
	if errors.Is(err, fs.ErrNotExist) {
		if err := syscall.Mkfifo(o.path, 0o644); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("cannot make the FIFO %s again: %v", o.path, err)
		}
		f, err = os.OpenFile(o.path, flags, 0)
	}
	switch {
	case errors.Is(err, syscall.ENXIO):
		return nil, &NoReaderError{Path: o.path}
	case errors.Is(err, syscall.ELOOP):
		return nil, fmt.Errorf("%s is now a symbolic link; pcplay does not write through one", o.path)
	case err != nil:
		return nil, fmt.Errorf("cannot open the FIFO %s: %v", o.path, errors.Unwrap(err))
	}
	return checkFIFO(f, o.path)
}

// checkFIFO is f when it is a FIFO; else it closes f (nothing written).
// Go puts a FIFO's descriptor in its poller, non-blocking: a write waits
// for the reader without holding a thread, and a deadline ends it.
func checkFIFO(f *os.File, path string) (*os.File, error) {
	if fi, err := f.Stat(); err != nil || fi.Mode().Type() != fs.ModeNamedPipe {
		f.Close()
		return nil, fmt.Errorf("%s is no longer a FIFO; remove it and pcplay makes it again", path)
	}
	return f, nil
}

// sleep waits d, and then as long as the output is paused; false when it
// closes.
func (o *pipeOutput) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-o.sig:
	}
	for {
		paused, closed := o.state()
		o.mu.Lock()
		closed = closed || o.closing
		o.mu.Unlock()
		if closed {
			return false
		}
		if !paused {
			return true
		}
		<-o.sig
	}
}

// file is the open write end (tests).
func (o *pipeOutput) file() *os.File {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.f
}

// blocked reports whether a blocking open waits for a reader (tests).
func (o *pipeOutput) blocked() bool { return o.blocking.Load() }

// Latency is the FIFO's buffer (0 for a file).
func (o *pipeOutput) Latency() time.Duration {
	if !o.fifo {
		return 0
	}
	return time.Duration(pipeCapacity/4) * time.Second / time.Duration(o.rate)
}

func (o *pipeOutput) Close() error {
	o.mu.Lock()
	o.closing = true
	f := o.f
	o.mu.Unlock()
	if f != nil && o.fifo {
		// Ends a write that waits for a reader that does not read.
		f.SetWriteDeadline(time.Unix(1, 0))
	}
	err := o.stop()
	o.mu.Lock()
	f, o.f = o.f, nil
	o.mu.Unlock()
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if o.opening != nil {
		// The pulling goroutine is done: end its blocking open by being
		// the reader it waits for, a moment.
		if r, rerr := os.OpenFile(o.path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0); rerr == nil {
			if res := <-o.opening; res.f != nil {
				res.f.Close()
			}
			r.Close()
		}
		o.opening = nil
	}
	if err != nil {
		return fmt.Errorf("pipe output: %w", err)
	}
	return nil
}
