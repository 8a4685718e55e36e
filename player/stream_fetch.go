package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// defaultHTTPClient has connect and header timeouts but no overall timeout:
// a stream body lasts as long as the track.
var defaultHTTPClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	TLSHandshakeTimeout:   10 * time.Second,
	ResponseHeaderTimeout: 15 * time.Second,
	IdleConnTimeout:       90 * time.Second,
	MaxIdleConnsPerHost:   4,
}}

// defaultBackoff is 200 ms·2^attempt, capped at 3 s, with jitter (half to
// all of it).
func defaultBackoff(attempt int) time.Duration {
	d := 200 * time.Millisecond << min(max(attempt, 0), 5)
	d = min(d, 3*time.Second)
	return d/2 + rand.N(d/2+1)
}

var (
	errLinkGone = errors.New("the stream link has expired")
	errStalled  = errors.New("no data arrived for too long")
	errShort    = errors.New("the stream ended before the end of the track")
	errStale    = errors.New("superseded")
	// errUnconfirmed: a body ended cleanly short of the known length, or
	// with no length known; a probe tells whether audio follows.
	errUnconfirmed = errors.New("the stream ended; asking whether more follows")
)

// linkError is a failure of the LinkSource.
type linkError struct{ err error }

func (e *linkError) Error() string { return "getting a stream link: " + e.err.Error() }
func (e *linkError) Unwrap() error { return e.err }

// httpStatusError is a stream host's answer other than 2xx.
type httpStatusError struct{ code int }

func (e *httpStatusError) Error() string {
	return "the stream server answered " + strconv.Itoa(e.code) + " " + http.StatusText(e.code)
}

// fetchLoop makes the HTTP requests: the first one, those for seeks beyond
// the buffer, and those that recover from faults.
func (t *TrackStream) fetchLoop() {
	defer t.wg.Done()
	for {
		req, gen, ctx, cancel, ok := t.nextRequest()
		if !ok {
			return
		}
		progress, err := t.fetchOnce(ctx, cancel, gen, req)
		cancel()
		t.afterFetch(req, gen, progress, err)
	}
}

// nextRequest waits until there is a request to make (t.next, not before
// t.nextAt) and takes it, with the context that cancels it; false once the
// stream is closed.
func (t *TrackStream) nextRequest() (req fetchReq, gen uint64, ctx context.Context, cancel context.CancelFunc, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for !t.closed && (t.next == nil || time.Now().Before(t.nextAt) || (t.held && t.attempts > 0)) {
		wait := time.Duration(-1)
		if t.next != nil && !(t.held && t.attempts > 0) {
			wait = time.Until(t.nextAt)
		}
		t.mu.Unlock()
		t.sleep(wait)
		t.mu.Lock()
	}
	if t.closed {
		return fetchReq{}, 0, nil, nil, false
	}
	req = *t.next
	t.next = nil
	ctx, cancel = context.WithCancel(t.ctx)
	t.reqCancel = cancel
	return req, t.fetchGen, ctx, cancel, true
}

// afterFetch follows up a request of generation gen by the outage policy
// (stream_policy.go): after a body that ended short of the known length, or
// with none known, a probe at once; after a fault of the network or of
// pCloud a few quick tries, then waits that grow (TrackWaiting) for as long
// as it takes; fresh links for expiring ones for ExpiryLimit; and it gives
// up at once only when the track itself is bad or the login is refused.
func (t *TrackStream) afterFetch(req fetchReq, gen uint64, progress bool, err error) {
	t.mu.Lock()
	if t.closed || t.fetchGen != gen || t.ctx.Err() != nil {
		t.mu.Unlock()
		return // a seek replaced this request and set t.next
	}
	t.reqCancel = nil
	switched := t.switching
	t.switching = false // (a body may have ended before SetBitrate could end it)
	if switched && err != nil {
		t.switchedLocked(req)
		sec := t.next.sec
		t.mu.Unlock()
		t.log.Info("the bitrate changed: the stream goes on at the new one", "file", t.fileID, "at", sec)
		return
	}
	if err == nil {
		t.attempts, t.expSince = 0, time.Time{}
		t.mu.Unlock()
		t.clearWait()
		return
	}
	if errors.Is(err, errUnconfirmed) {
		t.attempts, t.expSince = 0, time.Time{}
		t.next = &fetchReq{sec: t.resumeSecLocked(req), resume: true, probe: true}
		t.nextAt = time.Now()
		sec := t.next.sec
		t.mu.Unlock()
		t.log.Info("the stream ended before the known end, or with no length: asking for more", "file", t.fileID, "at", sec)
		return
	}
	if progress {
		t.attempts, t.expSince = 0, time.Time{}
	}
	t.attempts++
	delay, wait, fail := t.policyLocked(err)
	if fail != nil {
		t.fetchErr = fail
		t.cond.Broadcast()
		t.mu.Unlock()
		t.log.Warn("stream failed", "file", t.fileID, "err", err)
		t.setConn(false, false)
		return
	}
	t.next = &fetchReq{sec: t.resumeSecLocked(req), resume: true, probe: req.probe}
	t.nextAt = time.Now().Add(delay)
	sec, at, n := t.next.sec, t.nextAt, t.attempts
	t.mu.Unlock()
	t.log.Info("stream interrupted; resuming", "file", t.fileID, "at", sec, "attempt", n, "in", delay.Round(time.Millisecond), "err", err)
	if wait {
		t.setWaiting(true, at, reason(err))
	} else {
		t.setConn(false, true)
	}
}

// quickRetries: the tries of an incident made with Backoff before the
// stream waits with the outage back-off.
const quickRetries = 3

// policyLocked decides what follows the failed attempt t.attempts: the
// delay before the next, whether that is a wait for pCloud (shown), or the
// error that ends the track. Under t.mu.
func (t *TrackStream) policyLocked(err error) (delay time.Duration, wait bool, fail error) {
	class, rateLimit := classify(err)
	switch class {
	case classAccount:
		var le *linkError
		errors.As(err, &le)
		return 0, false, &AccountError{Err: le.err}
	case classTrack:
		return 0, false, err
	case classOther:
		if t.attempts >= t.o.MaxRetries {
			return 0, false, fmt.Errorf("the track could not be streamed (%d tries): %w", t.attempts, err)
		}
	case classExpired:
		now := time.Now()
		if t.expSince.IsZero() {
			t.expSince = now
		}
		if now.Sub(t.expSince) > t.o.ExpiryLimit {
			return 0, false, fmt.Errorf("pCloud's stream links kept expiring for %v: %w", t.o.ExpiryLimit, err)
		}
	case classTransient:
		switch {
		case rateLimit:
			n := max(t.attempts-quickRetries, 1)
			return max(outageDelay(n, t.o.RetryBase, t.o.RetryCap), t.o.RateLimitWait), true, nil
		case t.attempts > quickRetries:
			return outageDelay(t.attempts-quickRetries, t.o.RetryBase, t.o.RetryCap), true, nil
		}
	}
	if t.attempts > 1 {
		delay = t.o.Backoff(min(t.attempts, 8) - 2)
	}
	return delay, false, nil
}

// clearWait ends the waiting state after an answer.
func (t *TrackStream) clearWait() {
	t.pmu.Lock()
	was := t.waiting
	t.waiting = false
	t.pmu.Unlock()
	if was {
		t.notify()
	}
}

// resumeSecLocked is the whole second to resume at: where the received audio
// ends (what is buffered will still play).
func (t *TrackStream) resumeSecLocked(last fetchReq) int {
	r := t.rate.Load()
	if !t.chainOK || r == 0 {
		return last.sec
	}
	// A few frames early, so that the new body overlaps what was received
	// (matchEarlier then finds where it fits, to the sample).
	// Five frames: a fresh decoder needs two to three to settle (bit
	// reservoir, filterbank overlap); they are decoded and dropped.
	p := t.chainP - 5*1152
	if p <= 0 {
		return 0
	}
	return int(p / r)
}

// sleep waits for d (forever when negative), a kick or Close.
func (t *TrackStream) sleep(d time.Duration) {
	if d < 0 {
		select {
		case <-t.kick:
		case <-t.ctx.Done():
		}
		return
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
	case <-t.kick:
	case <-t.ctx.Done():
	}
}

// setConn sets what Status says about the connection.
func (t *TrackStream) setConn(connected, reconnecting bool) {
	t.pmu.Lock()
	t.connected, t.recon = connected, reconnecting
	t.waiting = false
	t.pmu.Unlock()
	t.notify()
}

// getLink returns a usable stream link, asking for a fresh one when there
// is none, it has expired, or its hosts failed (staleLink). While the stream
// waits for pCloud a link whose hosts failed without an answer is used
// again (its hosts are the probe: one request), and a fresh one is asked
// for once every linkRefresh.
//
// held says the link is such a stale one: one of its hosts is tried (a
// different one each time), not all of them.
func (t *TrackStream) getLink(ctx context.Context) (l Link, held bool, err error) {
	t.mu.Lock()
	l, ok := t.link, t.haveLink
	usable := ok && (l.Expires.IsZero() || time.Until(l.Expires) > 2*time.Second) && len(l.URLs) > 0
	if usable && (!t.linkStale || t.attempts > quickRetries && time.Since(t.linkAsked) < linkRefresh) {
		held = t.linkStale
		t.mu.Unlock()
		return l, held, nil
	}
	t.linkAsked = time.Now()
	t.mu.Unlock()
	l, err = t.o.Links.AudioLink(ctx, t.fileID, t.bitrate())
	if err != nil {
		return Link{}, false, &linkError{err}
	}
	if len(l.URLs) == 0 {
		return Link{}, false, &linkError{errNoHosts}
	}
	t.mu.Lock()
	t.link, t.haveLink, t.linkStale = l, true, false
	t.mu.Unlock()
	return l, false, nil
}

// linkRefresh: while a stream waits for pCloud it probes the hosts of the
// link it has, and asks for a fresh link this often.
const linkRefresh = 2 * time.Minute

func (t *TrackStream) dropLink() {
	t.mu.Lock()
	t.haveLink = false
	t.mu.Unlock()
}

// staleLink: every host of the link failed. When one answered (with an
// error) the link goes; when none did it is kept for the probes of a wait,
// and a fresh one is preferred.
func (t *TrackStream) staleLink(answered bool) {
	t.mu.Lock()
	if answered {
		t.haveLink = false
	}
	t.linkStale = true
	t.mu.Unlock()
}

func withStart(u string, sec int) string {
	if sec <= 0 {
		return u
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "start=" + strconv.Itoa(sec)
}

// hostOf is the host of a stream URL, for logs (stream URLs carry no
// credentials, but only the host is logged anyway).
func hostOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	return u
}

// fetchOnce makes one attempt: a link, then each host in turn; on success it
// streams the body into the ring. progress says whether it received a good
// amount of audio (which resets the retry count).
func (t *TrackStream) fetchOnce(ctx context.Context, cancel func(), gen uint64, req fetchReq) (progress bool, err error) {
	if !req.resume {
		t.setConn(false, false)
	}
	l, held, err := t.getLink(ctx)
	if err != nil {
		return false, err
	}
	urls := t.hostsFor(l)
	if held && len(urls) > 1 {
		// A wait's probe: one host, each in turn.
		t.mu.Lock()
		i := t.attempts % len(urls)
		t.mu.Unlock()
		urls = urls[i : i+1]
	}
	var lastErr error
	answered := false // a host answered (with an error): a fresh link may do better
	for _, u := range urls {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, withStart(u, req.sec), nil)
		if err != nil {
			lastErr = errBadURL
			continue
		}
		resp, done, err := t.askHost(ctx, hreq)
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			t.log.Info("stream host failed", "host", hostOf(u), "err", scrubURLError(err))
			t.hostFailed(u)
			lastErr = fmt.Errorf("connecting to %s: %w", hostOf(u), scrubURLError(err))
			continue
		}
		switch c := resp.StatusCode; {
		case c >= 200 && c < 300:
			t.o.hosts.forget(hostOf(u))
			defer done()
			return t.readBody(ctx, cancel, gen, req, resp)
		case c == http.StatusForbidden || c == http.StatusNotFound || c == http.StatusGone:
			drain(resp)
			done()
			t.dropLink()
			t.log.Info("stream link expired", "host", hostOf(u), "status", c)
			return false, fmt.Errorf("%w (%d)", errLinkGone, c)
		case req.probe && (c == http.StatusRequestedRangeNotSatisfiable || c == http.StatusBadRequest):
			// Asked past the end of the track: there is no more audio.
			drain(resp)
			done()
			seg := t.beginSegment(gen, req, 0)
			if seg == nil {
				return false, errStale
			}
			return false, t.endSegment(seg, gen, nil)
		default:
			drain(resp)
			done()
			t.log.Info("stream host failed", "host", hostOf(u), "status", c)
			if c >= 500 {
				t.hostFailed(u)
			}
			answered = true
			lastErr = &httpStatusError{c}
		}
	}
	// Every host failed: next time a fresh link, which may list other
	// hosts. When none answered at all (the network, or pCloud, is down)
	// the link is kept: while the stream waits, its hosts are the cheap
	// probe of pCloud's return (getLink).
	t.staleLink(answered)
	if lastErr == nil {
		lastErr = errors.New("no stream host answered")
	}
	return false, lastErr
}

// scrubURLError drops the URL from a *url.Error (it could carry a query).
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4096)
	_ = resp.Body.Close()
}
