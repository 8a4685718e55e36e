package playlistcmd

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcplay/pcplay/config"
)

// A command-line call to pCloud (`pcplay playlist`, `pcplay ctl add|play
// PATH`) gives up once pCloud has sent nothing for a while: a person is
// waiting at the prompt. Each request must get its answer's head, and then
// each part of its body, within that time (so a long listing that keeps
// coming is fine); the first that doesn't ends the whole command with a
// sentence saying so ([NoAnswerError]). The engine's own calls keep the
// api client's patience.

// EnvCLIWait names the variable that sets how long a command-line call
// waits for pCloud to answer (a Go duration; default DefaultCLIWait).
const EnvCLIWait = config.EnvCLIWait

// DefaultCLIWait is how long a command-line call waits for pCloud to
// answer before it gives up.
const DefaultCLIWait = 15 * time.Second

// NoAnswerError is a command-line call that gave up: pCloud sent nothing
// for Wait.
type NoAnswerError struct{ Wait time.Duration }

func (e *NoAnswerError) Error() string {
	return "pCloud did not answer within " + seconds(e.Wait) + "; check the network and try again"
}

// seconds is d in seconds for a sentence: "15 s", "0.5 s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(time.Millisecond).Seconds(), 'f', -1, 64) + " s"
}

// cliWait is the wait of EnvCLIWait, or the default.
func cliWait() (time.Duration, error) {
	v := strings.TrimSpace(os.Getenv(EnvCLIWait))
	if v == "" {
		return DefaultCLIWait, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 10*time.Millisecond || d > time.Hour {
		return 0, fmt.Errorf("%s=%q: must be a duration between 10ms and 1h, such as 15s", EnvCLIWait, v)
	}
	return d, nil
}

// patience is an http.RoundTripper that gives up on pCloud after wait
// without a byte: the request fails, so does every later one at once, and
// the bound command's context (bind) is cancelled.
type patience struct {
	rt   http.RoundTripper
	wait time.Duration

	gaveUp atomic.Bool
	mu     sync.Mutex
	stop   []func() // cancel the bound contexts
}

func newPatience(rt http.RoundTripper, wait time.Duration) *patience {
	return &patience{rt: rt, wait: wait}
}

// err is the error of a command that gave up.
func (p *patience) err() error { return &NoAnswerError{Wait: p.wait} }

// giveUp ends every call: now and later.
func (p *patience) giveUp() {
	p.gaveUp.Store(true)
	p.mu.Lock()
	stop := p.stop
	p.stop = nil
	p.mu.Unlock()
	for _, f := range stop {
		f()
	}
}

// bind makes ctx end when p gives up (with the cause *NoAnswerError).
func (p *patience) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	p.mu.Lock()
	p.stop = append(p.stop, func() { cancel(p.err()) })
	p.mu.Unlock()
	if p.gaveUp.Load() {
		cancel(p.err())
	}
	return ctx, func() { cancel(context.Canceled) }
}

func (p *patience) RoundTrip(req *http.Request) (*http.Response, error) {
	if p.gaveUp.Load() {
		closeBody(req)
		return nil, p.err()
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(p.wait, func() {
		p.giveUp()
		cancel(p.err())
	})
	resp, err := p.rt.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timer.Stop()
		cancel(nil)
		if p.gaveUp.Load() {
			return nil, p.err()
		}
		return nil, err
	}
	timer.Reset(p.wait)
	resp.Body = &patientBody{rc: resp.Body, p: p, timer: timer, cancel: cancel}
	return resp, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// patientBody is a body whose every read restarts the wait.
type patientBody struct {
	rc     io.ReadCloser
	p      *patience
	timer  *time.Timer
	cancel context.CancelCauseFunc
}

func (b *patientBody) Read(buf []byte) (int, error) {
	n, err := b.rc.Read(buf)
	if n > 0 {
		b.timer.Reset(b.p.wait)
	}
	if err != nil && err != io.EOF && b.p.gaveUp.Load() {
		err = b.p.err()
	}
	return n, err
}

func (b *patientBody) Close() error {
	b.timer.Stop()
	b.cancel(nil)
	return b.rc.Close()
}

// cliHTTPClient is the HTTP client of command-line calls: the default
// transport with patience, and no redirects (pCloud's API makes none; one
// could carry the form to someone else).
func cliHTTPClient(p *patience) *http.Client {
	return &http.Client{
		Transport:     p,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// noAnswer is the error of a command that gave up, or nil.
func noAnswer(p *patience) error {
	if p != nil && p.gaveUp.Load() {
		return p.err()
	}
	return nil
}
