package api

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// passwordDigest is hex(sha1(password + hex(sha1(lower(username))) + digest)).
func passwordDigest(username, password, digest string) string {
	u := sha1.Sum([]byte(strings.ToLower(username)))
	p := sha1.Sum([]byte(password + hex.EncodeToString(u[:]) + digest))
	return hex.EncodeToString(p[:])
}

// Login logs in with e-mail and password (getdigest, then userinfo with
// getauth=1, logout=1 and passworddigest). On success the client holds the
// new token (TokenAuth). On 2000 it tries the other region once, when that
// region's URL is known, and keeps the region that worked. A two-factor
// account gives a *TFARequired error: go on with TFALogin.
func (c *Client) Login(ctx context.Context, email, password string) (UserInfo, error) {
	email = strings.TrimSpace(email)
	if email == "" || password == "" {
		return UserInfo{}, errors.New("pcloud: e-mail and password are both needed to log in")
	}
	st := c.snapshot()
	st.token, st.kind = "", TokenAuth
	ui, err := c.loginAt(ctx, st, email, password)
	var e *Error
	if err != nil && errors.As(err, &e) && e.Code == 2000 && ctx.Err() == nil {
		if r, base, ok := c.otherBase(st); ok {
			c.log.Info("pcloud: login refused, trying the other region", "region", string(r))
			o := st
			o.region, o.base = r, base
			if u, perr := url.Parse(base); perr == nil {
				o.scheme = u.Scheme
			}
			ui2, err2 := c.loginAt(ctx, o, email, password)
			var e2 *Error
			var tfa *TFARequired
			switch {
			case err2 == nil, errors.As(err2, &tfa), errors.As(err2, &e2) && e2.Code == 1022:
				// The account lives there.
				c.switchRegion(r, base)
				ui, err = ui2, err2
			case errors.As(err2, &e2) && e2.Code == 2000:
				e.both = true
			}
		}
	}
	return ui, err
}

// loginAt does getdigest + userinfo at st's base URL. A retryable failure
// of the login step starts over with a fresh digest (a digest is single
// use).
func (c *Client) loginAt(ctx context.Context, st state, email, password string) (UserInfo, error) {
	// The retry loop is here rather than in doAt: each attempt needs a new
	// digest.
	var err error
	for attempt := 1; ; attempt++ {
		var ui UserInfo
		ui, err = c.loginOnce(ctx, st, email, password)
		if err == nil {
			return ui, nil
		}
		if attempt >= c.maxAttempts || !IsRetryable(err) || ctx.Err() != nil {
			return UserInfo{}, err
		}
		wait := c.backoff(attempt)
		c.log.Warn("pcloud: retrying login", "attempt", attempt, "wait", wait, "err", err.Error())
		if sleep(ctx, wait) != nil {
			return UserInfo{}, err
		}
	}
}

func (c *Client) loginOnce(ctx context.Context, st state, email, password string) (UserInfo, error) {
	ans, err := c.doAt(ctx, st, call{method: "getdigest", attempts: 1})
	if err != nil {
		return UserInfo{}, err
	}
	var digest string
	if err := field(ans, "digest", &digest); err != nil || digest == "" {
		return UserInfo{}, &Error{Method: "getdigest", Err: &decodeError{"no digest in the answer"}, region: st.region}
	}
	pd := passwordDigest(email, password, digest)
	ans, err = c.doAt(ctx, st, call{
		method:   "userinfo",
		attempts: 1,
		params: url.Values{
			"getauth":        {"1"},
			"logout":         {"1"},
			"username":       {email},
			"digest":         {digest},
			"passworddigest": {pd},
			"timeformat":     {"timestamp"},
		},
		secrets: []string{password, digest, pd},
	})
	if err != nil {
		return UserInfo{}, tfaError(err)
	}
	return c.adoptAuth(st, "userinfo", ans)
}

// adoptAuth reads the token and the user from a login answer and keeps
// them, with st's region and base URL (where the login happened).
func (c *Client) adoptAuth(st state, method string, ans map[string]jsonRaw) (UserInfo, error) {
	var token string
	if err := field(ans, "auth", &token); err != nil || token == "" || strings.ContainsAny(token, " \t\r\n") {
		return UserInfo{}, &Error{Method: method, Err: &decodeError{"no usable auth token in the answer"}, region: st.region}
	}
	ui, err := decodeUser(ans)
	if err != nil {
		return UserInfo{}, &Error{Method: method, Err: &decodeError{scrub(err.Error(), token)}, region: st.region}
	}
	c.mu.Lock()
	changed := c.token != token
	c.token, c.kind, c.confirmed = token, TokenAuth, true
	c.region, c.base, c.scheme = st.region, st.base, st.scheme
	c.mu.Unlock()
	if changed {
		// pCloud remembers the first login on a kept-alive connection:
		// start the new token on fresh connections.
		c.hc.CloseIdleConnections()
	}
	return ui, nil
}

// tfaError turns a 2297 answer into *TFARequired. The answer's token and
// tfatype travel in the *Error's extra (see once).
func tfaError(err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Code != 2297 {
		return err
	}
	t := &TFARequired{err: e}
	if e.extra != nil {
		_ = field(e.extra, "token", &t.Token)
		var typ flexInt
		_ = field(e.extra, "tfatype", &typ)
		t.Type = int(typ)
		e.extra = nil
	}
	return t
}

// TFALogin finishes a two-factor login with the token from *TFARequired and
// the person's code (trustDevice: pCloud won't ask again on this device).
// On success the client holds the new token.
func (c *Client) TFALogin(ctx context.Context, tfaToken, code string, trustDevice bool) (UserInfo, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if tfaToken == "" {
		return UserInfo{}, errors.New("pcloud: no two-factor token: log in with the password first")
	}
	if code == "" {
		return UserInfo{}, errors.New("pcloud: the two-factor code is empty")
	}
	if len(code) > 64 {
		return UserInfo{}, fmt.Errorf("pcloud: the two-factor code is too long (%d characters)", len(code))
	}
	p := url.Values{
		"token":      {tfaToken},
		"code":       {code},
		"getauth":    {"1"},
		"timeformat": {"timestamp"},
	}
	if trustDevice {
		p.Set("trustdevice", "1")
	}
	st := c.snapshot()
	st.token = ""
	ans, err := c.doAt(ctx, st, call{method: "tfa_login", params: p, secrets: []string{tfaToken, code}})
	if err != nil {
		return UserInfo{}, err
	}
	ui, err := c.adoptAuth(st, "tfa_login", ans)
	if err != nil {
		return UserInfo{}, err
	}
	if ui.Email == "" {
		// The answer carried only the token: ask who it is.
		return c.UserInfo(ctx)
	}
	return ui, nil
}

// SendTFASMS asks pCloud to send the two-factor code by SMS.
func (c *Client) SendTFASMS(ctx context.Context, tfaToken string) error {
	if tfaToken == "" {
		return errors.New("pcloud: no two-factor token: log in with the password first")
	}
	_, err := c.do(ctx, call{method: "tfa_sendcodeviasms", params: url.Values{"token": {tfaToken}}, secrets: []string{tfaToken}})
	return err
}

// Logout invalidates the token on pCloud's side and forgets it.
func (c *Client) Logout(ctx context.Context) error {
	st := c.snapshot()
	if st.token == "" {
		return nil
	}
	_, err := c.doAt(ctx, st, call{method: "logout", auth: true})
	var e *Error
	if err != nil && !(errors.As(err, &e) && (e.Code == 1000 || e.Code == 2000 || e.Code == 2094)) {
		return err
	}
	c.mu.Lock()
	if c.token == st.token {
		c.token, c.confirmed = "", false
	}
	c.mu.Unlock()
	c.hc.CloseIdleConnections()
	return nil
}
