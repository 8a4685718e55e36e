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
	"sync/atomic"
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
		t.mu.Lock()
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
			t.mu.Unlock()
			return
		}
		req := *t.next
		t.next = nil
		gen := t.fetchGen
		ctx, cancel := context.WithCancel(t.ctx)
		t.reqCancel = cancel
		t.mu.Unlock()

		progress, err := t.fetchOnce(ctx, cancel, gen, req)
		cancel()

		t.mu.Lock()
		if t.closed || t.fetchGen != gen {
			t.mu.Unlock()
			continue // a seek replaced this request and set t.next
		}
		t.reqCancel = nil
		if err == nil {
			t.attempts = 0
			t.mu.Unlock()
			continue
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
			continue
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

// readBody streams a response into the ring as a new segment.
func (t *TrackStream) readBody(ctx context.Context, cancel func(), gen uint64, req fetchReq, resp *http.Response) (bool, error) {
	defer func() { _ = resp.Body.Close() }()
	t.mu.Lock()
	if t.closed || t.fetchGen != gen {
		t.mu.Unlock()
		return false, errStale
	}
	seg := &segment{id: t.nextSegID, startSec: req.sec, start: t.ring.end, cl: resp.ContentLength}
	t.nextSegID++
	t.segs = append(t.segs, seg)
	t.ix = indexer{seg: seg, off: seg.start, buf: t.ix.buf[:0]}
	t.cond.Broadcast()
	t.mu.Unlock()
	t.setConn(true, false)

	var stalled atomic.Bool
	stall := t.o.StallTimeout
	timer := time.AfterFunc(stall, func() { stalled.Store(true); cancel() })
	defer timer.Stop()
	var got int64
	var rerr error
	lastDur := t.durNS.Load()
	for {
		var n int
		n, rerr = resp.Body.Read(t.netBuf)
		if n > 0 {
			timer.Reset(stall)
			got += int64(n)
			if !t.store(gen, t.netBuf[:n], timer) {
				return false, errStale
			}
			if d := t.durNS.Load(); d != lastDur {
				lastDur = d
				t.changed()
			}
		}
		if rerr != nil {
			break
		}
	}
	progress := got >= 64<<10
	clean := rerr == io.EOF && (seg.cl < 0 || got >= seg.cl)
	var err error
	switch {
	case clean:
	case stalled.Load():
		err = errStalled
	case ctx.Err() != nil && !stalled.Load():
		err = ctx.Err()
	case rerr == io.EOF:
		err = errShort
	default:
		err = fmt.Errorf("reading the stream: %w", scrubURLError(rerr))
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.fetchGen != gen {
		return false, errStale
	}
	t.indexFeed(nil, clean)
	seg.done = true
	seg.end = t.ring.end
	if clean {
		// Without a Content-Length, a body that stops short of the known
		// length of the track was cut.
		if seg.cl < 0 && t.totalP > 0 && seg.based && seg.nextP+2*1152 < t.totalP {
			clean, err = false, errShort
		}
	}
	if !clean && seg.frames > 0 {
		seg.end = seg.lastEnd
	}
	seg.complete = clean
	if clean {
		t.downloaded.Store(true)
		if seg.startSec == 0 && !t.trackInfo && seg.based && t.exactP == 0 {
			t.exactP = seg.nextP
			t.updateDuration()
		}
	}
	t.cond.Broadcast()
	if d := t.durNS.Load(); d != lastDur {
		defer t.changed()
	}
	return progress, err
}

// store writes body bytes into the ring, waiting while the read-ahead is
// full (the stall timer is stopped meanwhile). false: the request is stale.
func (t *TrackStream) store(gen uint64, p []byte, timer *time.Timer) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(p) > 0 {
		if t.closed || t.fetchGen != gen {
			return false
		}
		room := int64(t.o.ReadAhead) - (t.ring.end - t.decCur)
		if room <= 0 {
			timer.Stop()
			t.fetchWait = true
			t.cond.Wait()
			t.fetchWait = false
			timer.Reset(t.o.StallTimeout)
			continue
		}
		k := int(min(room, int64(len(p))))
		t.ring.write(p[:k])
		t.bytesIn += int64(k)
		t.indexFeed(p[:k], false)
		p = p[k:]
		t.idx.dropBefore(t.ring.base)
		for len(t.segs) > 1 && t.segs[0].done && t.segs[0].end <= t.ring.base {
			t.segs = t.segs[1:]
		}
		if t.decWait {
			t.cond.Broadcast()
		}
	}
	return true
}

// Seek moves the play point to `to` without blocking. Inside the buffered
// window the decoder restarts from memory and lands on the exact sample;
// beyond it a new request starts at the whole second (Position is that
// second). Seeks beyond the window in quick succession make one request.
func (t *TrackStream) Seek(to time.Duration) {
	if to < 0 {
		to = 0
	}
	if d := t.Duration(); d > 0 && to > d {
		to = d
	}
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.pmu.Lock()
	finished := t.finished
	t.pmu.Unlock()
	if finished {
		t.mu.Unlock()
		return
	}
	rate := t.rate.Load()
	var job decJob
	local := false
	var targetP int64
	if rate > 0 {
		targetP = durSamples(to, rate)
		if t.totalP > 0 && targetP > t.totalP {
			targetP = t.totalP
		}
		if seg, from, ok := t.findLocal(targetP); ok {
			local = true
			job = decJob{seg: seg, from: from, discardP: targetP, hasP: true}
			t.decCur = from
		}
	}
	t.job.gen++
	gen := t.job.gen
	if !local {
		sec := int(to / time.Second)
		to = time.Duration(sec) * time.Second
		targetP = int64(sec) * rate
		t.fetchGen++
		if t.reqCancel != nil {
			t.reqCancel()
			t.reqCancel = nil
		}
		t.ring.clear()
		t.segs = nil
		t.idx.clear()
		t.ix = indexer{buf: t.ix.buf[:0]}
		t.chainOK = false
		t.decCur = t.ring.end
		job = decJob{seg: t.nextSegID, from: -1, discardT: to}
		t.next = &fetchReq{sec: sec}
		t.nextAt = time.Now().Add(t.o.debounce)
		t.attempts = 0
		t.fetchErr = nil
		t.downloaded.Store(false)
	}
	job.gen = gen
	t.job = job
	t.cond.Broadcast()
	t.pmu.Lock()
	t.pcmGen = gen
	t.pcm.reset()
	t.decDone = false
	t.finalErr = nil
	t.starved = true
	t.headP = targetP
	t.posOver, t.posOverOK = to, !local
	if !local {
		t.connected, t.recon = false, false
	}
	t.pmu.Unlock()
	t.mu.Unlock()
	t.wake()
	t.notify()
}

// prerollBytes: a restart begins this many bytes of frames before the
// target frame's predecessor, so that the bit reservoir (up to 511 bytes)
// and the filterbank's overlap are right when the target frame plays.
const prerollBytes = 600

// findLocal finds where to restart the decoder to play track sample p from
// the ring. Call with t.mu held.
func (t *TrackStream) findLocal(p int64) (seg int, from int64, ok bool) {
	a := t.idx.all()
	i := -1
	for k := range a {
		if a[k].p <= p && p < a[k].p+int64(a[k].n) {
			i = k
			break
		}
	}
	if i < 0 {
		return 0, 0, false
	}
	j := i
	for {
		if a[j].first {
			break // the start of a stream: no earlier data is needed
		}
		if j < i-1 && a[i-1].off-a[j].off >= prerollBytes {
			break
		}
		if j == 0 || a[j-1].seg != a[i].seg || a[j-1].off < t.ring.base {
			return 0, 0, false // not enough history in memory
		}
		j--
	}
	return int(a[i].seg), a[j].off, true
}
