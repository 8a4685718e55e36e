package scrobble_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
	"github.com/pcplay/pcplay/scrobble/scrobbletest"
)

// handlerTransport serves requests with h, in memory: no network, so
// that synctest's clock runs while the sender waits.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

type rig struct {
	q    *scrobble.Queue
	lb   *scrobbletest.ListenBrainz
	lf   *scrobbletest.Lastfm
	st   chan player.Status
	logs *syncBuf
	done chan struct{}
	tok  string
	mu   sync.Mutex
	said []string
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

const (
	key    = "k0123456789"
	secret = "s0123456789"
)

// newRig runs a Scrobbler against the fakes, in the bubble; the fakes
// are made outside (their servers are not the bubble's).
func newRig(t *testing.T, lb *scrobbletest.ListenBrainz, lf *scrobbletest.Lastfm, tok, sk string) *rig {
	q, err := scrobble.OpenQueue(filepath.Join(t.TempDir(), "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{q: q, lb: lb, lf: lf, st: make(chan player.Status), logs: &syncBuf{}, done: make(chan struct{}), tok: tok}
	svcs := []scrobble.Service{
		&scrobble.ListenBrainz{Root: "http://lb.test", UserAgent: "pcplay/test", Token: func() string { return r.token() },
			HTTP: &http.Client{Transport: handlerTransport{lb.Handler()}}},
		&scrobble.Lastfm{Root: "http://lf.test/2.0/", APIKey: key, Secret: secret, Session: func() string { return sk },
			HTTP: &http.Client{Transport: handlerTransport{lf.Handler()}}},
	}
	go func() {
		defer close(r.done)
		scrobble.Run(context.Background(), r.st, scrobble.Options{Queue: q, Services: svcs,
			Logger: slog.New(slog.NewTextHandler(r.logs, nil)),
			Notify: func(svc, s string) { r.mu.Lock(); r.said = append(r.said, svc+": "+s); r.mu.Unlock() }})
	}()
	return r
}

func (r *rig) token() string { r.mu.Lock(); defer r.mu.Unlock(); return r.tok }

func (r *rig) close(t *testing.T) {
	close(r.st)
	<-r.done
	r.q.Close()
}

// listen plays a 40 s track (id) through to its end: one listen.
func (r *rig) listen(id uint64) {
	tr := player.Track{FileID: id, Artist: "A", Title: "T"}
	for s := 0; s <= 40; s++ {
		r.st <- player.Status{State: player.Playing, Track: tr, Position: time.Duration(s) * time.Second, Duration: 40 * time.Second}
		time.Sleep(time.Second)
	}
	r.st <- player.Status{State: player.Stopped, Index: -1}
	synctest.Wait()
}

func (r *rig) queued(t *testing.T, svc string) int {
	n, err := r.q.Count(context.Background(), svc)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func fakes(t *testing.T, tok string) (*scrobbletest.ListenBrainz, *scrobbletest.Lastfm, string) {
	lb := scrobbletest.NewListenBrainz(map[string]string{tok: "alice"})
	lf := scrobbletest.NewLastfm(key, secret, "bob")
	t.Cleanup(lb.Close)
	t.Cleanup(lf.Close)
	return lb, lf, lf.Session()
}

func TestOutageBacksOffThenCatchesUpInOrder(t *testing.T) {
	lb, lf, sk := fakes(t, "tok1")
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, lb, lf, "tok1", sk)
		defer r.close(t)
		lb.Fail(503, 0)
		lf.Fail(503, 0)
		r.listen(1)
		r.listen(2)
		r.listen(3)
		if n, m := r.queued(t, "listenbrainz"), r.queued(t, "lastfm"); n != 3 || m != 3 {
			t.Fatalf("queued %d and %d during the outage, want 3", n, m)
		}
		// Backing off: few tries, not one a second.
		if n := lb.Requests(); n > 12 {
			t.Errorf("%d requests to ListenBrainz in 2 minutes of outage", n)
		}
		lb.Fail(0, 0)
		lf.Fail(0, 0)
		time.Sleep(scrobble.MaxBackoff)
		synctest.Wait()
		l, s := lb.Listens(), lf.Scrobbles()
		if len(l) != 3 || len(s) != 3 {
			t.Fatalf("after the outage: %d listens, %d scrobbles; want 3", len(l), len(s))
		}
		if l[0].Type != "import" {
			t.Errorf("catching up was sent as %q, not import", l[0].Type)
		}
		for i := 1; i < 3; i++ {
			if l[i].ListenedAt < l[i-1].ListenedAt || s[i].ListenedAt < s[i-1].ListenedAt {
				t.Errorf("not in order: %+v / %+v", l, s)
			}
		}
		if r.queued(t, "listenbrainz") != 0 || r.queued(t, "lastfm") != 0 {
			t.Error("the queue is not empty")
		}
		// Nothing queued: no timer, nothing sent while idle.
		n := lb.Requests()
		time.Sleep(time.Hour)
		synctest.Wait()
		if lb.Requests() != n {
			t.Errorf("%d requests in an idle hour", lb.Requests()-n)
		}
	})
}

func TestRateLimitIsHonoured(t *testing.T) {
	lb, lf, sk := fakes(t, "tok1")
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, lb, lf, "tok1", sk)
		defer r.close(t)
		lb.Fail(429, 600)
		r.listen(1)
		n := lb.Requests()
		time.Sleep(9 * time.Minute)
		synctest.Wait()
		if lb.Requests() != n {
			t.Errorf("asked again %d times within the 10 minutes Retry-After asked", lb.Requests()-n)
		}
		lb.Fail(0, 0)
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		if len(lb.Listens()) != 1 {
			t.Errorf("%d listens after the limit", len(lb.Listens()))
		}
	})
}

func TestRefusedTokenStopsAndSaysOnce(t *testing.T) {
	lb, lf, sk := fakes(t, "good")
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, lb, lf, "bad-token-1234", sk)
		defer r.close(t)
		r.listen(1)
		r.listen(2)
		time.Sleep(time.Hour)
		synctest.Wait()
		if n := lb.Refused(); n > 2 {
			t.Errorf("sent %d times with the refused token", n)
		}
		if r.queued(t, "listenbrainz") != 2 {
			t.Errorf("the listens were not kept for a new token: %d queued", r.queued(t, "listenbrainz"))
		}
		r.mu.Lock()
		said := append([]string(nil), r.said...)
		r.tok = "good"
		r.mu.Unlock()
		if len(said) != 1 || !strings.Contains(said[0], "refused the token") {
			t.Errorf("said %q; want one sentence", said)
		}
		if strings.Contains(r.logs.String(), "bad-token-1234") {
			t.Error("the log shows the token")
		}
		if st, _ := r.q.State(context.Background(), "listenbrainz"); !strings.Contains(st.Needs, "pcplay scrobble login listenbrainz") {
			t.Errorf("the queue keeps no note for the person: %+v", st)
		}
		// A new token: the next listen sends them all.
		r.listen(3)
		time.Sleep(time.Minute)
		synctest.Wait()
		if len(lb.Listens()) != 3 {
			t.Errorf("%d listens after the new token; want 3", len(lb.Listens()))
		}
		if len(lf.Scrobbles()) != 3 {
			t.Errorf("Last.fm got %d; want 3 (it was never refused)", len(lf.Scrobbles()))
		}
		if st, _ := r.q.State(context.Background(), "listenbrainz"); st.Needs != "" || st.LastErr != "" || st.LastOK.IsZero() {
			t.Errorf("after the new token, the state is %+v", st)
		}
	})
}

func TestInvalidListenIsDropped(t *testing.T) {
	lb, lf, sk := fakes(t, "tok1")
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, lb, lf, "tok1", sk)
		defer r.close(t)
		// A listen the service rejects (400: no artist), queued as if by an
		// older pcplay, then a good one.
		ctx := context.Background()
		if err := r.q.Add(ctx, scrobble.Listen{Track: player.Track{FileID: 9, Title: "T"}, Started: time.Unix(1000, 0)}, "listenbrainz"); err != nil {
			t.Fatal(err)
		}
		r.listen(1)
		time.Sleep(time.Minute)
		synctest.Wait()
		if n := r.queued(t, "listenbrainz"); n != 0 {
			t.Errorf("%d still queued: the invalid listen is retried forever", n)
		}
		if len(lb.Listens()) != 1 {
			t.Errorf("%d listens accepted; want the good one", len(lb.Listens()))
		}
		if !strings.Contains(r.logs.String(), "dropped") {
			t.Errorf("no log line for the dropped listen:\n%s", r.logs.String())
		}
	})
}

func TestLastfmBatchesOf50(t *testing.T) {
	lb, lf, sk := fakes(t, "tok1")
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		r := newRig(t, lb, lf, "tok1", sk)
		defer r.close(t)
		lf.Fail(503, 0)
		lb.Fail(503, 0)
		for i := range 120 {
			l := scrobble.Listen{Track: player.Track{FileID: uint64(100 + i), Artist: "A", Title: "T"}, Started: time.Unix(int64(5000+i*60), 0)}
			if err := r.q.Add(ctx, l, "lastfm", "listenbrainz"); err != nil {
				t.Fatal(err)
			}
		}
		lf.Fail(0, 0)
		lb.Fail(0, 0)
		r.listen(1) // kicks the senders
		time.Sleep(time.Minute)
		synctest.Wait()
		if n := len(lf.Scrobbles()); n != 121 {
			t.Errorf("Last.fm got %d scrobbles; want 121", n)
		}
		if good, bad := lf.Signatures(); bad != 0 || good < 4 {
			t.Errorf("signatures: %d good, %d bad", good, bad)
		}
	})
}

func TestListenBrainzRateLimitHeaders(t *testing.T) {
	lb, lf, sk := fakes(t, "tok1")
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, lb, lf, "tok1", sk)
		defer r.close(t)
		lb.RateLimit(0, 300) // no request left in this window, for 5 minutes
		r.listen(1)          // its now playing says so; the listen waits
		time.Sleep(200 * time.Second)
		synctest.Wait()
		if n := len(lb.Listens()); n != 0 {
			t.Errorf("%d listens sent while the rate limit said none", n)
		}
		lb.RateLimit(-1, 0)
		time.Sleep(200 * time.Second)
		synctest.Wait()
		if n := len(lb.Listens()); n != 1 {
			t.Errorf("%d listens after the window reset; want 1", n)
		}
	})
}
