package player

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/pcplay/pcplay/internal/poll"
)

// handOutput is an Output the test pulls by hand, the way the speaker does
// (cutter.pull), counting the cuts it is told of.
type handOutput struct {
	mix  cutter
	cuts atomic.Int32
}

func (h *handOutput) SampleRate() int { return rate }
func (h *handOutput) Start(m beep.Streamer) error {
	h.mix = m.(cutter)
	h.mix.notifyCut(func() { h.cuts.Add(1) })
	return nil
}
func (h *handOutput) SetPaused(bool)         {}
func (h *handOutput) Latency() time.Duration { return 0 }
func (h *handOutput) Close() error           { return nil }

// pullAudio pulls until the mixer gives audio, and returns it with whether
// a cut came before it.
func (h *handOutput) pullAudio(t *testing.T, buf [][2]float64) ([][2]float64, bool) {
	t.Helper()
	cut := false
	var got [][2]float64
	poll.Until(t, "audio from the mixer", func() bool {
		n, c, _ := h.mix.pull(buf)
		cut = cut || c
		got = buf[:n]
		return n > 0
	})

	return got, cut
}

// A seek, a skip and a stop cut what the output holds (so a speaker drops
// its buffer, and they are heard at once); starting from stopped, the move
// to the next track and the end of the queue do not (the end of a track
// must be heard).
func TestCuts(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
			1: func() *fakeTrack { return &fakeTrack{rate: rate, total: 3 * rate, val: counter(1)} },
			2: func() *fakeTrack { return &fakeTrack{rate: rate, total: rate / 2, val: counter(2)} },
		}}
		out := &handOutput{}
		p := newTestPlayer(t, lib, out)
		buf := make([][2]float64, 4096)

		p.PlayNow(tracks(1, 2))
		got, cut := out.pullAudio(t, buf)
		if cut || out.cuts.Load() != 0 || got[0][0] != counter(1)(0) {
			t.Fatalf("start from stopped: cut %v (%d told), first sample %v; want no cut, track 1's first", cut, out.cuts.Load(), got[0][0])
		}

		p.Seek(2 * time.Second)
		if out.cuts.Load() != 1 || !out.mix.cutPending() {
			t.Fatalf("seek: %d cuts told, pending %v; want 1, true", out.cuts.Load(), out.mix.cutPending())
		}
		got, cut = out.pullAudio(t, buf)
		if !cut || got[0][0] != counter(1)(2*rate) {
			t.Fatalf("after the seek: cut %v, first sample %v; want the cut, then sample %d", cut, got[0][0], 2*rate)
		}
		if _, again, _ := out.mix.pull(buf); again {
			t.Fatal("the seek's cut was reported twice")
		}

		p.Next()
		got, cut = out.pullAudio(t, buf)
		if !cut || out.cuts.Load() != 2 || got[0][0] != counter(2)(0) {
			t.Fatalf("next: cut %v (%d told), first sample %v; want a second cut, then track 2", cut, out.cuts.Load(), got[0][0])
		}

		// Track 2 plays to its end, the last of the queue: no cut.
		cut = false
		poll.Until(t, "the end of the queue", func() bool {
			_, c, idle := out.mix.pull(buf)
			cut = cut || c
			return idle && p.Status().State == Stopped
		})

		if cut || out.cuts.Load() != 2 || out.mix.cutPending() {
			t.Fatalf("end of the queue: %d cuts told, pending %v; want 2, false", out.cuts.Load(), out.mix.cutPending())
		}

		// From stopped, track 1 again; it goes on into track 2 by itself.
		p.Play()
		var last float64
		poll.Until(t, "track 2 after track 1", func() bool {
			n, c, _ := out.mix.pull(buf)
			if c {
				t.Fatal("a cut playing from stopped or moving on to the next track")
			}
			if n > 0 {
				last = buf[n-1][0]
			}
			return n > 0 && last >= counter(2)(0) && last < counter(3)(0)
		})

		p.Stop()
		if out.cuts.Load() != 3 || !out.mix.cutPending() {
			t.Fatalf("stop: %d cuts told, pending %v; want 3, true", out.cuts.Load(), out.mix.cutPending())
		}
		p.Stop()
		if out.cuts.Load() != 3 {
			t.Errorf("a stop while stopped told a cut")
		}
	})
}
