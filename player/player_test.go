package player

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

const rate = 44100

func newTestPlayer(t *testing.T, lib *fakeLib, out Output, tweak ...func(*Config)) *Player {
	t.Helper()
	cfg := Config{Links: noLinks{}, Output: out, Volume: 100}
	for _, f := range tweak {
		f(&cfg)
	}
	p, err := newPlayer(cfg, lib.open)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func toneLib(secs map[uint64]float64) *fakeLib {
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{}}
	for id, s := range secs {
		n := int(s * rate)
		lib.tracks[id] = func() *fakeTrack {
			return &fakeTrack{rate: rate, total: n, val: tone(rate), status: TrackConnecting, readyIn: 2}
		}
	}
	return lib
}

func tracks(ids ...uint64) []Track {
	ts := make([]Track, len(ids))
	for i, id := range ids {
		ts[i] = Track{FileID: id, Name: "t" + string(rune('0'+id)) + ".mp3"}
	}
	return ts
}

func TestGaplessThroughPlayer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const n1, n2 = 88211, 30000
		lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
			1: func() *fakeTrack { return &fakeTrack{rate: rate, total: n1, val: counter(1)} },
			2: func() *fakeTrack { return &fakeTrack{rate: rate, total: n2, val: counter(2)} },
		}}
		out := newCapture(rate, 1)
		p := newTestPlayer(t, lib, out, func(c *Config) { c.PreloadAhead = time.Hour })
		p.PlayNow(tracks(1, 2))
		poll.Until(t, "both tracks to play", func() bool {
			return len(lib.openedIDs()) == 2 && p.Status().State == Stopped
		})

		got := out.Samples()
		start := slices.IndexFunc(got, func(s [2]float64) bool { return s[0] != 0 })
		if start < 0 || len(got)-start < n1+n2 {
			t.Fatalf("captured %d samples, first sound at %d; want %d sounding", len(got), start, n1+n2)
		}
		for i := range n1 + n2 {
			want := counter(1)(i)
			if i >= n1 {
				want = counter(2)(i - n1)
			}
			if g := got[start+i][0]; g != want {
				t.Fatalf("sample %d = %v, want %v (join at %d)", i, g, want, n1)
			}
		}
	})
}

func TestPlaysFromStartAtRealPace(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 3})
		out := newCapture(rate, 1)
		p := newTestPlayer(t, lib, out)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ev := p.Subscribe(ctx)
		p.PlayNow(tracks(1))
		var seconds []int
		waitStatus(t, ev, "the end of the track", func(st Status) bool {
			if st.State == Playing {
				s := int(st.Position / time.Second)
				if len(seconds) == 0 || seconds[len(seconds)-1] != s {
					seconds = append(seconds, s)
				}
			}
			return st.State == Stopped && len(seconds) > 0
		})
		// 3 s is the very end of the track, shown or not.
		if !slices.Equal(seconds, []int{0, 1, 2}) && !slices.Equal(seconds, []int{0, 1, 2, 3}) {
			t.Errorf("whole seconds seen while playing = %v, want [0 1 2]", seconds)
		}
		got := mono(out.Samples())
		start := slices.IndexFunc(got, func(v float64) bool { return v != 0 })
		for sec := range 3 {
			win := got[start+sec*rate+rate/10 : start+sec*rate+rate*9/10]
			if f := dominant(win, rate, candidates()); f != toneFreq(sec) {
				t.Errorf("second %d: dominant %v Hz, want %v", sec, f, toneFreq(sec))
			}
			for i, v := range got[start+sec*rate : start+(sec+1)*rate-1] {
				if v == 0 && got[start+sec*rate+i+1] == 0 {
					t.Fatalf("gap in second %d at sample %d", sec, i)
				}
			}
		}
	})
}

func candidates() []float64 {
	var c []float64
	for s := range 8 {
		c = append(c, toneFreq(s), toneFreq(s)*48000/44100, toneFreq(s)*44100/48000)
	}
	return c
}

func TestResampled48kPlaysAtPitch(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
			1: func() *fakeTrack { return &fakeTrack{rate: 48000, total: 4 * 48000, val: tone(48000), readyIn: 3} },
		}}
		out := newCapture(rate, 1) // in the bubble real time costs nothing (speed 0 would spin: the clock never moves)
		p := newTestPlayer(t, lib, out)
		p.PlayNow(tracks(1))
		poll.Until(t, "the track to end", func() bool {
			return len(lib.openedIDs()) == 1 && p.Status().State == Stopped
		})

		got := mono(out.Samples())
		start := slices.IndexFunc(got, func(v float64) bool { return v != 0 })
		end := len(got)
		for end > 0 && got[end-1] == 0 {
			end--
		}
		if n := end - start; n < 4*rate-50 || n > 4*rate+50 {
			t.Errorf("4 s at 48 kHz came out as %d samples at 44.1 kHz, want about %d", n, 4*rate)
		}
		for sec := range 4 {
			win := got[start+sec*rate+rate/10 : start+sec*rate+rate*9/10]
			if f := dominant(win, rate, candidates()); f != toneFreq(sec) {
				t.Errorf("second %d: dominant %v Hz, want %v", sec, f, toneFreq(sec))
			}
		}
	})
}

func TestPauseFreezes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 30})
		out := newCapture(rate, 4)
		p := newTestPlayer(t, lib, out)
		p.PlayNow(tracks(1))
		poll.Until(t, "1 s of play", func() bool { return p.Status().Position >= time.Second })
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ev := p.Subscribe(ctx)
		p.Pause()
		st := p.Status()
		if st.State != Paused {
			t.Fatalf("state after Pause = %v, want Paused", st.State)
		}
		waitStatus(t, ev, "the paused event", func(s Status) bool { return s.State == Paused })
		n := out.Len()
		time.Sleep(1500 * time.Millisecond) // a window to watch (6 s of track time at 4×), not a wait
		select {
		case s := <-ev:
			t.Errorf("event while paused: %+v", s)
		default:
		}
		if got := p.Status().Position; got != st.Position {
			t.Errorf("position moved while paused: %v → %v", st.Position, got)
		}
		if out.Len() != n {
			t.Errorf("output pulled %d samples while paused", out.Len()-n)
		}
		p.Toggle()
		poll.Until(t, "play to go on", func() bool {
			s := p.Status()
			return s.State == Playing && s.Position > st.Position+time.Second
		})

	})
}

func TestNextPrevAndSeek(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60})
		out := newCapture(rate, 2)
		p := newTestPlayer(t, lib, out)
		p.Enqueue(tracks(1, 2, 3))
		if st := p.Status(); st.State != Stopped || st.Index != -1 {
			t.Fatalf("after Enqueue: %v index %d, want Stopped -1", st.State, st.Index)
		}
		p.Play()
		poll.Until(t, "track 1", func() bool { return p.Status().Index == 0 && p.Status().State == Playing })
		p.Next()
		poll.Until(t, "track 2", func() bool { return p.Status().Index == 1 && p.Status().State == Playing })
		p.Seek(0)
		p.Prev() // < 3 s in: the previous track
		poll.Until(t, "track 1 again", func() bool { return p.Status().Index == 0 })
		p.Seek(10 * time.Second)
		if pos := p.Status().Position; pos < 10*time.Second || pos > 11*time.Second {
			t.Errorf("position after Seek(10s) = %v", pos)
		}
		for range 6 {
			p.SeekBy(5 * time.Second)
		}
		if pos := p.Status().Position; pos < 40*time.Second || pos > 41*time.Second {
			t.Errorf("position after 6×SeekBy(5s) from 10s = %v, want 40s", pos)
		}
		// What plays after the seek is second 40's tone.
		n := out.Len()
		poll.Until(t, "a second after the seek", func() bool { return out.Len() >= n+rate })
		got := mono(out.Samples()[n+rate/8 : n+rate*3/8])
		if f := dominant(got, rate, candidates()); f != toneFreq(40) && f != toneFreq(41) {
			t.Errorf("after seeking to 40 s heard %v Hz, want %v", f, toneFreq(40))
		}
		p.Prev() // > 3 s in: restart
		st := p.Status()
		if st.Index != 0 || st.Position > 1500*time.Millisecond {
			t.Errorf("Prev after 40 s: index %d position %v, want 0 and the start", st.Index, st.Position)
		}
		p.Prev() // at the start of the first: stays
		if st := p.Status(); st.Index != 0 {
			t.Errorf("Prev on the first track: index %d", st.Index)
		}
		p.PlayIndex(2)
		p.Next() // past the last, repeat off: stop
		poll.Until(t, "stop at the end", func() bool { return p.Status().State == Stopped })
		p.PlayIndex(7)
		if st := p.Status(); st.Err == "" {
			t.Error("PlayIndex(7) of 3: no error sentence")
		}
	})
}

func TestFailedTrackThenNext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{2: 5})
		lib.tracks[1] = func() *fakeTrack {
			return &fakeTrack{rate: rate, total: 10 * rate, val: tone(rate), failAt: rate / 2}
		}
		out := newCapture(rate, 4)
		p := newTestPlayer(t, lib, out)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ev := p.Subscribe(ctx)
		p.PlayNow(tracks(1, 9, 2)) // 9: no such file
		var errs []string
		waitStatus(t, ev, "track 3 to play", func(st Status) bool {
			if st.Err != "" && !slices.Contains(errs, st.Err) {
				errs = append(errs, st.Err)
			}
			return st.Index == 2 && st.State == Playing
		})
		if len(errs) == 0 {
			t.Fatal("track 3 plays, but no error event came for the failed ones")
		}
	})
}

func TestAllFailStops(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(nil)
		p := newTestPlayer(t, lib, newCapture(rate, 4))
		p.SetRepeat(RepeatAll)
		p.PlayNow(tracks(7, 8, 9))
		poll.Until(t, "the player to give up", func() bool {
			st := p.Status()
			return st.State == Errored && st.Err != "" && len(lib.openedIDs()) >= 3
		})

		time.Sleep(200 * time.Millisecond) // a window to watch for more opens, not a wait
		if n := len(lib.openedIDs()); n > 4 {
			t.Errorf("opened %d tracks for a queue of 3 failures", n)
		}
	})
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(Config{Output: newCapture(rate, 1)}); err == nil {
		t.Error("no Links: no error")
	}
	if _, err := New(Config{Links: noLinks{}}); err == nil {
		t.Error("no Output: no error")
	}
	if _, err := New(Config{Links: noLinks{}, Output: newCapture(rate, 1), Bitrate: 999}); err == nil {
		t.Error("bitrate 999: no error")
	}
	if _, err := New(Config{Links: noLinks{}, Output: newCapture(0, 1)}); err == nil {
		t.Error("rate 0: no error")
	}
}
