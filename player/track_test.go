package player

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
)

const testEmail = "listener@example.com"

// trackEnv is a fake pCloud with fixtures under /Music and a link source on
// the real api client. The fake is in memory (pcloudtest.MemNet): made
// inside a testing/synctest bubble, its streams and waits run on the
// bubble's fake clock. realNet keeps it on loopback sockets instead (for
// the tests of the real network path; not in a bubble).
type trackEnv struct {
	srv   *pcloudtest.Server
	net   *pcloudtest.MemNet // nil: over loopback sockets
	links LinkSource
}

func newTrackEnv(t testing.TB, names ...string) *trackEnv {
	t.Helper()
	return newTrackEnvFor(t, newServer(t, names...))
}

// newServer is a fake pCloud with the fixtures names under /Music.
func newServer(t testing.TB, names ...string) *pcloudtest.Server {
	t.Helper()
	var files []*pcloudtest.Node
	for _, n := range names {
		files = append(files, pcloudtest.AudioFile(n+".mp3", map[int][]byte{128: fixtures.Get(n).Data()}, pcloudtest.Tags{}))
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: testEmail, Password: "secret"}},
		Root:     pcloudtest.Dir("", pcloudtest.Dir("Music", files...)),
	})
	t.Cleanup(srv.Close)
	return srv
}

// newTrackEnvFor takes srv off the network (pcloudtest.MemNet) and makes
// the link source on it.
func newTrackEnvFor(t testing.TB, srv *pcloudtest.Server) *trackEnv {
	t.Helper()
	return newTrackEnvOn(t, srv, srv.InMemory())
}

// newTrackEnvReal is newTrackEnv over loopback sockets.
func newTrackEnvReal(t testing.TB, names ...string) *trackEnv {
	t.Helper()
	return newTrackEnvOn(t, newServer(t, names...), nil)
}

func newTrackEnvOn(t testing.TB, srv *pcloudtest.Server, mem *pcloudtest.MemNet) *trackEnv {
	t.Helper()
	o := api.Options{
		BaseURL: srv.URL(), Token: srv.Token(testEmail), TokenKind: api.TokenBearer,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond },
	}
	if mem != nil {
		o.HTTPClient = mem.Client()
	}
	c, err := api.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &trackEnv{srv: srv, net: mem, links: LinksFromAPI(c)}
}

// client is the HTTP client of the streams: the MemNet's, or nil (the
// default stream client) over sockets.
func (e *trackEnv) client() *http.Client {
	if e.net == nil {
		return nil
	}
	return e.net.Client()
}

func (e *trackEnv) id(name string) uint64 { return e.srv.FileID("/Music/" + name + ".mp3") }

func (e *trackEnv) opts() StreamOptions {
	return StreamOptions{
		Links:        e.links,
		HTTPClient:   e.client(),
		Bitrate:      128,
		StallTimeout: 2 * time.Second,
		Backoff:      func(int) time.Duration { return 20 * time.Millisecond },
	}
}

// starts lists the start= parameters of the stream requests ("" for none).
func (e *trackEnv) starts() []string {
	var out []string
	for _, r := range e.srv.Calls("/") {
		out = append(out, r.Params.Get("start"))
	}
	return out
}

// drainTrack pulls every sample out of ts as fast as it gives them.
func drainTrack(t testing.TB, ts *TrackStream, limit time.Duration) [][2]float64 {
	t.Helper()
	var out [][2]float64
	buf := make([][2]float64, 4096)
	deadline := time.Now().Add(limit)
	for {
		n, ok := ts.Stream(buf)
		out = append(out, buf[:n]...)
		if !ok {
			return out
		}
		if n == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("track did not end within %v (status %v, %d samples)", limit, ts.Status(), len(out))
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// pull takes n samples from ts (waiting while it buffers).
func pull(t testing.TB, ts *TrackStream, n int) [][2]float64 {
	t.Helper()
	out := make([][2]float64, 0, n)
	buf := make([][2]float64, 1024)
	deadline := time.Now().Add(30 * time.Second)
	for len(out) < n {
		k, ok := ts.Stream(buf[:min(len(buf), n-len(out))])
		out = append(out, buf[:k]...)
		if !ok {
			t.Fatalf("track ended after %d of %d samples: %v", len(out), n, ts.Err())
		}
		if k == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("no samples within 30s (status %v)", ts.Status())
			}
			time.Sleep(time.Millisecond)
		}
	}
	return out
}

func tsMono(s [][2]float64) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = (v[0] + v[1]) / 2
	}
	return out
}

// freqOf measures the tone over [from, from+0.5 s) of s.
func freqOf(s [][2]float64, rate int, from float64) float64 {
	a := int(from * float64(rate))
	b := min(a+rate/2, len(s))
	if a >= b {
		return 0
	}
	return audiotest.DominantFreq(tsMono(s[a:b]), rate)
}

// checkSeconds checks that second k of out (from startSec on) plays the
// fixture's tone for second k.
func checkSeconds(t *testing.T, f fixtures.Fixture, out [][2]float64, startSec int) {
	t.Helper()
	rate := f.SampleRate
	for k := 0; float64(k+1)*float64(rate) <= float64(len(out)); k++ {
		got := freqOf(out, rate, float64(k)+0.25)
		want := f.FreqAt(startSec + k)
		if math.Abs(got-want) > fixtures.Tolerance {
			t.Errorf("second %d: %.1f Hz, want %.1f (second %d of %s)", startSec+k, got, want, startSec+k, f.Name)
		}
	}
}

func TestTrackPlaysFromStart(t *testing.T) {
	for _, name := range []string{"a128", "r48k", "mono", "vbr", "tagged"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				e := newTrackEnv(t, name)
				f := fixtures.Get(name)
				var changes atomic.Int32
				o := e.opts()
				o.OnChange = func() { changes.Add(1) }
				ts := OpenTrack(e.id(name), 0, o)
				defer ts.Close()
				select {
				case <-ts.Ready():
				case <-time.After(30 * time.Second):
					t.Fatal("not ready")
				}
				if ts.SampleRate() != f.SampleRate {
					t.Fatalf("rate %d, want %d", ts.SampleRate(), f.SampleRate)
				}
				out := drainTrack(t, ts, 60*time.Second)
				if ts.Err() != nil {
					t.Fatal(ts.Err())
				}
				want := f.SourceSamples
				if want == 0 {
					want = f.Seconds * f.SampleRate
				}
				if len(out) != want {
					t.Errorf("%d samples, want %d", len(out), want)
				}
				checkSeconds(t, f, out, 0)
				if d, w := ts.Duration(), time.Duration(want)*time.Second/time.Duration(f.SampleRate); d != w {
					t.Errorf("duration %v, want %v", d, w)
				}
				if ts.Status() != TrackEnded {
					t.Errorf("status %v", ts.Status())
				}
				if !ts.Downloaded() {
					t.Error("not downloaded")
				}
				if p := ts.Position(); p < time.Duration(f.Seconds)*time.Second-50*time.Millisecond {
					t.Errorf("position at the end %v", p)
				}
				if changes.Load() == 0 {
					t.Error("OnChange never called")
				}
				if got := e.starts(); len(got) != 1 || got[0] != "" {
					t.Errorf("stream requests %q, want one without start", got)
				}
			})
		})
	}
}

var _ = strconv.Itoa
var _ = context.Background

func TestGaplessPair(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newTrackEnv(t, "gapless1", "gapless2")
		var all [][2]float64
		for _, name := range []string{"gapless1", "gapless2"} {
			f := fixtures.Get(name)
			ts := OpenTrack(e.id(name), 0, e.opts())
			out := drainTrack(t, ts, 60*time.Second)
			ts.Close()
			if len(out) != f.SourceSamples {
				t.Errorf("%s: %d samples, want %d", name, len(out), f.SourceSamples)
			}
			all = append(all, out...)
		}
		f1 := fixtures.Get("gapless1")
		src := append(f1.Source(), fixtures.Get("gapless2").Source()...)
		if len(all) != len(src) {
			t.Fatalf("%d samples, want %d", len(all), len(src))
		}
		// Sample by sample against the source around the join (and overall):
		// mp3 at 128 kbit/s stays well within 0.05 of a -12 dBFS sine.
		worst, at := 0.0, 0
		for i, v := range all {
			if d := math.Abs(v[0] - src[i]); d > worst {
				worst, at = d, i
			}
		}
		if worst > 0.05 {
			t.Errorf("largest difference from the source %.3f at sample %d (join at %d)", worst, at, f1.SourceSamples)
		}
		j := f1.SourceSamples
		for i := j - 2; i <= j+2; i++ {
			if d := math.Abs(all[i][0] - src[i]); d > 0.03 {
				t.Errorf("sample %d (join %+d): %.4f, source %.4f", i, i-j, all[i][0], src[i])
			}
		}
	})
}

// TestBoundedBuffers streams a minute through a small ring (many times
// round) and checks every second, and that nothing grows with the length of
// the stream.
func TestBoundedBuffers(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		data := loopFrames(t, "a128", 3)
		o := memOptions(data)
		o.ReadAhead = 64 << 10
		o.KeepBehind = 16 << 10
		ts := OpenTrack(1, 0, o)
		defer ts.Close()
		rate := 44100
		buf := make([][2]float64, 4096)
		var sec []([2]float64)
		maxIdx, maxIx := 0, 0
		next := 1
		for total := 0; ; {
			n, ok := ts.Stream(buf)
			if !ok {
				break
			}
			if n == 0 {
				time.Sleep(50 * time.Microsecond)
				continue
			}
			sec = append(sec, buf[:n]...)
			total += n
			if total >= next*rate {
				// check the second that just ended, then forget it
				k := next - 1
				got := freqOf(sec, rate, float64(k)+0.25-float64(next-1))
				if want := loopFreq(k); math.Abs(got-want) > fixtures.Tolerance {
					t.Errorf("second %d: %.1f Hz, want %.1f", k, got, want)
				}
				sec = append(sec[:0], sec[rate:]...)
				next++
				ts.mu.Lock()
				maxIdx = max(maxIdx, len(ts.idx.all()))
				maxIx = max(maxIx, cap(ts.ix.buf))
				if len(ts.ring.buf) != 80<<10 || ts.ring.size() > 80<<10 {
					t.Errorf("ring %d bytes holding %d", len(ts.ring.buf), ts.ring.size())
				}
				ts.mu.Unlock()
			}
		}
		if next < 59 {
			t.Fatalf("only %d s played: %v", next-1, ts.Err())
		}
		// 80 KiB of 417-byte frames is under 200 frames.
		if maxIdx > 200 {
			t.Errorf("frame index held %d frames", maxIdx)
		}
		if maxIx > 64<<10 {
			t.Errorf("indexer buffer grew to %d", maxIx)
		}
	})
}

// wait blocks until the goroutines of t have ended.
func (t *TrackStream) wait() { t.wg.Wait() }
