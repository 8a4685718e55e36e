package scrobble

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/textsafe"
)

// Service is a scrobbling service's client.
type Service interface {
	// Name is the service's key in the queue: "listenbrainz", "lastfm".
	Name() string
	// Title is its name for a person: "ListenBrainz", "Last.fm".
	Title() string
	// Ready reports whether there are credentials to send with; it may
	// read them from disk.
	Ready() bool
	// Credential identifies the credentials in use (a digest, never the
	// secret), to notice a new login after one was refused.
	Credential() string
	// Batch is how many listens one Submit takes at most.
	Batch() int
	NowPlaying(ctx context.Context, l Listen) error
	// Submit sends listens, oldest first: one is a single listen, more a
	// catching-up import. The error is a *SendError when the service
	// answered.
	Submit(ctx context.Context, ls []Listen) error
}

// Verdict is what to do after a failed send.
type Verdict int

// Verdicts.
const (
	Retry   Verdict = iota // the service or the network failed: back off, try again
	Limited                // too many requests: wait as told, try again
	Refused                // the credentials were refused: stop until they change
	Invalid                // the service rejects the listen: drop it
)

// SendError is a service's answer to a failed send. Msg is a sentence
// for a person and never holds a credential.
type SendError struct {
	Verdict Verdict
	Wait    time.Duration // how long the service asks to wait; 0 unknown
	Msg     string
}

func (e *SendError) Error() string { return e.Msg }

// verdictOf classifies err (a *SendError, or a network failure: Retry).
func verdictOf(err error) (*SendError, bool) {
	var se *SendError
	if errors.As(err, &se) {
		return se, true
	}
	return &SendError{Verdict: Retry, Msg: netSentence(err)}, false
}

// netSentence says a network failure without its URL.
func netSentence(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return "it did not answer in time"
	case err != nil:
		return "it can't be reached (" + clipText(err.Error(), 120) + ")"
	}
	return "it can't be reached"
}

// statusError is the SendError of an HTTP answer that is not a success:
// 401 and 403 refuse the credentials, 429 limits, 5xx (and 408) retry,
// other 4xx reject the listen. what is the service's own words, if any.
func statusError(title string, resp *http.Response, what string) *SendError {
	c := resp.StatusCode
	e := &SendError{Msg: fmt.Sprintf("%s answered %d %s", title, c, http.StatusText(c))}
	if what != "" {
		e.Msg += ": " + clipText(what, 200)
	}
	switch {
	case c == http.StatusUnauthorized || c == http.StatusForbidden:
		e.Verdict = Refused
	case c == http.StatusTooManyRequests:
		e.Verdict = Limited
		e.Wait = retryAfter(resp.Header)
	case c >= 500 || c == http.StatusRequestTimeout:
		e.Verdict = Retry
		e.Wait = retryAfter(resp.Header)
	default:
		e.Verdict = Invalid
	}
	return e
}

// retryAfter is how long the headers ask to wait: ListenBrainz's
// X-RateLimit-Reset-In, or Retry-After (seconds or a date); 0 unknown.
func retryAfter(h http.Header) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Reset-In"))); err == nil && n >= 0 {
		return min(time.Duration(n)*time.Second, maxWait)
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return min(time.Duration(n)*time.Second, maxWait)
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(0, time.Until(t)), maxWait)
	}
	return 0
}

// maxWait bounds any wait a service asks for.
const maxWait = time.Hour

// clipText keeps a service's words short and on one line, printable.
func clipText(s string, n int) string {
	s = strings.TrimSpace(textsafe.Line(s))
	if len([]rune(s)) > n {
		s = string([]rune(s)[:n]) + "…"
	}
	return s
}
