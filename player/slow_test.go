package player

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
)

// slowRig plays a128 (and, for AutoBitrate, a64 as its 64 kbit/s
// variant: the same source) at real time from stream hosts that send
// 12 kB/s, three quarters of the 16 kB/s of 128 kbit/s.
func slowRig(t *testing.T, o func(*StreamOptions), auto bool) (*Player, *capture, *pcloudtest.Server, uint64) {
	t.Helper()
	p, out, srv, id := slowRigAt(t, o, auto)
	srv.SetRate(12_000)
	return p, out, srv, id
}

// slowRigAt is slowRig with the stream hosts at full speed: the test sets
// the rate.
func slowRigAt(t *testing.T, o func(*StreamOptions), auto bool) (*Player, *capture, *pcloudtest.Server, uint64) {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: testEmail, Password: "secret"}},
		Root: pcloudtest.Dir("", pcloudtest.Dir("Music", pcloudtest.AudioFile("a128.mp3",
			map[int][]byte{128: fixtures.Get("a128").Data(), 64: fixtures.Get("a64").Data()}, pcloudtest.Tags{}))),
	})
	t.Cleanup(srv.Close)
	e := newTrackEnvFor(t, srv)
	out := newCapture(44100, 1)
	so := e.opts()
	so.SlowAfter = 4 * time.Second
	o(&so)
	p, err := New(Config{Links: e.links, Output: out, Volume: 100, Bitrate: 128, Stream: so, AutoBitrate: auto})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, out, srv, e.id("a128")
}

// dropouts counts the silent gaps (over 4 ms) in what was heard from the
// first sound to the last.
func dropouts(out *capture) []float64 {
	h := heard(out)
	for len(h) > 0 && h[len(h)-1] == 0 {
		h = h[:len(h)-1]
	}
	return audiotest.Gaps(h, 44100, 0.004)
}

// TestSlowLinkRebuffers: on a link slower than the bitrate the track
// pauses a few times to buffer seconds of audio, rather than stuttering
// many times a second; the status suggests a lower bitrate once.
// "before" plays without the hysteresis (RebufferAhead ~0: resume with the
// first tenth of a second, as pcplay did), for the figures.
func TestSlowLinkRebuffers(t *testing.T) {
	var mu sync.Mutex // the subtests run in parallel
	counts := map[string]int{}
	for _, c := range []struct {
		name  string
		ahead time.Duration
	}{{"before", time.Nanosecond}, {"after", 0}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				p, out, _, id := slowRig(t, func(o *StreamOptions) { o.RebufferAhead = c.ahead }, false)
				ev := p.Subscribe(t.Context())
				p.PlayNow([]Track{{FileID: id, Name: "a128.mp3"}})
				var suggested []string
				started := false
				waitStatus(t, ev, "the end of the track", func(st Status) bool {
					if strings.Contains(st.Err, "press b") && (len(suggested) == 0 || suggested[len(suggested)-1] != st.Err) {
						suggested = append(suggested, st.Err)
					}
					started = started || st.State == Playing
					return started && st.State == Stopped
				})
				out.waitPulled(t)
				g := dropouts(out)
				mu.Lock()
				counts[c.name] = len(g)
				mu.Unlock()
				t.Logf("%s: %d dropouts over 20 s of audio, at %.2v s; suggestion %q", c.name, len(g), g, suggested)
				if s := seconds(sounding(heard(out)), "a128"); len(s) != 20 {
					t.Errorf("seconds heard %v", s)
				}
				if len(suggested) != 1 {
					t.Errorf("suggestions %q, want one", suggested)
				}
				if c.name == "after" && len(g) > 3 {
					t.Errorf("%d dropouts, want 3 at most", len(g))
				}
			})
		})
	}
	t.Cleanup(func() {
		if counts["before"] <= counts["after"] {
			t.Errorf("dropouts before %d, after %d", counts["before"], counts["after"])
		}
	})
}

// TestAutoBitrateStepsDown: with AutoBitrate the player steps down to the
// next lower bitrate on a slow link, says so, and plays on from the same
// second without more dropouts.
func TestAutoBitrateStepsDown(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p, out, srv, id := slowRig(t, func(*StreamOptions) {}, true)
		ev := p.Subscribe(t.Context())
		p.PlayNow([]Track{{FileID: id, Name: "a128.mp3"}})
		st := waitStatus(t, ev, "the step down", func(st Status) bool { return st.Bitrate == 64 })
		if !strings.Contains(st.Err, "64 kbit/s") {
			t.Errorf("message %q", st.Err)
		}
		waitStatus(t, ev, "the end of the track", func(st Status) bool { return st.State == Stopped && st.Position == 0 && st.Bitrate == 64 })
		out.waitPulled(t)
		// (Not sounding: the 64 kbit/s encode has exact zeros of its own.)
		s := seconds(heard(out), "")
		for i := 1; i < len(s); i++ {
			if s[i] < s[i-1] || s[i] > s[i-1]+1 {
				t.Errorf("seconds heard %v: not in order", s)
				break
			}
		}
		if len(s) == 0 || s[len(s)-1] != 19 {
			t.Errorf("seconds heard %v", s)
		}
		var reqs []string
		for _, r := range srv.Calls("/") {
			reqs = append(reqs, r.Params.Get("served")+"@"+r.Params.Get("start"))
		}
		t.Logf("stepped down at %v; dropouts %d; stream requests (bitrate@start) %v", st.Position, len(dropouts(out)), reqs)
	})
}

// TestAutoBitrateKeepsTheBuffer: the step down keeps what is buffered. The
// first body brings 6 s of audio at once and then stalls; the stream goes
// on at 12 kB/s, slower than 128 kbit/s; the step down to 64 kbit/s then
// continues the stream from where the received audio ends (not from the
// second playing, which would throw away seconds of audio and wait for
// seconds more), so the track plays through without a break.
func TestAutoBitrateKeepsTheBuffer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p, out, srv, id := slowRigAt(t, func(*StreamOptions) {}, true)
		srv.StallNextAfter(96_000) // 6 s of 128 kbit/s, then nothing until the client gives up (2 s)
		ev := p.Subscribe(t.Context())
		p.PlayNow([]Track{{FileID: id, Name: "a128.mp3"}})
		waitStatus(t, ev, "playing", func(st Status) bool { return st.State == Playing })
		srv.SetRate(12_000) // for the resumed stream, after the stall
		st := waitStatus(t, ev, "the step down", func(st Status) bool { return st.Bitrate == 64 })
		waitStatus(t, ev, "the end of the track", func(st Status) bool { return st.State == Stopped && st.Position == 0 })
		out.waitPulled(t)

		var reqs []string
		start64 := -1
		for _, r := range srv.Calls("/") {
			reqs = append(reqs, r.Params.Get("served")+"@"+r.Params.Get("start"))
			if r.Params.Get("served") == "64" && start64 < 0 {
				start64, _ = strconv.Atoi(r.Params.Get("start"))
			}
		}
		g := dropouts(out)
		t.Logf("stepped down at %v; stream requests (bitrate@start) %v; dropouts at %.2v s", st.Position, reqs, g)
		if start64 <= int(st.Position/time.Second) {
			t.Errorf("the 64 kbit/s stream starts at %d s, not after the %v playing when it stepped down: the buffer was dropped", start64, st.Position)
		}
		if len(g) > 0 {
			t.Errorf("%d breaks in the sound, at %.2v s: want none", len(g), g)
		}
		s := seconds(heard(out), "")
		for i := 1; i < len(s); i++ {
			if s[i] != s[i-1]+1 {
				t.Errorf("seconds heard %v: not each once, in order", s)
				break
			}
		}
		if len(s) == 0 || s[0] != 0 || s[len(s)-1] != 19 {
			t.Errorf("seconds heard %v", s)
		}
	})
}
