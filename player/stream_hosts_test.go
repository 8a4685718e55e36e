package player

import (
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api"
)

// silentNet is the fake's MemNet with one more stream host, host, that
// takes every request and never answers (until the request is cancelled).
// It counts the requests it takes.
type silentNet struct {
	rt    http.RoundTripper
	host  string
	asked atomic.Int64
}

func (s *silentNet) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == s.host {
		s.asked.Add(1)
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return s.rt.RoundTrip(r)
}

// countNet is the fake's MemNet counting the requests made on it, those
// refused included (the fake's own log has only those it served).
type countNet struct {
	rt http.RoundTripper
	mu sync.Mutex
	at []time.Time
}

func (c *countNet) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.at = append(c.at, time.Now())
	c.mu.Unlock()
	return c.rt.RoundTrip(r)
}

// between is the requests made in [from, to).
func (c *countNet) between(from, to time.Time) []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.DeleteFunc(slices.Clone(c.at), func(t time.Time) bool { return t.Before(from) || !t.Before(to) })
}

// onNet puts the rig's player (API calls and streams) on rt.
func (r *httpRig) onNet(t *testing.T, rt http.RoundTripper) {
	t.Helper()
	c, err := api.New(api.Options{
		BaseURL: r.env.srv.URL(), Token: r.env.srv.Token(testEmail), TokenKind: api.TokenBearer,
		HTTPClient: &http.Client{Transport: rt},
		Backoff:    func(int) time.Duration { return 10 * time.Millisecond },
	})
	if err != nil {
		t.Fatal(err)
	}
	r.p.cfg.Links = LinksFromAPI(c)
	o := r.p.cfg.Stream
	o.HTTPClient = &http.Client{Transport: rt}
	r.p.cfg.Stream = o
}

// TestSilentHostIsRemembered: the first stream host of every link accepts
// and never answers. The first track waits HostTimeout for it, then plays
// from the next host; the second track of the session does not wait for
// it again (it is tried last, and the next host works); once BadHostFor
// has passed it is tried first again.
func TestSilentHostIsRemembered(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newNetRig(t, "a128", "b128")
		sn := &silentNet{rt: r.env.net, host: "127.0.0.1:1"}
		r.onNet(t, sn)
		r.p.cfg.Links = silentFirst{r.p.cfg.Links, sn.host}
		ev := r.p.Subscribe(t.Context())

		start := time.Now()
		r.p.Replace(r.tracks("a128", "b128"), 0)
		waitStatus(t, ev, "a128 playing", func(st Status) bool { return st.Index == 0 && st.State == Playing })
		d1 := time.Since(start)
		if d := d1; d < defaultHostTimeout || sn.asked.Load() != 1 {
			t.Fatalf("the first stream played after %v, the silent host asked %d times; want it waited for once (%v)", d, sn.asked.Load(), defaultHostTimeout)
		}

		start = time.Now()
		r.p.PlayIndex(1)
		waitStatus(t, ev, "b128 playing", func(st Status) bool { return st.Index == 1 && st.State == Playing })
		d2 := time.Since(start)
		if d := d2; d >= defaultHostTimeout || sn.asked.Load() != 1 {
			t.Errorf("the second stream played after %v, the silent host asked %d times: it waited for the silent host again", d, sn.asked.Load())
		}
		t.Logf("playing after %v (the silent host waited for), then %v (remembered)", d1, d2)

		r.p.Stop()
		waitStatus(t, ev, "stopped", func(st Status) bool { return st.State == Stopped })
		time.Sleep(defaultBadHostFor)
		r.p.PlayIndex(0)
		waitStatus(t, ev, "a128 playing again", func(st Status) bool { return st.Index == 0 && st.State == Playing })
		if n := sn.asked.Load(); n != 2 {
			t.Errorf("after %v the silent host was asked %d times in all, want 2 (tried again once forgotten)", defaultBadHostFor, n)
		}
	})
}

// TestHostMemoryBounded: the memory of bad hosts keeps at most
// maxBadHosts, forgets a host once its time is up or it answers, and
// orders a link's hosts good first, each part in the link's order.
func TestHostMemoryBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newHostMemory()
		for i := range 3 * maxBadHosts {
			m.markBad("h"+string(rune('A'+i%26))+string(rune('a'+i/26)), time.Now().Add(time.Duration(i+1)*time.Second))
		}
		if n := m.size(); n != maxBadHosts {
			t.Errorf("%d hosts remembered, want %d", n, maxBadHosts)
		}
		m = newHostMemory()
		m.markBad("a:1", time.Now().Add(time.Minute))
		m.markBad("c:1", time.Now().Add(time.Hour))
		urls := []string{"http://a:1/x", "http://b:1/x", "http://c:1/x", "http://d:1/x"}
		if got, want := m.order(urls), []string{"http://b:1/x", "http://d:1/x", "http://a:1/x", "http://c:1/x"}; !slices.Equal(got, want) {
			t.Errorf("order %v, want %v", got, want)
		}
		m.forget("c:1")
		time.Sleep(time.Minute)
		if got := m.order(urls); !slices.Equal(got, urls) || m.size() != 0 {
			t.Errorf("after a minute and an answer: order %v, %d remembered", got, m.size())
		}
	})
}

// TestOutageMusicBackSoon: pCloud (API and stream hosts) is away for five
// minutes in the middle of a track, with the default outage waits. The
// track holds at its second; the tries while it waits are cheap and few
// (at most one request to pCloud per 3 s); and the music is back within
// 5 s of pCloud's return, from the second where it stopped.
func TestOutageMusicBackSoon(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newNetRig(t, "a128", "b128")
		// What is heard is checked on the tracks (r.seconds); the output
		// would keep ten minutes of the outage's silence.
		r.out.discard = true
		cn := &countNet{rt: r.env.net}
		r.onNet(t, cn)
		o := r.p.cfg.Stream
		o.RetryBase, o.RetryCap, o.RateLimitWait = 0, 0, 0 // the defaults
		r.p.cfg.Stream = o
		r.env.srv.SetRate(96000) // 6× what plays: the recovery is not held up by the fake's pace
		ev := r.p.Subscribe(t.Context())
		r.p.Replace(r.tracks("a128", "b128"), 0)
		waitStatus(t, ev, "a128 at 3 s", func(st Status) bool { return st.Index == 0 && st.Position >= 3*time.Second })

		const outage = 5 * time.Minute
		down := time.Now()
		r.env.net.Down()
		w := waitStatus(t, ev, "the wait for pCloud", func(st Status) bool { return st.State == Waiting })
		if w.Reason == "" || rawGo(w.Reason) {
			t.Errorf("waiting with the reason %q", w.Reason)
		}
		time.Sleep(outage - time.Since(down))
		held := r.p.Status()
		if held.State != Waiting || held.Index != 0 {
			t.Fatalf("after %v of outage: %+v", outage, held)
		}
		r.env.net.Up()
		up := time.Now()
		waitStatus(t, ev, "a128 playing again", func(st Status) bool { return st.Index == 0 && st.State == Playing })
		back := time.Since(up)
		tries := cn.between(down, up)
		t.Logf("outage %v: %d requests to pCloud; music back %v after pCloud", up.Sub(down), len(tries), back)
		if back > 5*time.Second {
			t.Errorf("the music came back %v after pCloud, want within 5 s", back)
		}
		// The quick tries of the incident make ten requests (both hosts,
		// then two links of four attempts each).
		if max := int(up.Sub(down)/(3*time.Second)) + 10; len(tries) > max {
			t.Errorf("%d requests in the %v outage, want at most %d (one per 3 s, and the quick tries)", len(tries), up.Sub(down), max)
		}

		waitStatus(t, ev, "b128 after a128", func(st Status) bool { return st.Index == 1 })
		want := make([]int, 20)
		for i := range want {
			want[i] = i
		}
		if a := r.seconds("a128"); !equalInts(a, want) {
			t.Errorf("a128 seconds heard %v, want 0..19 in order", a)
		}
	})
}
