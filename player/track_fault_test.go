package player

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/mpeg"
	"github.com/pcplay/pcplay/internal/poll"
)

// statusLog records every status OnChange reports.
type statusLog struct {
	mu   sync.Mutex
	ts   atomic.Pointer[TrackStream]
	seen map[TrackStatus]bool
}

func (l *statusLog) hook() func() {
	l.seen = map[TrackStatus]bool{}
	return func() {
		ts := l.ts.Load()
		if ts == nil {
			return
		}
		s := ts.Status()
		l.mu.Lock()
		l.seen[s] = true
		l.mu.Unlock()
	}
}

func (l *statusLog) saw(s TrackStatus) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen[s]
}

// checkContinuous checks that out plays fixture f from second 0 on with no
// silent gap: every second is the right tone.
func checkContinuous(t *testing.T, f fixtures.Fixture, out [][2]float64) {
	t.Helper()
	checkSeconds(t, f, out, 0)
	if g := audiotest.Gaps(tsMono(out), f.SampleRate, 0.05); len(g) > 0 {
		t.Errorf("silent gaps at %v s", g)
	}
}

func TestCutAt20Offsets(t *testing.T) {
	f := fixtures.Get("a128")
	data := f.Data()
	scan := mpeg.Scan(data)
	bps := float64(f.Bitrate * 1000 / 8)
	// The uninterrupted decode, from the file in memory.
	refTrack := OpenTrack(1, 0, memOptions(data))
	ref := drainTrack(t, refTrack, 60*time.Second)
	refTrack.Close()
	for i := range 20 {
		off := int64(len(data)) * int64(10+i*85/19) / 100 // 10% .. 95% of the file
		t.Run(fmt.Sprint(off), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				e := newTrackEnv(t, "a128")
				// Start a little before the cut (to keep the test short) and
				// cut that response at file offset off.
				cutSec := float64(off) / bps
				start := max(int(cutSec)-2, 0)
				from := int64(0)
				if start > 0 {
					from = int64(scan.OffsetForSecond(start))
				}
				e.srv.ResetLog()
				e.srv.CutNextAfter(off - from)
				ts := OpenTrack(e.id("a128"), time.Duration(start)*time.Second, e.opts())
				defer ts.Close()
				// Play up to 1.5 s past the cut (or the end), checking every
				// second on the way.
				end := min(cutSec+1.5, float64(f.SourceSamples)/float64(f.SampleRate))
				out := pull(t, ts, int((end-float64(start))*float64(f.SampleRate)))
				checkSeconds(t, f, out, start)
				if g := audiotest.Gaps(tsMono(out), f.SampleRate, 0.05); len(g) > 0 {
					t.Errorf("silent gaps at %v s", g)
				}
				if c := audiotest.Clicks(tsMono(out), f.SampleRate, 0.15); len(c) > 0 {
					t.Errorf("clicks at %v s (cut at %.2f s)", c, cutSec-float64(start))
				}
				checkSameAs(t, out, ref, start*f.SampleRate)
				starts := e.starts()
				if len(starts) != 2 || starts[1] == "" {
					t.Fatalf("requests %q: want a resume with start=", starts)
				}
				var sec int
				fmt.Sscan(starts[1], &sec)
				if float64(sec) > cutSec || float64(sec) < cutSec-1.2 {
					t.Errorf("resumed at start=%d for a cut at %.2f s", sec, cutSec)
				}
			})
		})
	}
}

func TestDeadFirstHost(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.SetHostDown(0, true)
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		out := pull(t, ts, 3*f.SampleRate)
		checkContinuous(t, f, out)
		if n := len(e.srv.Calls("getaudiolink")); n != 1 {
			t.Errorf("%d getaudiolink calls, want 1 (the second host was fine)", n)
		}
	})
}

func TestHost5xxTriesNext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.SetHostStatus(0, 503)
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		checkContinuous(t, f, pull(t, ts, 2*f.SampleRate))
		log := e.srv.Calls("/")
		if len(log) != 2 || log[0].Status != 503 || log[1].Status != 200 {
			t.Errorf("stream requests %+v", log)
		}
	})
}

func TestExpiredLinkGetsFreshOne(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.ExpireOnFirstUse(true)
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		checkContinuous(t, f, pull(t, ts, 2*f.SampleRate))
		if n := len(e.srv.Calls("getaudiolink")); n != 2 {
			t.Errorf("%d getaudiolink calls, want 2", n)
		}
	})
}

func TestLinkTTLPassed(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.SetLinkTTL(time.Second) // expires within the "2 s left" margin
		f := fixtures.Get("a128")
		o := e.opts()
		o.ReadAhead = 64 << 10
		ts := OpenTrack(e.id("a128"), 0, o)
		defer ts.Close()
		pull(t, ts, f.SampleRate/2)
		e.srv.ResetLog()
		ts.Seek(15 * time.Second)
		checkSeconds(t, f, pull(t, ts, f.SampleRate), 15)
		if n := len(e.srv.Calls("getaudiolink")); n != 1 {
			t.Errorf("%d getaudiolink calls for a seek with an expiring link, want 1", n)
		}
	})
}

func TestStallRecovers(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.StallNextAfter(100000)
		f := fixtures.Get("a128")
		var sl statusLog
		o := e.opts()
		o.StallTimeout = 300 * time.Millisecond
		o.OnChange = sl.hook()
		ts := OpenTrack(e.id("a128"), 0, o)
		sl.ts.Store(ts)
		defer ts.Close()
		out := pull(t, ts, 10*f.SampleRate)
		checkContinuous(t, f, out)
		starts := e.starts()
		if len(starts) != 2 || starts[1] == "" {
			t.Errorf("requests %q: want a resume with start=", starts)
		}
		if !sl.saw(TrackReconnecting) {
			t.Error("status never said reconnecting")
		}
	})
}

func TestAPIErrorsAreRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.FailNext(2, 5002)
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		checkContinuous(t, f, pull(t, ts, 2*f.SampleRate))
		// The sound came after the injected failures, not around them: two
		// getaudiolink calls answered 5002, then one succeeded.
		var results []int
		for _, r := range e.srv.Calls("getaudiolink") {
			results = append(results, r.Result)
		}
		if len(results) < 3 || results[0] != 5002 || results[1] != 5002 || results[2] != 0 {
			t.Errorf("getaudiolink results %v, want 5002, 5002, then 0", results)
		}
	})
}

// TestHosts5xxWaitThenPlay: stream hosts that answer 503 are pCloud's
// trouble: after the quick tries the stream waits (TrackWaiting, a reason
// in words) and plays once the hosts answer again; it does not fail.
func TestHosts5xxWaitThenPlay(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.SetHostStatus(0, 503)
		e.srv.SetHostStatus(1, 503)
		o := shortWaits(e.opts())
		var sl statusLog
		o.OnChange = sl.hook()
		ts := OpenTrack(e.id("a128"), 0, o)
		sl.ts.Store(ts)
		defer ts.Close()
		poll.Until(t, "the wait for pCloud", func() bool { return sl.saw(TrackWaiting) })
		if _, why, _ := ts.Outage(); !strings.Contains(why, "503") || rawGo(why) {
			t.Errorf("reason %q", why)
		}
		poll.Until(t, "more tries", func() bool { return len(e.srv.Calls("/")) >= 2*(quickRetries+2) })
		if ts.Err() != nil {
			t.Fatalf("failed: %v", ts.Err())
		}
		e.srv.SetHostStatus(0, 0)
		e.srv.SetHostStatus(1, 0)
		checkContinuous(t, fixtures.Get("a128"), pull(t, ts, 2*44100))
	})
}

// TestFailsAfterRetries: an answer that is neither pCloud's trouble nor
// the network's (a 4xx other than an expired link) fails after MaxRetries.
func TestFailsAfterRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.SetHostStatus(0, 400)
		e.srv.SetHostStatus(1, 400)
		o := e.opts()
		o.MaxRetries = 3
		ts := OpenTrack(e.id("a128"), 0, o)
		defer ts.Close()
		select {
		case <-ts.Ready():
		case <-time.After(30 * time.Second):
			t.Fatal("Ready not closed on failure")
		}
		out := drainTrack(t, ts, 30*time.Second)
		if len(out) != 0 {
			t.Errorf("%d samples from a track that never connected", len(out))
		}
		if ts.Status() != TrackFailed || ts.Err() == nil {
			t.Fatalf("status %v err %v", ts.Status(), ts.Err())
		}
		if !strings.Contains(ts.Err().Error(), "400") {
			t.Errorf("error %q does not say what the server answered", ts.Err())
		}
		if n := len(e.srv.Calls("/")); n != 2*3 {
			t.Errorf("%d stream requests, want 6 (2 hosts × 3 tries)", n)
		}
	})
}

func TestDamagedFixtures(t *testing.T) {
	for _, name := range []string{"truncated", "garbage"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				e := newTrackEnv(t, name)
				f := fixtures.Get(name)
				ts := OpenTrack(e.id(name), 0, e.opts())
				defer ts.Close()
				out := drainTrack(t, ts, 60*time.Second)
				if ts.Status() != TrackEnded && ts.Status() != TrackFailed {
					t.Errorf("status %v", ts.Status())
				}
				rate := f.SampleRate
				if len(out) < 5*rate {
					t.Fatalf("only %d samples", len(out))
				}
				// Whatever is left of the file plays as the right tones.
				good := 0
				for k := 0; (k+1)*rate <= len(out); k++ {
					if math.Abs(freqOf(out, rate, float64(k)+0.25)-f.FreqAt(k)) <= fixtures.Tolerance {
						good++
					}
				}
				if whole := len(out) / rate; good < whole-1 {
					t.Errorf("%d of %d seconds play the right tone", good, whole)
				}
				if name == "garbage" && len(out) < (f.Seconds-1)*rate {
					t.Errorf("garbage: %d samples; the frames after the garbage are lost", len(out))
				}
			})
		})
	}
}

func TestNoContentLength(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.SetContentLength(false)
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		out := drainTrack(t, ts, 60*time.Second)
		checkContinuous(t, f, out)
		if len(out) != f.SourceSamples {
			t.Errorf("%d samples, want %d", len(out), f.SourceSamples)
		}
		if d := ts.Duration(); d != time.Duration(f.SourceSamples)*time.Second/44100 {
			t.Errorf("duration %v (from the Xing tag)", d)
		}
	})
}

func TestNoContentLengthCutResumes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.SetContentLength(false)
		e.srv.CutNextAfter(150000)
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		out := drainTrack(t, ts, 60*time.Second)
		checkContinuous(t, f, out)
		if len(out) != f.SourceSamples {
			t.Errorf("%d samples, want %d", len(out), f.SourceSamples)
		}
		if s := e.starts(); len(s) != 2 || s[1] == "" {
			t.Errorf("requests %q", s)
		}
	})
}

func TestNoLinkSource(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ts := OpenTrack(1, 0, StreamOptions{})
		defer ts.Close()
		<-ts.Ready()
		if n, ok := ts.Stream(make([][2]float64, 10)); n != 0 || ok {
			t.Errorf("Stream = %d, %v", n, ok)
		}
		if ts.Err() == nil || ts.Status() != TrackFailed {
			t.Errorf("err %v status %v", ts.Err(), ts.Status())
		}
	})
}

func TestCloseIsPrompt(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.SetRate(8000)
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		<-ts.Ready()
		ts.Close()
		ts.Close()
		done := make(chan struct{})
		go func() { ts.wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("goroutines still running after Close")
		}
		if _, ok := ts.Stream(make([][2]float64, 8)); ok {
			t.Error("Stream ok after Close")
		}
		ts.Seek(time.Second) // no panic, no effect
	})
}

func TestLinkErrorThatWillNotPass(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		ts := OpenTrack(e.id("a128")+1000, 0, e.opts()) // no such file
		defer ts.Close()
		out := drainTrack(t, ts, 30*time.Second)
		if len(out) != 0 || ts.Err() == nil || ts.Status() != TrackFailed {
			t.Fatalf("%d samples, err %v, status %v", len(out), ts.Err(), ts.Status())
		}
		if n := len(e.srv.Calls("getaudiolink")); n != 1 {
			t.Errorf("%d getaudiolink calls for a file that does not exist, want 1", n)
		}
		t.Log(ts.Err())
	})
}

func TestNotMP3(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		page := []byte("<html><body>" + strings.Repeat("not audio ", 3000) + "</body></html>")
		ts := OpenTrack(1, 0, memOptions(page))
		defer ts.Close()
		out := drainTrack(t, ts, 30*time.Second)
		if len(out) != 0 || ts.Status() != TrackFailed || !errors.Is(ts.Err(), errNoAudio) {
			t.Fatalf("%d samples, status %v, err %v", len(out), ts.Status(), ts.Err())
		}
	})
}

// checkSameAs checks that out is a stretch of ref, sample for sample: it
// finds where out's start lies in ref, near sample near (a start= stream
// begins within a frame or so of its second) and then compares everything after the first few
// frames, which a fresh decoder gets wrong (bit reservoir, overlap).
func checkSameAs(t *testing.T, out, ref [][2]float64, near int) {
	t.Helper()
	const settle = 4 * 1152
	if len(out) < settle+2048 {
		return
	}
	probe := out[settle : settle+1024]
	best, bestErr := -1, math.Inf(1)
	for start := max(near+settle-4000, 0); start+len(probe) <= len(ref) && start < near+settle+4000; start++ {
		var d float64
		for i := 0; i < len(probe) && d < bestErr; i += 8 {
			d += math.Abs(probe[i][0] - ref[start+i][0])
		}
		if d < bestErr {
			best, bestErr = start, d
		}
	}
	lag := best - settle
	bad := 0
	for i := settle; i < len(out) && lag+i < len(ref); i++ {
		if math.Abs(out[i][0]-ref[lag+i][0]) > 1e-9 || math.Abs(out[i][1]-ref[lag+i][1]) > 1e-9 {
			if bad == 0 {
				t.Errorf("sample %d (%.4f s) differs from the uninterrupted decode: %v vs %v", i, float64(i)/44100, out[i], ref[lag+i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d samples differ", bad)
	}
}
