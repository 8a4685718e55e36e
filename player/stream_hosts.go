package player

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Stream hosts that let a stream down are remembered for a while
// (StreamOptions.BadHostFor), by every stream of a player: a host that
// refused, answered 5xx or kept silent past HostTimeout is tried after the
// other hosts of a link until its time is up, so that a silent host costs
// its timeout once, not on every new track. When every host of a link is
// remembered as bad they are all still tried, in the link's order.

// hostMemory is the stream hosts that failed lately: host → until when it
// is tried last. Bounded (maxBadHosts) and expiring. Safe for concurrent
// use; the zero value is not usable (newHostMemory).
type hostMemory struct {
	mu  sync.Mutex
	bad map[string]time.Time
}

// maxBadHosts bounds the memory: pCloud lists a couple of hosts a link,
// from a few dozen.
const maxBadHosts = 64

func newHostMemory() *hostMemory { return &hostMemory{bad: map[string]time.Time{}} }

// markBad remembers host as bad until until.
func (m *hostMemory) markBad(host string, until time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.bad[host]; !ok && len(m.bad) >= maxBadHosts {
		now := time.Now()
		for h, u := range m.bad {
			if !now.Before(u) {
				delete(m.bad, h)
			}
		}
		for len(m.bad) >= maxBadHosts { // still full: the one that ends first goes
			var first string
			for h, u := range m.bad {
				if first == "" || u.Before(m.bad[first]) {
					first = h
				}
			}
			delete(m.bad, first)
		}
	}
	m.bad[host] = until
}

// forget drops host (it answered).
func (m *hostMemory) forget(host string) {
	m.mu.Lock()
	delete(m.bad, host)
	m.mu.Unlock()
}

// isBad reports whether host is remembered as bad now.
func (m *hostMemory) isBad(host string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.bad[host]
	if ok && !time.Now().Before(u) {
		delete(m.bad, host)
		ok = false
	}
	return ok
}

// order is urls with the hosts remembered as bad moved to the end (each
// part in the link's order).
func (m *hostMemory) order(urls []string) []string {
	good := make([]string, 0, len(urls))
	var bad []string
	for _, u := range urls {
		if m.isBad(hostOf(u)) {
			bad = append(bad, u)
		} else {
			good = append(good, u)
		}
	}
	return append(good, bad...)
}

// size is how many hosts are remembered (tests).
func (m *hostMemory) size() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.bad)
}

// errHostSilent: a stream host accepted the request and sent no answer
// within HostTimeout. It wraps context.DeadlineExceeded, so that it is
// worded "it took too long to answer".
var errHostSilent = fmt.Errorf("no answer in time: %w", context.DeadlineExceeded)

// askHost sends hreq with the HostTimeout for the answer's head: the
// returned response's body is read under ctx as long as it takes, and done
// must be called once it is (it releases the timer's context).
func (t *TrackStream) askHost(ctx context.Context, hreq *http.Request) (resp *http.Response, done func(), err error) {
	hctx, hcancel := context.WithCancelCause(ctx)
	timer := time.AfterFunc(t.o.HostTimeout, func() { hcancel(errHostSilent) })
	resp, err = t.client.Do(hreq.WithContext(hctx))
	if !timer.Stop() && ctx.Err() == nil && errors.Is(context.Cause(hctx), errHostSilent) {
		// The head came too late, or not at all.
		if err == nil {
			_ = resp.Body.Close()
		}
		hcancel(nil)
		return nil, nil, errHostSilent
	}
	if err != nil {
		hcancel(nil)
		return nil, nil, err
	}
	return resp, func() { hcancel(nil) }, nil
}

// hostFailed remembers the host of u as bad (it refused, kept silent or
// answered 5xx).
func (t *TrackStream) hostFailed(u string) {
	t.o.hosts.markBad(hostOf(u), time.Now().Add(t.o.BadHostFor))
}

// hostsFor is the order to try a link's hosts in.
func (t *TrackStream) hostsFor(l Link) []string {
	return t.o.hosts.order(l.URLs)
}
