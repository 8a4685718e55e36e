package player

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
)

// The countingTrack of the HTTP rig passes the outage policy through.

func (c *countingTrack) Outage() (time.Time, string, bool) {
	return c.trackStream.(outageCtl).Outage()
}
func (c *countingTrack) RetryNow()    { c.trackStream.(outageCtl).RetryNow() }
func (c *countingTrack) Hold(on bool) { c.trackStream.(outageCtl).Hold(on) }
func (c *countingTrack) Slow() bool   { return c.trackStream.(*TrackStream).Slow() }

// shortWaits are the outage policy's waits for tests: short, so that a
// test takes seconds.
func shortWaits(o StreamOptions) StreamOptions {
	o.RetryBase = 50 * time.Millisecond
	o.RetryCap = 400 * time.Millisecond
	o.RateLimitWait = 3 * time.Second
	return o
}

// newNetRig is the HTTP rig playing at twice real time with the short
// waits, a small read-ahead (4 s of a128) and the stream hosts sending at
// 1.5 times what it plays (so that an outage reaches the playing track
// soon: no more than that is on its way in the sockets).
func newNetRig(t *testing.T, names ...string) *httpRig {
	t.Helper()
	r := newHTTPRig(t, 2, names...)
	o := shortWaits(r.p.cfg.Stream)
	o.ReadAhead = 64 << 10
	o.KeepBehind = 16 << 10
	r.p.cfg.Stream = o
	r.env.srv.SetRate(48000)
	return r
}

// rawGo says whether a status line text shows a Go error instead of words.
func rawGo(s string) bool {
	for _, w := range []string{"dial tcp", "connect:", "127.0.0.1", "pcloud: ", "getaudiolink:"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// TestOutageHoldsAndResumes: pCloud goes away in the middle of a track: the
// track holds at its second (no skip: the queue index stays) and the status
// says it waits for pCloud, when it tries again and why in words; when
// pCloud is back the track goes on from the same second by itself, and the
// sound is the whole track in order, the outage's silence apart.
func TestOutageHoldsAndResumes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newNetRig(t, "a128", "b128")
		ev := r.p.Subscribe(t.Context())
		r.p.Replace(r.tracks("a128", "b128"), 0)
		waitStatus(t, ev, "a128 at 3 s", func(st Status) bool { return st.Index == 0 && st.Position >= 3*time.Second })
		r.env.net.Down()
		w := waitStatus(t, ev, "the wait for pCloud", func(st Status) bool { return st.State == Waiting })
		if w.Index != 0 || w.RetryAt.IsZero() || w.Reason == "" || rawGo(w.Reason) {
			t.Errorf("waiting status: index %d, retry at %v, reason %q", w.Index, w.RetryAt, w.Reason)
		}
		t.Logf("waiting: %q (retry in %v)", w.Reason, w.RetryIn)
		// The buffered audio plays out (at most 4 s of it), then the track
		// holds: over several more tries it stays where it is.
		tries := map[time.Time]bool{}
		more := func(n int) Status {
			return waitStatus(t, ev, "more tries", func(st Status) bool {
				if st.State == Waiting {
					tries[st.RetryAt] = true
				}
				return len(tries) > n
			})
		}
		// Tries 4 on wait 400 ms each (at most): eight of them outlast the 2 s
		// that 4 s of audio play at twice real time.
		held := more(quickRetries + 8).Position
		more(len(tries) + 3)
		st := r.p.Status()
		if st.Index != 0 || st.Position != held {
			t.Fatalf("during the outage: index %d at %v (held at %v): the track moved", st.Index, st.Position, held)
		}
		r.env.net.Up()
		waitStatus(t, ev, "b128 after a128", func(st Status) bool { return st.Index == 1 })
		a := r.seconds("a128")
		want := make([]int, 20)
		for i := range want {
			want[i] = i
		}
		if !equalInts(a, want) {
			t.Errorf("a128 seconds heard %v, want 0..19 in order", a)
		}
		if gaps := audiotest.Gaps(r.track(0).played(), 44100, 0.05); len(gaps) > 1 {
			t.Errorf("silent gaps %v in a128, want the outage's only", gaps)
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPauseAndPlayDuringOutage: space works while waiting: a pause stops
// the tries, play tries at once, next moves on.
func TestPauseAndPlayDuringOutage(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newNetRig(t, "a128", "b128")
		o := r.p.cfg.Stream
		o.RetryBase, o.RetryCap = 30*time.Second, 60*time.Second // a long wait: play must cut it short
		r.p.cfg.Stream = o
		ev := r.p.Subscribe(t.Context())
		r.env.net.Down()
		r.p.Replace(r.tracks("a128", "b128"), 0)
		waitStatus(t, ev, "the wait for pCloud", func(st Status) bool { return st.State == Waiting && st.RetryIn > 10*time.Second })
		r.p.Pause()
		waitStatus(t, ev, "paused", func(st Status) bool { return st.State == Paused })
		n := len(r.env.srv.Calls("getaudiolink"))
		r.env.net.Up()
		r.p.Play() // tries at once, not in 30 s
		waitStatus(t, ev, "playing", func(st Status) bool { return st.State == Playing && st.Index == 0 })
		if m := len(r.env.srv.Calls("getaudiolink")); m <= n {
			t.Errorf("getaudiolink calls %d → %d", n, m)
		}
		r.env.net.Down()
		waitStatus(t, ev, "the wait again", func(st Status) bool { return st.State == Waiting })
		r.p.Next()
		waitStatus(t, ev, "the next track", func(st Status) bool { return st.Index == 1 })
	})
}

// TestAccountErrorStopsOnce: pCloud refuses the login on every getaudiolink
// (2000): the player stops once, with the sentence that leads to the login
// (NeedLogin), instead of failing every track of the queue.
func TestAccountErrorStopsOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		for _, code := range []int{2000, 1000, 2094} {
			r := newNetRig(t, "a128", "b128", "vbr", "r48k", "mono")
			r.env.srv.FailMethod("getaudiolink", code)
			ev := r.p.Subscribe(t.Context())
			r.p.Replace(r.tracks("a128", "b128", "vbr", "r48k", "mono"), 0)
			st := waitStatus(t, ev, "the error", func(st Status) bool { return st.State == Errored && st.Err != "" })
			if !st.NeedLogin || st.Index != 0 || !strings.Contains(strings.ToLower(st.Err), "log in") || rawGo(st.Err) {
				t.Errorf("%d: status %+v", code, st)
			}
			// Nothing else is asked: the queue stays where it is.
			time.Sleep(300 * time.Millisecond) // lets a cascade show, if there were one
			calls := len(r.env.srv.Calls("getaudiolink"))
			if calls != 1 || r.p.Status().Index != 0 {
				t.Errorf("%d: %d getaudiolink calls, index %d; want 1 call and the first track", code, calls, r.p.Status().Index)
			}
			t.Logf("%d: %d getaudiolink call(s): %q", code, calls, st.Err)
		}
	})
}

// TestRateLimitWaitsLong: 4000 is a wait of RateLimitWait at least, not a
// failure; play tries at once.
func TestRateLimitWaitsLong(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.FailMethod("getaudiolink", 4000)
		o := shortWaits(e.opts())
		o.RateLimitWait = 30 * time.Second
		ts := OpenTrack(e.id("a128"), 0, o)
		defer ts.Close()
		var at time.Time
		var why string
		poll.Until(t, "the wait", func() bool {
			var ok bool
			at, why, ok = ts.Outage()
			return ok
		})

		if d := time.Until(at); d < 20*time.Second || ts.Status() != TrackWaiting || rawGo(why) {
			t.Errorf("4000: waits %v (status %v, %q), want about 30 s", d, ts.Status(), why)
		}
		if n := len(e.srv.Calls("getaudiolink")); n != 1 {
			t.Errorf("%d getaudiolink calls", n)
		}
		e.srv.FailMethod("getaudiolink", 0)
		ts.RetryNow()
		checkContinuous(t, fixtures.Get("a128"), pull(t, ts, 2*44100))
	})
}

// TestMalformedAnswersAreRetried: answers that can't be read are pCloud's
// trouble, not the track's.
func TestMalformedAnswersAreRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		for _, kind := range []pcloudtest.Malformed{pcloudtest.MalformedJSON, pcloudtest.MalformedHTML, pcloudtest.MalformedEmpty, pcloudtest.MalformedNoResult} {
			e := newTrackEnv(t, "a128")
			e.srv.MalformNext("getaudiolink", 6, kind)
			ts := OpenTrack(e.id("a128"), 0, shortWaits(e.opts()))
			checkContinuous(t, fixtures.Get("a128"), pull(t, ts, 2*44100))
			ts.Close()
		}
	})
}

// TestTenExpiringLinksInARow: expiry is not a failure of the track: ten
// links in a row that answer 410 (or 403) on first use, and the track plays
// whole.
func TestTenExpiringLinksInARow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		for _, status := range []int{410, 403} {
			e := newTrackEnv(t, "a128")
			e.srv.ExpireNextLinks(10, status)
			f := fixtures.Get("a128")
			ts := OpenTrack(e.id("a128"), 0, e.opts())
			out := drainTrack(t, ts, 60*time.Second)
			if ts.Err() != nil || len(out) != f.SourceSamples {
				t.Fatalf("%d: %d samples, err %v", status, len(out), ts.Err())
			}
			checkContinuous(t, f, out)
			if n := len(e.srv.Calls("getaudiolink")); n != 11 {
				t.Errorf("%d: %d getaudiolink calls, want 11", status, n)
			}
			ts.Close()
		}
	})
}

// TestTrackItselfBadIsSkipped: a file gone (2009) fails at once, and the
// player moves on (one call, no waiting).
func TestTrackItselfBadIsSkipped(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newNetRig(t, "a128", "b128")
		ev := r.p.Subscribe(t.Context())
		tr := r.tracks("a128", "b128")
		tr[0].FileID += 1000 // no such file
		r.p.Replace(tr, 0)
		st := waitStatus(t, ev, "b128", func(st Status) bool { return st.Index == 1 && st.State == Playing })
		if st.NeedLogin || !strings.Contains(st.Err, "does not exist") || rawGo(st.Err) {
			t.Errorf("error %q (need login %v)", st.Err, st.NeedLogin)
		}
	})
}
