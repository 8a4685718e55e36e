package player

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/mpeg"
)

// TestStreamsEndedWithoutLength: every body goes out without a length and
// the server closes the connection after 100 kB (6 s of a128): each early
// end is asked again at its second, and the track plays to its real end,
// continuously, with its real duration.
func TestStreamsEndedWithoutLength(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "a128")
		e.srv.EndStreamsAfter(100_000)
		f := fixtures.Get("a128")
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		out := drainTrack(t, ts, 60*time.Second)
		if ts.Err() != nil || len(out) != f.SourceSamples {
			t.Fatalf("%d samples (want %d), err %v", len(out), f.SourceSamples, ts.Err())
		}
		checkContinuous(t, f, out)
		if d, want := ts.Duration(), time.Duration(f.SourceSamples)*time.Second/44100; d != want {
			t.Errorf("duration %v, want %v", d, want)
		}
		if s := e.starts(); len(s) < 4 {
			t.Errorf("requests %q: the early ends were not asked again", s)
		}
	})
}

// withoutInfo is a fixture without its Xing/Info frame: nothing in the
// stream tells its length.
func withoutInfo(t *testing.T, name string) []byte {
	t.Helper()
	data := fixtures.Get(name).Data()
	sc := mpeg.Scan(data)
	if sc.InfoOff < 0 {
		t.Fatalf("%s has no Info frame", name)
	}
	out := append([]byte(nil), data[:sc.InfoOff]...)
	return append(out, data[sc.DataStart:]...)
}

// TestNoLengthKnownAsksForMore: no Xing tag, no Content-Length, and the
// server closes each body after 100 kB: the end of each body is asked
// again (a probe); only the answer with no more audio ends the track, whose
// length is then known.
func TestNoLengthKnownAsksForMore(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := fixtures.Get("a128")
		srv := pcloudtest.NewServer(pcloudtest.Options{
			Accounts: []pcloudtest.Account{{Email: testEmail, Password: "secret"}},
			Root: pcloudtest.Dir("", pcloudtest.Dir("Music",
				pcloudtest.AudioFile("a128.mp3", map[int][]byte{128: withoutInfo(t, "a128")}, pcloudtest.Tags{}))),
		})
		t.Cleanup(srv.Close)
		e := newTrackEnvFor(t, srv)
		srv.EndStreamsAfter(100_000)
		ts := OpenTrack(e.id("a128"), 0, e.opts())
		defer ts.Close()
		out := drainTrack(t, ts, 60*time.Second)
		if ts.Err() != nil {
			t.Fatal(ts.Err())
		}
		// Without the LAME tag the encoder delay and padding are not trimmed:
		// the source's samples and at most a frame's worth around them.
		if len(out) < f.SourceSamples {
			t.Fatalf("%d samples, want the track's %d at least", len(out), f.SourceSamples)
		}
		checkSeconds(t, f, out[576+529:], 0)
		if d := ts.Duration(); d < time.Duration(f.Seconds)*time.Second {
			t.Errorf("duration %v, want the real one (%d s)", d, f.Seconds)
		}
		s := e.starts()
		if len(s) < 5 {
			t.Errorf("requests %q: the early ends were not asked again", s)
		}
		t.Logf("requests: %q", s)
	})
}
