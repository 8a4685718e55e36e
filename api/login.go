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

// RegionAuto asks [Client.LoginIn] for the client's region first, then the other
// one. It is not a region of its own: [Client.Region] never returns it and
// [ParseRegion] does not accept it.
const RegionAuto Region = "auto"

// ParseLoginRegion reads a login region as a person or a config file gives
// it: "us", "eu", or "auto" / "" ([RegionAuto]); any case, surrounding space
// ignored.
func ParseLoginRegion(s string) (Region, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return RegionAuto, nil
	}
	r, err := ParseRegion(s)
	if err != nil {
		return "", fmt.Errorf("pcloud: unknown region %q: use us, eu or auto", s)
	}
	return r, nil
}

// Login logs in with e-mail and password (getdigest, then the login
// method with getauth=1 and passworddigest, or userinfo when login gives no
// token; see loginOnce). On success the client holds the
// new token ([TokenAuth]). On 2000 it tries the other region once, when that
// region's URL is known, and keeps the region that worked. A two-factor
// account gives a [*TFARequired] error: go on with [Client.TFALogin].
//
// Login is [Client.LoginIn] with [RegionAuto].
func (c *Client) Login(ctx context.Context, email, password string) (UserInfo, error) {
	return c.LoginIn(ctx, RegionAuto, email, password)
}

// LoginIn is [Client.Login] in the region the person chose:
//
//   - RegionUS or RegionEU: only that region's API is asked, never the
//     other one (a 2000 is then "wrong password, or the other region").
//     The region's URL must be known: the client's own, one of
//     Options.RegionURLs, or pCloud's default when the client uses the
//     default URLs; else LoginIn fails before any call.
//   - RegionAuto or "": the client's current region first, then on 2000
//     the other one once (Login's behaviour).
//
// On success, and when the account answers from the chosen region with a
// two-factor request (2297) or a new-device refusal (1022), the client
// moves to the region that answered, so that [Client.TFALogin] and later calls go
// there. A failed login leaves the client's region as it was.
//
// LoginIn is safe for concurrent use (the region is an argument, not
// client state); when logins race, the last to succeed holds the client.
func (c *Client) LoginIn(ctx context.Context, region Region, email, password string) (UserInfo, error) {
	email = strings.TrimSpace(email)
	auto := false
	switch region {
	case "", RegionAuto:
		auto = true
	case RegionUS, RegionEU:
	default:
		return UserInfo{}, fmt.Errorf("pcloud: unknown region %q: use us, eu or auto", string(region))
	}
	if email == "" || password == "" {
		return UserInfo{}, errors.New("pcloud: e-mail and password are both needed to log in")
	}
	prev := c.snapshot()
	st := prev
	st.token, st.kind = "", TokenAuth
	if !auto {
		if region != st.region {
			r, base, ok := c.otherBase(st)
			if !ok || r != region {
				return UserInfo{}, fmt.Errorf("pcloud: the %s region's API URL is not known (a custom API URL %s is in use): log in with region auto or %s", strings.ToUpper(string(region)), st.base, st.region)
			}
			st = withBase(st, r, base)
		}
		ui, err := c.loginAt(ctx, st, email, password)
		if accountHere(err) {
			c.moveTo(prev, st, err == nil)
		}
		return ui, err
	}
	ui, err := c.loginAt(ctx, st, email, password)
	var e *Error
	if err != nil && errors.As(err, &e) && e.Code == 2000 && ctx.Err() == nil {
		if r, base, ok := c.otherBase(st); ok {
			c.log.Info("pcloud: login refused, trying the other region", "region", string(r))
			o := withBase(st, r, base)
			ui2, err2 := c.loginAt(ctx, o, email, password)
			var e2 *Error
			switch {
			case accountHere(err2):
				// The account lives there.
				c.moveTo(prev, o, err2 == nil)
				ui, err = ui2, err2
			case errors.As(err2, &e2) && e2.Code == 2000:
				e.both = true
			}
		}
	}
	return ui, err
}

// withBase is st at region r's base URL.
func withBase(st state, r Region, base string) state {
	st.region, st.base = r, base
	if u, err := url.Parse(base); err == nil {
		st.scheme = u.Scheme
	}
	return st
}

// accountHere reports whether a login answer shows that the account lives
// in the region asked: success, a two-factor request or a new-device
// refusal.
func accountHere(err error) bool {
	var tfa *TFARequired
	var e *Error
	return err == nil || errors.As(err, &tfa) || (errors.As(err, &e) && e.Code == 1022)
}

// moveTo follows a login that found the account at to, having started
// from prev. A successful login has already moved the client (adoptAuth
// sets the token and the region together); a 2297 or 1022 answer moves it
// here, so that TFALogin goes where the account lives, unless another
// login changed the client meanwhile.
func (c *Client) moveTo(prev, to state, loggedIn bool) {
	if prev.base == to.base {
		return
	}
	if !loggedIn {
		c.mu.Lock()
		moved := c.base == prev.base && c.token == prev.token
		if moved {
			c.region, c.base, c.scheme = to.region, to.base, to.scheme
		}
		c.mu.Unlock()
		if !moved {
			return
		}
		// Don't reuse a connection that belonged to the other host.
		c.hc.CloseIdleConnections()
	}
	c.log.Info("pcloud: switched region", "region", string(to.region), "base", to.base)
}

// loginAt does one password login at st's base URL (see loginOnce). A
// retryable failure starts over with a fresh digest (a digest is single
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

// loginOnce is the password login of pcloud-api.md: getdigest, then the
// login method with getauth=1 (never logout=1: it would end the person's
// other sessions); when that answers without auth, or refuses in a way
// that is neither a wrong password (2000), a two-factor or new-device
// answer, a rate limit nor a server error, the same with userinfo. When
// both fail so, pCloud does not take passwords from apps: [*PasswordsRefused].
func (c *Client) loginOnce(ctx context.Context, st state, email, password string) (UserInfo, error) {
	ui, err := c.passwordCall(ctx, st, "login", email, password)
	if err == nil || !refusal(err) || ctx.Err() != nil {
		return ui, err
	}
	c.log.Info("pcloud: the login method gave no token, trying userinfo", "why", err.Error())
	ui, err2 := c.passwordCall(ctx, st, "userinfo", email, password)
	if err2 == nil || !refusal(err2) {
		return ui, err2
	}
	pr := &PasswordsRefused{}
	for _, e := range []error{err, err2} {
		var ae *Error
		if errors.As(e, &ae) && ae.Code != 0 && pr.Code == 0 {
			pr.Code, pr.Message, pr.Method = ae.Code, ae.Message, ae.Method
		}
	}
	return UserInfo{}, pr
}

// errNoAuth is a password login answered with success but no token.
var errNoAuth = errors.New("no auth token in the answer")

// refusal reports whether a password login's error means this way of
// logging in does not work (an answer without a token, or an unexpected
// refusal), as opposed to an answer about the person's account or a
// passing failure.
func refusal(err error) bool {
	if errors.Is(err, errNoAuth) {
		return true
	}
	var tfa *TFARequired
	var e *Error
	if errors.As(err, &tfa) || !errors.As(err, &e) || e.Code == 0 {
		return false
	}
	switch c := e.Code; {
	case c == 2000, c == 1022, c == 2297, c >= 4000:
		return false
	}
	return true
}

// passwordCall is getdigest, then method ("login" or "userinfo") with the
// password digest and getauth=1; it keeps the token on success.
func (c *Client) passwordCall(ctx context.Context, st state, method, email, password string) (UserInfo, error) {
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
		method:   method,
		attempts: 1,
		params: url.Values{
			"getauth":        {"1"},
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
	var token string
	if field(ans, "auth", &token) != nil || token == "" {
		return UserInfo{}, fmt.Errorf("pcloud: %s: %w", method, errNoAuth)
	}
	return c.adoptAuth(st, method, ans)
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

// tfaError turns a 2297 answer into [*TFARequired]. The answer's token and
// tfatype travel in the [*Error]'s extra (see once).
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

// TFALogin finishes a two-factor login with the token from [*TFARequired] and
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
