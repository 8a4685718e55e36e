package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBackoff waits 250ms·2^(attempt-1), at most 5s, with ±50% jitter
// (never less than half).
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := 250 * time.Millisecond
	for i := 1; i < attempt && d < 5*time.Second; i++ {
		d *= 2
	}
	d = min(d, 5*time.Second)
	return d/2 + rand.N(d/2+1)
}

// call is one API method with its parameters, sent by POST form so that no
// secret sits in a URL.
type call struct {
	method   string
	params   url.Values
	auth     bool        // add the client's token
	secrets  []string    // extra values to scrub from errors (password, 2FA token)
	attempts int         // 0 → the client's [Options.MaxAttempts]
	stream   ListVisitor // reads the "metadata" member as it comes (listfolder)
	// check, when set, reads a successful answer; its error makes the
	// answer one that can't be read, a passing fault tried again.
	check func(ans map[string]jsonRaw) error
}

// do runs a call with retries against the current base URL.
func (c *Client) do(ctx context.Context, cl call) (map[string]jsonRaw, error) {
	st := c.snapshot()
	return c.doAt(ctx, st, cl)
}

// doAt runs a call with retries against st's base URL and token.
func (c *Client) doAt(ctx context.Context, st state, cl call) (map[string]jsonRaw, error) {
	if cl.auth && st.token == "" {
		return nil, &Error{Code: 1000, Message: "Log in required.", Method: cl.method, region: st.region}
	}
	limit := cl.attempts
	if limit <= 0 {
		limit = c.maxAttempts
	}
	var err error
	for attempt := 1; ; attempt++ {
		var ans map[string]jsonRaw
		ans, err = c.once(ctx, st, cl)
		if err == nil {
			return ans, nil
		}
		if attempt >= limit || !IsRetryable(err) || ctx.Err() != nil {
			return nil, err
		}
		wait := c.backoff(attempt)
		c.log.Warn("pcloud: retrying", "method", cl.method, "attempt", attempt, "wait", wait, "err", err.Error())
		if werr := sleep(ctx, wait); werr != nil {
			return nil, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// once sends one HTTP request and reads the answer.
func (c *Client) once(ctx context.Context, st state, cl call) (map[string]jsonRaw, error) {
	secrets := append([]string{st.token}, cl.secrets...)
	start := time.Now()
	req, err := newRequest(ctx, st, cl)
	if err != nil {
		return nil, &Error{Method: cl.method, Err: sanitize(err, secrets...), region: st.region}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		e := &Error{Method: cl.method, Err: sanitize(err, secrets...), region: st.region, ended: ctx.Err() != nil}
		c.log.Debug("pcloud: call failed", "method", cl.method, "host", req.URL.Host, "dur", time.Since(start), "err", e.Error())
		return nil, e
	}
	defer resp.Body.Close()
	var ans map[string]jsonRaw
	var derr error
	if cl.stream != nil && resp.StatusCode == http.StatusOK {
		// A listing read as it comes: never held whole.
		body := &errReader{r: resp.Body}
		ans, derr = decodeStream(json.NewDecoder(body), cl.stream)
		if err := visitErr(derr); err != nil {
			return nil, err
		}
		if body.err != nil {
			return nil, &Error{Method: cl.method, Err: sanitize(body.err, secrets...), region: st.region, ended: ctx.Err() != nil}
		}
	} else {
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		if err != nil {
			e := &Error{Method: cl.method, HTTPStatus: nonOK(resp.StatusCode), Err: sanitize(err, secrets...), region: st.region, ended: ctx.Err() != nil}
			if e.HTTPStatus != 0 {
				e.Err = nil
			}
			return nil, e
		}
		if len(body) > maxBody {
			return nil, &Error{Method: cl.method, Err: &decodeError{fmt.Sprintf("answer larger than %d MB", maxBody>>20)}, region: st.region}
		}
		ans, derr = decodeAnswer(body)
	}
	code, msg := 0, ""
	if derr == nil {
		code, msg, derr = resultOf(ans)
	}
	if msg == "" {
		msg = strings.TrimSpace(resp.Header.Get("X-Error"))
	}
	if _, err := strconv.Atoi(msg); (msg == "" || err == nil) && code != 0 {
		msg = messages[code] // X-Error may carry just the code
	}
	msg = tidyMessage(scrub(msg, secrets...))
	c.log.Debug("pcloud: call", "method", cl.method, "host", req.URL.Host, "status", resp.StatusCode, "result", code, "dur", time.Since(start))
	switch {
	case resp.StatusCode != http.StatusOK && (derr != nil || code == 0):
		return nil, &Error{Method: cl.method, HTTPStatus: resp.StatusCode, Code: code, Message: msg, region: st.region}
	case derr != nil:
		return nil, &Error{Method: cl.method, Err: &decodeError{scrub(derr.Error(), secrets...)}, region: st.region, passing: cl.method == "listfolder"}
	case code != 0:
		e := &Error{Method: cl.method, Code: code, Message: msg, HTTPStatus: nonOK(resp.StatusCode), region: st.region, token: cl.auth}
		if code == 2297 {
			e.extra = ans // the 2FA token and type, for tfaError
		}
		return nil, e
	}
	if cl.check != nil {
		if err := cl.check(ans); err != nil {
			return nil, &Error{Method: cl.method, Err: &decodeError{scrub(err.Error(), secrets...)}, region: st.region, passing: true}
		}
	}
	return ans, nil
}

// newRequest is cl's POST to st's API: the parameters as a form, the token
// as auth= or, for a bearer token, in the Authorization header.
func newRequest(ctx context.Context, st state, cl call) (*http.Request, error) {
	form := url.Values{}
	for k, v := range cl.params {
		form[k] = v
	}
	if cl.auth && st.kind != TokenBearer {
		form.Set("auth", st.token)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, st.base+"/"+cl.method, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "pcplay")
	if cl.auth && st.kind == TokenBearer {
		req.Header.Set("Authorization", "Bearer "+st.token)
	}
	return req, nil
}

// tidyMessage makes pCloud's error text fit one status line: no control
// characters, valid UTF-8, at most 200 bytes.
func tidyMessage(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

func nonOK(status int) int {
	if status == http.StatusOK {
		return 0
	}
	return status
}
