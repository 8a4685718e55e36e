package player

import (
	"context"
	"math"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

// steadyLib is one long track of a steady level, to read the gain off the
// output.
func steadyLib(level float64) *fakeLib {
	return &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack {
			return &fakeTrack{rate: rate, total: 600 * rate, val: func(int) float64 { return level }}
		},
	}}
}

// level is the mean absolute level of the output's samples [from, to).
func level(s [][2]float64, from, to int) float64 {
	from, to = max(0, from), min(len(s), to)
	if to <= from {
		return -1
	}
	var sum float64
	for _, x := range s[from:to] {
		sum += math.Abs(x[0])
	}
	return sum / float64(to-from)
}

// A sleep timer counts down in the status, fades the music out over its
// last SleepFade (steadily, down to silence), pauses at the time, and
// leaves the volume as it was: the next play is heard at the full level.
func TestSleepFadesOutAndPauses(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		out := newCapture(rate, 1)
		p := newTestPlayer(t, steadyLib(0.5), out, func(c *Config) { c.Volume = 100 })
		p.PlayNow(tracks(1))
		poll.Until(t, "playing", func() bool { return p.Status().State == Playing && out.Len() > rate })

		const sleep = 15 * time.Second
		start := time.Now()
		n0 := out.Len()
		p.SetSleep(sleep)
		st := p.Status()
		if !st.SleepAt.Equal(start.Add(sleep)) || st.SleepIn != sleep {
			t.Fatalf("after SetSleep(%v): SleepAt %v (want %v), SleepIn %v", sleep, st.SleepAt, start.Add(sleep), st.SleepIn)
		}
		time.Sleep(5 * time.Second)
		if st := p.Status(); st.SleepIn != sleep-5*time.Second || st.State != Playing {
			t.Fatalf("5 s later: SleepIn %v, state %v; want %v, playing", st.SleepIn, st.State, sleep-5*time.Second)
		}
		time.Sleep(sleep - 5*time.Second - 100*time.Millisecond)
		if st := p.Status(); st.State != Playing || st.SleepIn != time.Second {
			t.Fatalf("0.1 s before the time: state %v, SleepIn %v; want playing, 1s", st.State, st.SleepIn)
		}
		time.Sleep(200 * time.Millisecond)
		st = p.Status()
		if st.State != Paused || !st.SleepAt.IsZero() || st.SleepIn != 0 || st.Volume != 100 {
			t.Fatalf("at the time: state %v, SleepAt %v, SleepIn %v, volume %d; want paused, no sleep, volume 100", st.State, st.SleepAt, st.SleepIn, st.Volume)
		}

		s := out.Samples()
		sec := func(at time.Duration) int { return n0 + int(at*rate/time.Second) }
		fadeAt := sleep - SleepFade
		if l := level(s, sec(time.Second), sec(fadeAt-200*time.Millisecond)); math.Abs(l-0.5) > 1e-9 {
			t.Errorf("before the fade: level %v, want 0.5", l)
		}
		// Half-way through the fade, about 0.5 * fadeGain(5s) = 1/16; near
		// the end, all but silent; and it never rises.
		if l := level(s, sec(fadeAt+4900*time.Millisecond), sec(fadeAt+5100*time.Millisecond)); l < 0.04 || l > 0.09 {
			t.Errorf("half-way through the fade: level %v, want about 0.0625", l)
		}
		if l := level(s, sec(sleep-300*time.Millisecond), sec(sleep-100*time.Millisecond)); l < 0 || l > 0.001 {
			t.Errorf("at the end of the fade: level %v, want under 0.001", l)
		}
		prev := 1.0
		for at := fadeAt; at < sleep-100*time.Millisecond; at += 100 * time.Millisecond {
			l := level(s, sec(at), sec(at+100*time.Millisecond))
			if l > prev+1e-12 {
				t.Fatalf("the fade rose at %v: %v after %v", at-fadeAt, l, prev)
			}
			prev = l
		}
		if l := level(s, sec(sleep+100*time.Millisecond), len(s)); l > 0 {
			t.Errorf("after the pause: level %v, want silence", l)
		}

		// The next play is at the full level again.
		n1 := out.Len()
		p.Play()
		poll.Until(t, "a second played again", func() bool { return out.Len() > n1+2*rate })
		if l := level(out.Samples(), n1+rate, n1+2*rate); math.Abs(l-0.5) > 1e-9 {
			t.Errorf("played again after the sleep: level %v, want 0.5", l)
		}
	})
}

// A sleep cancelled during the fade brings the level back and nothing
// pauses; without a sleep set no timer runs and nothing is published.
func TestSleepOffCancelsTheFade(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		out := newCapture(rate, 1)
		p := newTestPlayer(t, steadyLib(0.5), out, func(c *Config) { c.Volume = 100 })
		p.PlayNow(tracks(1))
		poll.Until(t, "playing", func() bool { return p.Status().State == Playing && out.Len() > rate })

		p.SetSleep(12 * time.Second)
		time.Sleep(7 * time.Second) // 5 s into the fade
		if l := level(out.Samples(), out.Len()-rate/10, out.Len()); l > 0.1 {
			t.Fatalf("5 s into the fade: level %v, want under 0.1", l)
		}
		p.SetSleep(0)
		if st := p.Status(); !st.SleepAt.IsZero() || st.SleepIn != 0 {
			t.Fatalf("after SetSleep(0): SleepAt %v, SleepIn %v", st.SleepAt, st.SleepIn)
		}
		n := out.Len()
		time.Sleep(10 * time.Second)
		if st := p.Status(); st.State != Playing {
			t.Fatalf("past the cancelled time: state %v, want playing", st.State)
		}
		if l := level(out.Samples(), n+rate/2, out.Len()); math.Abs(l-0.5) > 1e-9 {
			t.Errorf("after the cancel: level %v, want 0.5", l)
		}

		// Paused with no sleep: no timer, and no status for an hour.
		p.Pause()
		p.mu.Lock()
		timer := p.sleep.timer
		p.mu.Unlock()
		if timer != nil {
			t.Fatal("a sleep timer is armed with no sleep set")
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		synctest.Wait() // the pause published
		ev := p.Subscribe(ctx)
		<-ev // the current status
		time.Sleep(time.Hour)
		select {
		case st := <-ev:
			t.Fatalf("a status while paused with no sleep set: %+v", st)
		default:
		}

		// Paused with a sleep set: the countdown moves once a second, and
		// at the time the sleep ends (still paused).
		p.SetSleep(3 * time.Second)
		var seen []time.Duration
		for st := range ev {
			if st.SleepIn > 0 {
				if len(seen) == 0 || seen[len(seen)-1] != st.SleepIn {
					seen = append(seen, st.SleepIn)
				}
			} else if st.SleepAt.IsZero() && len(seen) > 0 {
				if st.State != Paused {
					t.Errorf("after a sleep while paused: state %v", st.State)
				}
				break
			}
		}
		if want := []time.Duration{3 * time.Second, 2 * time.Second, time.Second}; len(seen) != 3 || seen[0] != want[0] || seen[2] != want[2] {
			t.Errorf("the countdown while paused went %v, want %v", seen, want)
		}
	})
}

func TestFadeGain(t *testing.T) {
	if g := fadeGain(SleepFade); g != 1 {
		t.Errorf("fadeGain(at the start) = %v, want 1", g)
	}
	if g := fadeGain(0); g != 0 {
		t.Errorf("fadeGain(at the end) = %v, want 0", g)
	}
	if g := fadeGain(SleepFade / 2); g != 0.125 {
		t.Errorf("fadeGain(half-way) = %v, want 0.125 (-18 dB)", g)
	}
}
