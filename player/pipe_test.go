//go:build unix

package player

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

// indexSignal is a track whose sample i is written by the pipe output as
// the 16-bit value i mod 65536 - 32768 on both channels, so that a reader
// of the FIFO knows exactly which sample it got.
func indexSignal(i int) float64 { return float64(i%65536-32768) / 32767 }

// pcmIndex is the sample index (mod 65536) of the frame at b.
func pcmIndex(b []byte) int { return int(int16(binary.LittleEndian.Uint16(b))) + 32768 }

func indexLib(secs int) *fakeLib {
	return &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack { return &fakeTrack{rate: rate, total: secs * rate, val: indexSignal} },
	}}
}

func newPipeOut(t *testing.T, path string) *pipeOutput {
	t.Helper()
	o, err := NewPipe(path, rate, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o.(*pipeOutput)
}

// readFrames reads n frames from r and checks that they are consecutive
// samples of indexSignal; it returns the index of the first and the last.
func readFrames(t *testing.T, r io.Reader, n int) (first, last int) {
	t.Helper()
	b := make([]byte, 4*n)
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatalf("reading the FIFO: %v", err)
	}
	first = pcmIndex(b)
	for i := range n {
		l, r := pcmIndex(b[4*i:]), int(int16(binary.LittleEndian.Uint16(b[4*i+2:])))+32768
		if want := (first + i) % 65536; l != want || r != want {
			t.Fatalf("frame %d read is sample %d/%d, want %d: the audio is not continuous", i, l, r, want)
		}
	}
	return first, (first + n - 1) % 65536
}

// A FIFO nobody reads: playback waits at the start with one status line,
// in one blocking open (no attempts at intervals, no spinning), paused or
// not. Real time: only real time shows that nothing runs meanwhile.
func TestPipeWaitsForAReaderWithoutSpinning(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "snapfifo")
	out := newPipeOut(t, fifo)
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode().Type() != fs.ModeNamedPipe {
		t.Fatalf("the missing FIFO was not made: %v %v", fi, err)
	}
	p := newTestPlayer(t, indexLib(5), out)
	p.PlayNow(tracks(1))
	want := (&NoReaderError{Path: fifo}).Sentence()
	poll.Until(t, "the status to say it waits for a reader", func() bool { return p.Status().Err == want })
	poll.Until(t, "the blocking open", func() bool { return out.blocked() })
	n0 := out.opens.Load()
	time.Sleep(300 * time.Millisecond)
	st := p.Status()
	if st.Err != want {
		t.Errorf("status line = %q, want %q", st.Err, want)
	}
	if st.Position > 50*time.Millisecond {
		t.Errorf("position moved to %v while nobody read", st.Position)
	}
	// A few attempts without waiting (one, and one a change of the pause
	// state), then one blocking open.
	if n := out.opens.Load(); n != n0 || n > 4 {
		t.Errorf("%d attempts to open the FIFO, %d of them while it waited; want a few, none while waiting", n, n-n0)
	}
	p.Pause()
	time.Sleep(300 * time.Millisecond)
	if n := out.opens.Load(); n > n0+1 {
		t.Errorf("%d attempts to open the FIFO after a pause; want at most one more", n-n0)
	}
}

// snapReader opens fifo as snapserver does: without waiting for a writer,
// and while there is none (its read is an end of file) it closes and opens
// it again every 100 ms. It returns the reader once a writer is there.
func snapReader(t *testing.T, fifo string) (io.Reader, io.Closer) {
	t.Helper()
	deadline := time.Now().Add(poll.Patience)
	for time.Now().Before(deadline) {
		f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 4)
		n, err := f.Read(b)
		if err == nil {
			return io.MultiReader(bytes.NewReader(b[:n]), f), f
		}
		f.Close()
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no writer came to the FIFO")
	return nil, nil
}

// A reader comes late, goes away and comes back: playback starts when it
// comes, waits while it is gone, and goes on from where it was, the audio
// continuous within what each reader got; the status line says so and
// clears. The reader going away is an EPIPE (and a SIGPIPE, which must not
// end the process: this test would die).
func TestPipeReaderLateGoneBack(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "snapfifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	out := newPipeOut(t, fifo)
	p := newTestPlayer(t, indexLib(30), out)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ev := p.Subscribe(ctx)
	want := (&NoReaderError{Path: fifo}).Sentence()

	p.PlayNow(tracks(1))
	waitStatus(t, ev, "the line saying it waits for a reader", func(st Status) bool { return st.Err == want })
	r, rc := snapReader(t, fifo)
	first, last := readFrames(t, r, rate/2)
	if first != 0 {
		t.Errorf("the late reader's first sample is %d, want 0 (the start of the track)", first)
	}
	waitStatus(t, ev, "the waiting line to clear", func(st Status) bool { return st.Err == "" && st.State == Playing })

	rc.Close()
	st := waitStatus(t, ev, "the line saying it waits again", func(st Status) bool { return st.Err == want })
	if st.State != Playing {
		t.Errorf("state while waiting = %v, want playing (the reader stops it, not the person)", st.State)
	}
	at := p.Status().Position
	time.Sleep(300 * time.Millisecond)
	if again := p.Status().Position; again != at {
		t.Errorf("position moved from %v to %v while nobody read", at, again)
	}

	r, rc = snapReader(t, fifo)
	defer rc.Close()
	first, _ = readFrames(t, r, rate/5)
	// It goes on exactly where it waited (the track is 30 s: no wrap at
	// 65536 to mind before 1.4 s), after what the first reader got and
	// the FIFO held when it left (at most pipeCapacity) and the chunk whose
	// write failed.
	atFrame := int(at * rate / time.Second)
	switch {
	case first <= last:
		t.Errorf("the second reader starts at sample %d, before the first one's last (%d)", first, last)
	case first-last > pipeCapacity/4+rate/50:
		t.Errorf("the second reader starts at sample %d, %d after the first one's last: more lost than the FIFO holds", first, first-last)
	case first < atFrame || first > atFrame+1: // +1: the position is a truncated duration
		t.Errorf("the second reader starts at sample %d; playback waited at %v (sample %d): not where it waited", first, at, atFrame)
	}
	waitStatus(t, ev, "the waiting line to clear again", func(st Status) bool { return st.Err == "" })
}

// Paused while it waits: a reader that comes gets nothing until play, and
// then the track from where it waited.
func TestPipePausedWhileWaiting(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "snapfifo")
	out := newPipeOut(t, fifo)
	p := newTestPlayer(t, indexLib(30), out)
	p.PlayNow(tracks(1))
	poll.Until(t, "the blocking open", func() bool { return out.blocked() })
	p.Pause()
	// The reader, as snapserver opens it; its first read waits for sound.
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	poll.Until(t, "the writer to open the FIFO", func() bool { return out.file() != nil })
	read := make(chan []byte, 1)
	go func() {
		b := make([]byte, 4*rate/10)
		n, _ := io.ReadFull(r, b)
		read <- b[:n]
	}()
	time.Sleep(200 * time.Millisecond)
	select {
	case b := <-read:
		t.Fatalf("the reader got %d bytes while paused", len(b))
	default:
	}
	if pos := p.Status().Position; pos != 0 {
		t.Errorf("position %v while paused and waiting, want 0", pos)
	}
	p.Play()
	b := <-read
	if first, _ := readFrames(t, bytes.NewReader(b), rate/10); first != 0 {
		t.Errorf("after play the reader starts at sample %d, want 0", first)
	}
}

// Close ends a write that waits for a reader that does not read.
func TestPipeCloseWithAStalledReader(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "snapfifo")
	out := newPipeOut(t, fifo)
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := newTestPlayer(t, indexLib(30), out)
	p.PlayNow(tracks(1))
	// The FIFO fills (64 KiB) and the writer waits.
	poll.Until(t, "the writer to fill the FIFO", func() bool { return p.Status().Position > 300*time.Millisecond })
	done := make(chan error, 1)
	go func() { done <- p.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(poll.Patience):
		t.Fatal("Close hung on a write to a FIFO nobody reads")
	}
}

// Close ends the blocking open that waits for a reader.
func TestPipeCloseWhileWaiting(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "snapfifo")
	out := newPipeOut(t, fifo)
	p := newTestPlayer(t, indexLib(30), out)
	p.PlayNow(tracks(1))
	poll.Until(t, "the blocking open", func() bool { return out.blocked() })
	done := make(chan error, 1)
	go func() { done <- p.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(poll.Patience):
		t.Fatal("Close hung on the open waiting for a reader")
	}
}

// A regular file gets the raw PCM in real time; a directory, a socket
// and a symbolic link are refused with a sentence.
func TestPipeFileAndRefusals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		file := filepath.Join(dir, "out.raw")
		if err := os.WriteFile(file, []byte("old content"), 0o600); err != nil {
			t.Fatal(err)
		}
		out := newPipeOut(t, file)
		p := newTestPlayer(t, indexLib(1), out)
		p.PlayNow(tracks(1))
		poll.Until(t, "the track to end", func() bool { return p.Status().State == Stopped })
		time.Sleep(time.Second)
		p.Close()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		start := 0
		for start+4 <= len(b) && binary.LittleEndian.Uint32(b[start:]) == 0 {
			start += 4 // silence before the track
		}
		if len(b)-start < 4*rate {
			t.Fatalf("the file holds %d bytes of sound, want the whole second (%d)", len(b)-start, 4*rate)
		}
		if first, _ := readFrames(t, strings.NewReader(string(b[start:])), rate); first != 0 {
			t.Errorf("the file starts at sample %d, want 0", first)
		}
	})

	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "elsewhere"), link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{dir, "is a directory, not a FIFO: give --output pipe: the path of snapserver's FIFO"},
		{link, "is a symbolic link; pcplay does not write through one"},
		{filepath.Join(dir, "no", "such"), "cannot make the FIFO"},
	} {
		_, err := NewPipe(c.path, rate, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewPipe(%s) = %v, want an error with %q", c.path, err, c.want)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "elsewhere")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the link's target was made: %v", err)
	}
}
