//go:build unix

package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

// stubPlayer is a Controller without audio, to measure the socket path
// alone.
type stubPlayer struct {
	mu  sync.Mutex
	st  player.Status
	q   []player.Track
	hub player.Hub
}

func (s *stubPlayer) Status() player.Status { s.mu.Lock(); defer s.mu.Unlock(); return s.st }
func (s *stubPlayer) Queue() []player.Track {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]player.Track(nil), s.q...)
}
func (s *stubPlayer) Subscribe(ctx context.Context) <-chan player.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hub.Subscribe(ctx, s.st)
}
func (s *stubPlayer) change(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	s.hub.Publish(s.st)
}
func (s *stubPlayer) Play()                   {}
func (s *stubPlayer) Pause()                  {}
func (s *stubPlayer) Toggle()                 {}
func (s *stubPlayer) Stop()                   {}
func (s *stubPlayer) Next()                   {}
func (s *stubPlayer) Prev()                   {}
func (s *stubPlayer) PlayIndex(int)           {}
func (s *stubPlayer) Seek(time.Duration)      {}
func (s *stubPlayer) SeekBy(time.Duration)    {}
func (s *stubPlayer) SetVolume(v int)         { s.change(func() { s.st.Volume = v }) }
func (s *stubPlayer) ToggleMute()             {}
func (s *stubPlayer) SetBitrate(int)          {}
func (s *stubPlayer) SetShuffle(bool)         {}
func (s *stubPlayer) SetRepeat(player.Repeat) {}
func (s *stubPlayer) SetSleep(time.Duration)  {}
func (s *stubPlayer) PlayNow([]player.Track)  {}
func (s *stubPlayer) Enqueue(ts []player.Track) {
	s.change(func() { s.q = append(s.q, ts...); s.st.QueueGen++ })
}
func (s *stubPlayer) InsertNext([]player.Track)   {}
func (s *stubPlayer) Remove(int)                  {}
func (s *stubPlayer) Move(int, int)               {}
func (s *stubPlayer) Clear()                      {}
func (s *stubPlayer) Replace([]player.Track, int) {}
func (s *stubPlayer) Undo()                       {}
func (s *stubPlayer) Close() error                { return nil }

func serveStub(tb testing.TB, p player.Controller, opts Options) string {
	tb.Helper()
	path := filepath.Join(shortDir(tb), SocketName)
	ln, err := Listen(path)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Serve(ctx, ln, p, opts); close(done) }()
	tb.Cleanup(func() { cancel(); <-done })
	return path
}

// A command and its effect seen by the client (Sync), one after another.
func BenchmarkCommandRoundTrip(b *testing.B) {
	path := serveStub(b, &stubPlayer{}, Options{})
	c, err := Dial(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.SetVolume(i % 100)
		if err := c.Sync(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// Dial (hello, snapshot) and Close, with a queue of n tracks.
func BenchmarkAttach(b *testing.B) {
	for _, n := range []int{0, 1000, 10000} {
		b.Run(fmt.Sprintf("queue=%d", n), func(b *testing.B) {
			p := &stubPlayer{}
			ts := make([]player.Track, n)
			for i := range ts {
				ts[i] = player.Track{FileID: uint64(i + 1), Name: fmt.Sprintf("%02d Some Fairly Long Track Name.flac", i%100),
					Title: "Some Fairly Long Track Name", Artist: "An Artist", Album: "An Album", TrackNo: i % 20}
			}
			p.Enqueue(ts)
			path := serveStub(b, p, Options{})
			ctx := context.Background()
			for b.Loop() {
				c, err := Dial(ctx, path)
				if err != nil {
					b.Fatal(err)
				}
				if len(c.Queue()) != n {
					b.Fatal("short queue")
				}
				c.Close()
			}
		})
	}
}
