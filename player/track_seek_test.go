package player

import (
	"math"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/mpeg"
	"github.com/pcplay/pcplay/internal/poll"
)

// loopFrames makes a CBR mp3 with no Info frame that plays the audio frames
// of fixture name n times over.
func loopFrames(t testing.TB, name string, n int) []byte {
	t.Helper()
	data := fixtures.Get(name).Data()
	s := mpeg.Scan(data)
	if len(s.Frames) == 0 {
		t.Fatalf("%s: no frames", name)
	}
	audio := data[s.DataStart:s.AudioEnd]
	out := make([]byte, 0, len(audio)*n)
	for range n {
		out = append(out, audio...)
	}
	return out
}

// newLoopEnv serves a 3×20 s loop of a128 as /Music/long.mp3.
func newLoopEnv(t testing.TB, loops int) *trackEnv {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: testEmail, Password: "secret"}},
		Root: pcloudtest.Dir("", pcloudtest.Dir("Music",
			pcloudtest.AudioFile("long.mp3", map[int][]byte{128: loopFrames(t, "a128", loops)}, pcloudtest.Tags{}))),
	})
	t.Cleanup(srv.Close)
	return newTrackEnvFor(t, srv)
}

// loopFreq is the tone at second sec of the a128 loop (the loop repeats the
// 20 tones every 20 s, drifting by a few ms per loop).
func loopFreq(sec int) float64 { return fixtures.Get("a128").FreqAt(sec % 20) }

func TestSeekInsideBuffer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		f := fixtures.Get("a128")
		o := e.opts()
		ts := OpenTrack(e.id("a128"), 0, o)
		defer ts.Close()
		pull(t, ts, 2*f.SampleRate)
		poll.Until(t, "the whole file in the buffer", ts.Downloaded)
		refTrack := OpenTrack(e.id("a128"), 0, o)
		ref := drainTrack(t, refTrack, 60*time.Second)
		refTrack.Close()
		e.srv.ResetLog()

		for _, to := range []time.Duration{12700 * time.Millisecond, 3700 * time.Millisecond, 19*time.Second + 300*time.Millisecond, 700 * time.Millisecond} {
			ts.Seek(to)
			if p := ts.Position(); p != to {
				t.Errorf("Position right after Seek(%v) = %v", to, p)
			}
			n := f.SampleRate * 6 / 10
			if to > 19*time.Second {
				n = f.SampleRate / 2
			}
			out := pull(t, ts, n)
			// A local seek lands on the very sample, and decodes it exactly.
			at := int(durSamples(to, int64(f.SampleRate)))
			for i := range out {
				if at+i < len(ref) && out[i] != ref[at+i] {
					t.Errorf("after Seek(%v): sample %d is %v, the uninterrupted decode has %v", to, i, out[i], ref[at+i])
					break
				}
			}
			sec := int(to / time.Second)
			// 0.3 s before the next whole second: the first 0.2 s is second
			// sec, from 0.4 s on it is sec+1 — lands within ±0.1 s.
			if got := audiotest.DominantFreq(tsMono(out[:f.SampleRate/5]), f.SampleRate); math.Abs(got-f.FreqAt(sec)) > fixtures.Tolerance {
				t.Errorf("after Seek(%v): %.1f Hz, want second %d (%.1f Hz)", to, got, sec, f.FreqAt(sec))
			}
			if sec+1 < f.Seconds {
				if got := audiotest.DominantFreq(tsMono(out[f.SampleRate*4/10:]), f.SampleRate); math.Abs(got-f.FreqAt(sec+1)) > fixtures.Tolerance {
					t.Errorf("after Seek(%v): %.1f Hz at +0.4 s, want second %d", to, got, sec+1)
				}
			}
		}
		if got := e.starts(); len(got) != 0 {
			t.Errorf("stream requests %q: a seek inside the buffer made a request", got)
		}
	})
}

func TestSeekOutsideBuffer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newLoopEnv(t, 3)
		rate := 44100
		o := e.opts()
		o.ReadAhead = 64 << 10  // 4 s of 128 kbit/s
		o.KeepBehind = 64 << 10 // the decoder is 0.5 s ahead of what plays
		ts := OpenTrack(e.srv.FileID("/Music/long.mp3"), 0, o)
		defer ts.Close()
		pull(t, ts, rate/2)

		ts.Seek(33600 * time.Millisecond)
		if p := ts.Position(); p != 33*time.Second {
			t.Errorf("Position after an outside seek = %v, want 33s", p)
		}
		out := pull(t, ts, 2*rate)
		checkLoop(t, out, 33)
		if p := ts.Position(); p != 35*time.Second {
			t.Errorf("Position after 2 s = %v, want 35s", p)
		}
		if got := e.starts(); len(got) != 2 || got[1] != "33" {
			t.Errorf("stream requests %q, want a second one with start=33", got)
		}

		// Back by 1 s is inside what is kept behind: no request.
		ts.Seek(34 * time.Second)
		checkLoop(t, pull(t, ts, rate), 34)
		if got := e.starts(); len(got) != 2 {
			t.Errorf("stream requests %q after a seek back inside the buffer", got)
		}
	})
}

// checkLoop checks that out plays the loop from second sec on.
func checkLoop(t *testing.T, out [][2]float64, sec int) {
	t.Helper()
	rate := 44100
	for k := 0; (k+1)*rate <= len(out); k++ {
		got := freqOf(out, rate, float64(k)+0.2)
		if want := loopFreq(sec + k); math.Abs(got-want) > fixtures.Tolerance {
			t.Errorf("second %d: %.1f Hz, want %.1f", sec+k, got, want)
		}
	}
}

func TestSeekBurstCollapses(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newLoopEnv(t, 3)
		rate := 44100
		o := e.opts()
		o.ReadAhead = 64 << 10
		o.KeepBehind = 16 << 10
		ts := OpenTrack(e.srv.FileID("/Music/long.mp3"), 0, o)
		defer ts.Close()
		<-ts.Ready()
		for range 6 {
			ts.Seek(ts.Position() + 5*time.Second)
		}
		if p := ts.Position(); p != 30*time.Second {
			t.Fatalf("Position after six +5 s = %v", p)
		}
		checkLoop(t, pull(t, ts, 2*rate), 30)
		got := e.starts()
		n := 0
		for _, s := range got[1:] {
			if s != "" {
				n++
			}
		}
		if len(got) != 2 || got[1] != "30" {
			t.Errorf("stream requests %q, want exactly one more, start=30 (%d with start=)", got, n)
		}
	})
}

func TestOpenAtStart(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 7*time.Second+500*time.Millisecond, e.opts())
		defer ts.Close()
		if p := ts.Position(); p != 7500*time.Millisecond {
			t.Errorf("Position before anything = %v", p)
		}
		out := pull(t, ts, f.SampleRate)
		if got := audiotest.DominantFreq(tsMono(out[:f.SampleRate*4/10]), f.SampleRate); math.Abs(got-f.FreqAt(7)) > fixtures.Tolerance {
			t.Errorf("start: %.1f Hz, want second 7", got)
		}
		if got := audiotest.DominantFreq(tsMono(out[f.SampleRate*6/10:]), f.SampleRate); math.Abs(got-f.FreqAt(8)) > fixtures.Tolerance {
			t.Errorf("+0.6 s: %.1f Hz, want second 8", got)
		}
		if got := e.starts(); len(got) != 1 || got[0] != "7" {
			t.Errorf("requests %q, want start=7", got)
		}
		if d := ts.Duration(); d != time.Duration(f.Seconds)*time.Second {
			// No Info frame after start=7: the duration comes from the
			// Content-Length of a CBR stream (7 s + remainder).
			if d != 0 && (d < 19900*time.Millisecond || d > 20100*time.Millisecond) {
				t.Errorf("duration %v", d)
			}
		}
	})
}

func TestOpenPastTheEnd(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		ts := OpenTrack(e.id("a128"), 25*time.Second, e.opts())
		defer ts.Close()
		out := drainTrack(t, ts, 30*time.Second)
		if len(out) != 0 || ts.Err() != nil || ts.Status() != TrackEnded {
			t.Errorf("%d samples, err %v, status %v: want a clean end", len(out), ts.Err(), ts.Status())
		}
	})
}

func TestSeekToTheEnd(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		pull(t, ts, f.SampleRate/10)
		poll.Until(t, "the whole file", ts.Downloaded)
		ts.Seek(time.Hour)
		if p := ts.Position(); p != ts.Duration() {
			t.Errorf("Position %v after seeking past the end (duration %v)", p, ts.Duration())
		}
		out := drainTrack(t, ts, 30*time.Second)
		if len(out) > f.SampleRate || ts.Err() != nil {
			t.Errorf("%d samples after seeking to the end, err %v", len(out), ts.Err())
		}
	})
}

// TestSeekStress seeks at random (inside and beyond the buffer, during
// faults) while another goroutine pulls samples, then checks the stream
// still lands where asked and plays on.
func TestSeekStress(t *testing.T) {
	// Real time, not a synctest bubble: the puller takes what the decoder
	// has as fast as it can, which on the fake clock is the whole track
	// between two seeks; the storm is about real interleavings.
	t.Parallel()
	e := newLoopEnv(t, 3)
	o := e.opts()
	o.ReadAhead = 64 << 10
	o.KeepBehind = 32 << 10
	o.debounce = 5 * time.Millisecond
	ts := OpenTrack(e.srv.FileID("/Music/long.mp3"), 0, o)
	defer ts.Close()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([][2]float64, 700)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if n, ok := ts.Stream(buf); !ok {
				return
			} else if n == 0 {
				time.Sleep(100 * time.Microsecond)
			}
		}
	}()
	seed := uint64(1)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for i := range 150 {
		switch rnd(4) {
		case 0:
			ts.Seek(time.Duration(rnd(59000)) * time.Millisecond)
		case 1:
			ts.Seek(ts.Position() + time.Duration(rnd(4000)-2000)*time.Millisecond)
		case 2:
			if i%10 == 0 {
				e.srv.CutNextAfter(int64(1000 + rnd(30000)))
			}
		default:
			ts.Position()
			ts.Status()
		}
		time.Sleep(time.Duration(rnd(3000)) * time.Microsecond)
	}
	close(stop)
	<-done
	e.srv.CutNextAfter(0)
	ts.Seek(41 * time.Second)
	out := pull(t, ts, 44100*2)
	if got := freqOf(out, 44100, 0.2); math.Abs(got-loopFreq(41)) > fixtures.Tolerance {
		t.Errorf("after the storm, Seek(41s) plays %.1f Hz, want %.1f", got, loopFreq(41))
	}
	if got := freqOf(out, 44100, 1.2); math.Abs(got-loopFreq(42)) > fixtures.Tolerance {
		t.Errorf("then %.1f Hz, want %.1f", got, loopFreq(42))
	}
}
