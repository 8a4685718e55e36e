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

	"github.com/pcplay/pcplay/api"
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
	for !t.closed && (t.next == nil || time.Now().Before(t.nextAt)) {
		wait := time.Duration(-1)
		if t.next != nil {
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

// afterFetch follows up a request of generation gen: after a failure it
// schedules the resumption (with back-off from the second attempt on), or
// gives up after MaxRetries attempts, or at once on a link error that will
// not get better.
func (t *TrackStream) afterFetch(req fetchReq, gen uint64, progress bool, err error) {
	t.mu.Lock()
	if t.closed || t.fetchGen != gen {
		t.mu.Unlock()
		return // a seek replaced this request and set t.next
	}
	t.reqCancel = nil
	if err == nil {
		t.attempts = 0
		t.mu.Unlock()
		return
	}
	if progress {
		t.attempts = 0
	}
	t.attempts++
	var le *linkError
	if errors.As(err, &le) && !api.IsRetryable(le.err) && t.ctx.Err() == nil {
		// The api client retried what is worth retrying; this one
		// (no such file, not audio, logged out...) will not get better.
		t.attempts = t.o.MaxRetries
	}
	if t.attempts >= t.o.MaxRetries {
		if le == nil {
			err = fmt.Errorf("the track could not be streamed (%d tries): %w", t.attempts, err)
		}
		t.fetchErr = err
		t.cond.Broadcast()
		t.mu.Unlock()
		t.log.Warn("stream failed", "file", t.fileID, "err", err)
		t.setConn(false, false)
		return
	}
	t.next = &fetchReq{sec: t.resumeSecLocked(req), resume: true}
	t.nextAt = time.Now()
	if t.attempts > 1 {
		t.nextAt = t.nextAt.Add(t.o.Backoff(t.attempts - 2))
	}
	sec := t.next.sec
	t.mu.Unlock()
	t.log.Info("stream interrupted; resuming", "file", t.fileID, "at", sec, "attempt", t.attempts, "err", err)
	t.setConn(false, true)
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
	t.pmu.Unlock()
	t.notify()
}

// link returns a usable stream link, asking for a fresh one when there is
// none or it has expired.
func (t *TrackStream) getLink(ctx context.Context) (Link, error) {
	t.mu.Lock()
	l, ok := t.link, t.haveLink
	t.mu.Unlock()
	if ok && (l.Expires.IsZero() || time.Until(l.Expires) > 2*time.Second) && len(l.URLs) > 0 {
		return l, nil
	}
	l, err := t.o.Links.AudioLink(ctx, t.fileID, t.o.Bitrate)
	if err != nil {
		return Link{}, &linkError{err}
	}
	if len(l.URLs) == 0 {
		return Link{}, errors.New("getting a stream link: no stream host in the answer")
	}
	t.mu.Lock()
	t.link, t.haveLink = l, true
	t.mu.Unlock()
	return l, nil
}

func (t *TrackStream) dropLink() {
	t.mu.Lock()
	t.haveLink = false
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
	l, err := t.getLink(ctx)
	if err != nil {
		return false, err
	}
	var lastErr error
	for _, u := range l.URLs {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, withStart(u, req.sec), nil)
		if err != nil {
			lastErr = errors.New("the stream link is not a valid URL")
			continue
		}
		resp, err := t.client.Do(hreq)
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			t.log.Info("stream host failed", "host", hostOf(u), "err", scrubURLError(err))
			lastErr = fmt.Errorf("connecting to %s: %w", hostOf(u), scrubURLError(err))
			continue
		}
		switch c := resp.StatusCode; {
		case c >= 200 && c < 300:
			return t.readBody(ctx, cancel, gen, req, resp)
		case c == http.StatusForbidden || c == http.StatusNotFound || c == http.StatusGone:
			drain(resp)
			t.dropLink()
			t.log.Info("stream link expired", "host", hostOf(u), "status", c)
			return false, fmt.Errorf("%w (%d)", errLinkGone, c)
		default:
			drain(resp)
			t.log.Info("stream host failed", "host", hostOf(u), "status", c)
			lastErr = &httpStatusError{c}
		}
	}
	// Every host failed: next time, with a fresh link.
	t.dropLink()
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
