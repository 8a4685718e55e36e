package player

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

func TestVolumeAndMute(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		if g := gainFor(100, false); g != 1 {
			t.Errorf("gain(100) = %v", g)
		}
		if g := gainFor(0, false); g != 0 {
			t.Errorf("gain(0) = %v", g)
		}
		if g := gainFor(85, false); g != 0.5 {
			t.Errorf("gain(85) = %v, want 0.5", g)
		}
		if g := gainFor(70, true); g != 0 {
			t.Errorf("muted gain = %v", g)
		}
		lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
			1: func() *fakeTrack {
				return &fakeTrack{rate: rate, total: 60 * rate, val: func(int) float64 { return 0.5 }}
			},
		}}
		out := newCapture(rate, 2)
		p := newTestPlayer(t, lib, out)
		p.SetVolume(85)
		p.PlayNow(tracks(1))
		poll.Until(t, "sound", func() bool { return slices.Contains(out.Samples(), [2]float64{0.25, 0.25}) })
		p.ToggleMute()
		if st := p.Status(); !st.Muted || st.Volume != 85 {
			t.Errorf("status after mute: %+v", st)
		}
		n := out.Len()
		poll.Until(t, "half a second muted", func() bool { return out.Len() >= n+rate/2 })
		for _, s := range out.Samples()[n+rate/4:] {
			if s != [2]float64{} {
				t.Fatalf("sound while muted: %v", s)
			}
		}
		p.SetVolume(250)
		if st := p.Status(); st.Volume != 100 {
			t.Errorf("SetVolume(250) → %d", st.Volume)
		}
	})
}

// TestVolumeZeroIsSilent: Config.Volume 0 (a config file's volume = 0) is
// silence, not "unset".
func TestVolumeZeroIsSilent(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
			1: func() *fakeTrack {
				return &fakeTrack{rate: rate, total: 60 * rate, val: func(int) float64 { return 0.5 }}
			},
		}}
		out := newCapture(rate, 2)
		p := newTestPlayer(t, lib, out, func(c *Config) { c.Volume = 0 })
		if st := p.Status(); st.Volume != 0 {
			t.Fatalf("Volume 0 reports volume %d", st.Volume)
		}
		p.PlayNow(tracks(1))
		poll.Until(t, "a second played", func() bool { return p.Status().Position >= time.Second })
		heard := out.Samples()
		if len(heard) < rate {
			t.Fatalf("captured %d samples after a second played", len(heard))
		}
		for i, s := range heard {
			if s != [2]float64{} {
				t.Fatalf("sample %d = %v at volume 0, want silence", i, s)
			}
		}
		if st := p.Status(); st.Volume != 0 || st.State != Playing {
			t.Errorf("status while playing at volume 0: %+v", st)
		}
		p.SetVolume(85) // the same track is heard once the volume is up
		poll.Until(t, "sound at volume 85", func() bool { return slices.Contains(out.Samples(), [2]float64{0.25, 0.25}) })
	})
}

func TestBitrateToggleAndShuffleOff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 2))
		p.Enqueue(tracks(1, 2, 3))
		p.Toggle() // stopped: starts
		poll.Until(t, "2 s of play", func() bool { return p.Status().Position >= 2*time.Second })
		p.SetBitrate(320)
		st := p.Status()
		if st.Bitrate != 320 || st.Index != 0 || st.Position < 2*time.Second {
			t.Errorf("after SetBitrate(320): %+v", st)
		}
		lib.mu.Lock()
		last := lib.starts[len(lib.starts)-1]
		lib.mu.Unlock()
		if n := len(lib.openedIDs()); n < 2 || last < 2*time.Second || last%time.Second != 0 {
			t.Errorf("SetBitrate reopened %d streams, the last at %v; want one at the current whole second", n, last)
		}
		p.SetBitrate(5)
		if st := p.Status(); st.Bitrate != 320 || st.Err == "" {
			t.Errorf("SetBitrate(5): bitrate %d, error %q", st.Bitrate, st.Err)
		}
		p.Toggle()
		if st := p.Status(); st.State != Paused {
			t.Errorf("Toggle while playing: %v", st.State)
		}
		p.Toggle()
		if st := p.Status(); st.State == Paused || st.State == Stopped {
			t.Errorf("Toggle while paused: %v", st.State)
		}
		p.SetShuffle(true)
		p.SetShuffle(false)
		p.Next()
		if st := p.Status(); st.Index != 1 || st.Shuffle {
			t.Errorf("Next after shuffle off: index %d shuffle %v, want 1 false", st.Index, st.Shuffle)
		}
		p.SetRepeat(Repeat(9))
		if st := p.Status(); st.Repeat != RepeatOff || st.Err == "" {
			t.Errorf("SetRepeat(9): %v %q", st.Repeat, st.Err)
		}
	})
}
