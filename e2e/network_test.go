//go:build unix

package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
)

// The player's network policy through the binary (issue 11): pCloud gone
// holds the track and comes back to it, an account error stops once, and
// expiring links don't end a track.

// wavSeconds reads what the WAV output wrote so far (as mono) and lists
// the seconds of fixture it heard, in order, and the silent gaps longer
// than minGap between the first sound and the last.
func wavSeconds(t *testing.T, path, fixture string, minGap float64) (secs []int, gaps []float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 44 {
		t.Fatalf("the WAV output: %v (%d bytes)", err, len(b))
	}
	m := audiotest.MonoFromInt16Stereo(b[44 : 44+(len(b)-44)/4*4])
	first, last := -1, -1
	for i, v := range m {
		if v > 1e-3 || v < -1e-3 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil, nil
	}
	m = m[first : last+1]
	for _, pt := range audiotest.Timeline(m, 44100, 0.1, 0.05) {
		if pt.Silent || pt.Fixture != fixture {
			continue
		}
		if f := fixtures.Get(fixture).FreqAt(pt.Second); pt.Freq < f-2 || pt.Freq > f+2 {
			continue // a window across a change of tone
		}
		if len(secs) == 0 || secs[len(secs)-1] != pt.Second {
			secs = append(secs, pt.Second)
		}
	}
	return secs, audiotest.Gaps(m, 44100, minGap)
}

// TestTmuxOutageHoldsAndResumes: pCloud goes away while a128 plays (its
// hosts send 1.5 times the bitrate, so that little is buffered): the status
// line says pCloud is unreachable and when it retries, the track holds at
// its second (the queue stays on it), and when pCloud is back it plays on
// from there by itself: the WAV output has every second in order, with one
// silence.
func TestTmuxOutageHoldsAndResumes(t *testing.T) {
	t.Parallel()
	w := newTmuxWorld(t)
	wav := w.path("out.wav")
	w.flags[1] = wav // --output
	w.srv.SetRate(24_000)
	w.saveSession()
	w.start("ui")
	w.waitScreen("ui", "a128")
	w.tmux("send-keys", "-t", "ui", "Space")
	poll.Until(t, "a128 past 5 s", func() bool {
		st := w.status()
		return st.State == "playing" && st.PositionSeconds >= 5
	})

	w.srv.Down()
	w.waitScreen("ui", "pCloud unreachable — retrying in")
	if scr := w.screen("ui"); strings.Contains(scr, "dial tcp") || strings.Contains(scr, "connect:") {
		t.Errorf("a Go error on the screen:\n%s", scr)
	}
	poll.Until(t, "the track to hold", func() bool { return w.status().State == "waiting" })
	// The buffered audio plays out, then the position holds while the
	// countdown runs: the same second over two different countdowns.
	var held float64
	seen := map[string]bool{}
	poll.Until(t, "the position to hold over two countdowns", func() bool {
		st := w.status()
		if st.Index != 0 || st.State != "waiting" {
			t.Fatalf("during the outage: %+v", st)
		}
		line := ""
		for _, l := range strings.Split(w.screen("ui"), "\n") {
			if strings.Contains(l, "retrying") {
				line = l
			}
		}
		if st.PositionSeconds != held {
			held, seen = st.PositionSeconds, map[string]bool{}
		}
		seen[line] = true
		return len(seen) >= 3
	})

	t.Logf("held at %.2f s", held)
	w.srv.Up()
	poll.Until(t, "a128 to play on from where it held", func() bool {
		st := w.status()
		if st.Index != 0 {
			t.Fatalf("after the outage: %+v", st)
		}
		return st.State == "playing" && st.PositionSeconds >= held+3
	})

	secs, gaps := wavSeconds(t, wav, "a128", 0.2)
	for i := 1; i < len(secs); i++ {
		if secs[i] != secs[i-1]+1 {
			t.Errorf("seconds heard %v: a jump at %d", secs, secs[i-1])
			break
		}
	}
	if len(secs) == 0 || secs[0] != 2 || float64(secs[len(secs)-1]) < held+1 || len(gaps) != 1 {
		t.Errorf("seconds heard %v, silences at %v s: want 2.. past %.0f, and one silence", secs, gaps, held)
	}
	t.Logf("seconds heard %v, silence at %v s", secs, gaps)
}

// TestAccountErrorStopsOnce: every getaudiolink answers 2000: the engine
// stops once with the sentence that leads to the login, after one call,
// instead of trying every track of the queue.
func TestAccountErrorStopsOnce(t *testing.T) {
	w := newEngineWorld(t)
	w.srv.FailMethod("getaudiolink", 2000)
	w.saveSession()
	w.startEngine()
	w.ctl("play")
	var st = w.status()
	poll.Until(t, "the error", func() bool {
		st = w.status()
		return st.State == "error" && st.Error != ""
	})

	if st.Index != 0 || strings.Contains(st.Error, "2000") || !strings.Contains(strings.ToLower(st.Error), "log in") {
		t.Errorf("status %+v", st)
	}
	// Give a cascade the time to show, if there were one: the engine is
	// idle and the queue stays on the first track.
	time.Sleep(time.Second)
	calls := w.calls("getaudiolink")
	var hosts []string
	for _, c := range calls {
		hosts = append(hosts, c.Host)
		if c.Params.Get("fileid") != fmt.Sprint(w.ids["a128"]) {
			t.Errorf("getaudiolink for file %s: the queue went on", c.Params.Get("fileid"))
		}
	}
	// One call, which the api client asks of the other region too
	// before it says the token is refused in both.
	if len(calls) > 2 || w.status().Index != 0 {
		t.Errorf("getaudiolink calls to %v (want one, each region once at most), index %d", hosts, w.status().Index)
	}
	t.Logf("getaudiolink calls to %v; %q", hosts, st.Error)
}

// TestExpiringLinksDontEndTheTrack: ten links in a row answer 410 on first
// use: the track plays anyway.
func TestExpiringLinksDontEndTheTrack(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t)
	w.srv.ExpireNextLinks(10, 410)
	w.saveSession()
	w.startEngine()
	w.ctl("play")
	poll.Until(t, "a128 playing past 5 s", func() bool {
		st := w.status()
		if st.Index != 0 || st.State == "error" {
			t.Fatalf("status %+v", st)
		}
		return st.State == "playing" && st.PositionSeconds >= 5
	})

	// The ten expiring links go to whoever uses a link first: a128's
	// stream, or the engine measuring the other tracks' durations in the
	// background; a128 needed fresh links, and plays.
	n, all := 0, 0
	for _, c := range w.calls("getaudiolink") {
		all++
		if c.Params.Get("fileid") == fmt.Sprint(w.ids["a128"]) {
			n++
		}
	}
	if n < 2 {
		t.Errorf("%d getaudiolink calls for a128 (%d in all); want it asking again after expired links", n, all)
	}
	t.Logf("getaudiolink: %d calls for a128, %d in all", n, all)
}
