package player

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/pcplay/pcplay/api"
)

// The outage policy. A fault of the network or of pCloud's service (no
// connection, a timeout, 5xx, 5xxx, 4000, an answer that can't be read)
// is not the track's: the stream holds where it is and tries again, first
// at once, then after a growing wait (TrackWaiting, with the time of the
// next try and the reason), for as long as it takes. Only a track that is
// itself bad (gone, not playable, not audio) fails, and an account error
// (logged out, token refused) fails with an *AccountError so that the
// player stops once instead of trying every track of the queue.

// errClass is how the policy treats a failed request.
type errClass int

const (
	classTransient errClass = iota // the network or pCloud: wait and retry
	classExpired                   // the link expired: a fresh one, capped by time
	classTrack                     // the track itself is bad: fail now
	classAccount                   // the login is refused: fail now, typed
	classOther                     // anything else: MaxRetries tries
)

// AccountError is a track's failure because pCloud refused the login or
// the token (1000, 2000, 2094...): no other track will play either, so the
// player stops and the person has to log in again. Sentence says so.
type AccountError struct{ Err error }

func (e *AccountError) Error() string { return api.Sentence(e.Err) }
func (e *AccountError) Unwrap() error { return e.Err }

// IsAccountError reports whether err (a track's Err) means the login is
// refused: the UI should lead to its login screen.
func IsAccountError(err error) bool {
	var ae *AccountError
	return errors.As(err, &ae)
}

// errNoHosts: getaudiolink answered without a host (a malformed answer).
var errNoHosts = errors.New("pCloud's answer listed no stream host")

// classify says how the policy treats err; rateLimit marks pCloud's 4xxx
// (wait long).
func classify(err error) (c errClass, rateLimit bool) {
	var le *linkError
	if errors.As(err, &le) {
		e := le.err
		switch {
		case errors.Is(e, errNoHosts):
			return classTransient, false
		case api.IsAuth(e):
			return classAccount, false
		case api.IsRateLimit(e):
			return classTransient, true
		}
		var ae *api.Error
		if !errors.As(e, &ae) {
			return classTrack, false // another LinkSource's own refusal
		}
		if ae.Code >= 5000 && ae.Code < 6000 || ae.Code == 0 {
			// 5xxx, HTTP errors, the network, answers that can't be read.
			return classTransient, false
		}
		return classTrack, false // 2009 gone, 2003, 2044, 7xxx...
	}
	if errors.Is(err, errLinkGone) {
		return classExpired, false
	}
	var he *httpStatusError
	if errors.As(err, &he) {
		if he.code >= 500 || he.code == 429 || he.code == 408 {
			return classTransient, false
		}
		return classOther, false
	}
	if errors.Is(err, errBadURL) {
		return classOther, false
	}
	return classTransient, false // connecting, reading, stalled, cut short
}

// errBadURL: a stream link that is not a URL.
var errBadURL = errors.New("the stream link is not a valid URL")

// outageDelay is the wait before try n (1-based) of an outage: base·2^(n-1)
// with jitter (three quarters to all of it), capped at limit with less
// jitter (seven eighths to all of it: the tries of a long wait come at
// least that often, and no more often).
func outageDelay(n int, base, limit time.Duration) time.Duration {
	d := base << min(max(n-1, 0), 20)
	if d <= 0 || d >= limit {
		return limit*7/8 + rand.N(limit/8+1)
	}
	return d*3/4 + rand.N(d/4+1)
}

// reason says in words why pCloud could not be used, for the status line:
// never a raw Go error.
func reason(err error) string {
	var le *linkError
	if errors.As(err, &le) {
		if errors.Is(le.err, errNoHosts) {
			return "pCloud's answer listed no stream server."
		}
		return api.Sentence(le.err)
	}
	var he *httpStatusError
	switch {
	case errors.As(err, &he):
		return "pCloud's stream server answered with an error (" + strings.TrimPrefix(he.Error(), "the stream server answered ") + ")."
	case errors.Is(err, errStalled):
		return "pCloud's stream server stopped sending."
	case errors.Is(err, errShort):
		return "pCloud's stream server closed the connection early."
	}
	return "Can't reach pCloud's stream server: " + netWords(err) + "."
}

// netWords describes a network error briefly.
func netWords(err error) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return "can't look up " + dns.Name
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "the network is unreachable"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "it took too long to answer"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection closed unexpectedly"
	}
	return "the connection failed"
}

// Outage is the wait of a stream that can't reach pCloud: when it tries
// again and why. ok is false when it is not waiting.
func (t *TrackStream) Outage() (retryAt time.Time, why string, ok bool) {
	t.pmu.Lock()
	defer t.pmu.Unlock()
	if !t.waiting {
		return time.Time{}, "", false
	}
	return t.waitUntil, t.waitWhy, true
}

// RetryNow ends a wait for pCloud: the stream tries again at once.
func (t *TrackStream) RetryNow() {
	t.mu.Lock()
	if t.next != nil && t.attempts > 0 {
		t.nextAt = time.Now()
	}
	t.held = false
	t.mu.Unlock()
	t.wake()
}

// Hold stops (on) the retries of a stream that waits for pCloud, while the
// player is paused; Hold(false) lets them go on (RetryNow tries at once).
func (t *TrackStream) Hold(on bool) {
	t.mu.Lock()
	t.held = on
	t.mu.Unlock()
	t.wake()
}

// setWaiting sets what Status says about a wait for pCloud.
func (t *TrackStream) setWaiting(on bool, until time.Time, why string) {
	t.pmu.Lock()
	t.waiting, t.waitUntil, t.waitWhy = on, until, why
	if on {
		t.connected, t.recon = false, true
	}
	t.pmu.Unlock()
	if on {
		t.changed() // a new time to try again, even in the same state
	} else {
		t.notify()
	}
}

// outageCtl is what the player uses of a stream's outage policy (the test
// doubles of trackStream need not have it).
type outageCtl interface {
	Outage() (retryAt time.Time, why string, ok bool)
	RetryNow()
	Hold(on bool)
}
