package pcloudtest

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"time"
)

func (c *call) getdigest() reply {
	s := c.s
	d := randomHex(20)
	exp := s.now().Add(digestTTL)
	s.mu.Lock()
	// Forget expired digests so the map stays small.
	now := s.now()
	for k, e := range s.digests {
		if now.After(e) {
			delete(s.digests, k)
		}
	}
	s.digests[d] = exp
	s.mu.Unlock()
	return reply{"result": 0, "digest": d, "expires": c.date(exp)}
}

// PasswordDigest is pCloud's passworddigest for a digest login:
// hex(sha1(password + hex(sha1(lower(username))) + digest)), lower-case hex.
func PasswordDigest(username, password, digest string) string {
	u := sha1.Sum([]byte(strings.ToLower(username)))
	d := sha1.Sum([]byte(password + hex.EncodeToString(u[:]) + digest))
	return hex.EncodeToString(d[:])
}

// badLoginLocked notes a failed login in the call's region; s.mu is held.
// Unverified choice: only a wrong password (or digest) for an account that
// lives in this region, and a wrong 2FA code, count; an unknown account does
// not, so a client's region fallback never locks itself out.
func (c *call) badLoginLocked() {
	s := c.s
	now := s.now()
	var keep []time.Time
	for _, t := range s.bad[c.region] {
		if now.Sub(t) < s.window {
			keep = append(keep, t)
		}
	}
	keep = append(keep, now)
	s.bad[c.region] = keep
	if len(keep) >= s.maxBad {
		s.lockUntil[c.region] = now.Add(s.lockout)
	}
}

func (c *call) lockedLocked() bool {
	u := c.s.lockUntil[c.region]
	return !u.IsZero() && c.s.now().Before(u)
}

// conn is the connection's memory (nil outside a server connection).
func (c *call) conn() *connState {
	cs, _ := c.r.Context().Value(connKey{}).(*connState)
	return cs
}

// rememberLocked notes a login on the connection; s.mu is held.
func (c *call) rememberLocked(email string, replace bool) {
	cs := c.conn()
	if cs == nil {
		return
	}
	if replace || cs.email == "" || cs.gen != c.s.sessions {
		cs.email, cs.gen = email, c.s.sessions
	}
}

func (c *call) passwordLogin(method string) reply {
	s := c.s
	s.mu.Lock()
	if c.lockedLocked() {
		s.mu.Unlock()
		return fail(4000)
	}
	if s.refusePasswords {
		s.mu.Unlock()
		return fail(PasswordsRefusedCode)
	}
	user := c.p.Get("username")
	a := s.accounts[strings.ToLower(user)]
	ok := false
	switch {
	case c.p.Has("passworddigest") || c.p.Has("digest"):
		d := c.p.Get("digest")
		exp, known := s.digests[d]
		if known {
			delete(s.digests, d) // single use
		}
		if known && !s.now().After(exp) && a != nil &&
			c.p.Get("passworddigest") == PasswordDigest(user, a.Password, d) {
			ok = true
		}
	case c.p.Has("password"):
		ok = a != nil && c.p.Get("password") == a.Password
	}
	// An account of the other region is unknown here: 2000.
	if !ok || a.Region != c.region {
		if a != nil && a.Region == c.region {
			c.badLoginLocked()
		}
		s.mu.Unlock()
		return fail(2000)
	}
	if a.NewDevice && !a.approved {
		s.mu.Unlock()
		return fail(1022)
	}
	if a.TFA {
		t := randomHex(24)
		s.tfa[t] = &tfaPending{email: strings.ToLower(a.Email), region: a.Region, expires: s.now().Add(tfaTokenTTL)}
		s.mu.Unlock()
		r := fail(2297)
		r["token"] = t
		r["tfatype"] = a.TFAType
		return r
	}
	var tok string
	noAuth := (method == "userinfo" && s.noAuthUserinfo) || (method == "login" && s.noAuthLogin)
	if c.p.Get("getauth") == "1" && !noAuth {
		tok = randomHex(32)
		s.tokens[tok] = tokenInfo{email: strings.ToLower(a.Email), region: a.Region}
	}
	c.rememberLocked(strings.ToLower(a.Email), c.p.Get("logout") == "1")
	s.mu.Unlock()
	return c.userinfo(a, tok)
}

func (c *call) tfaLogin() reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.lockedLocked() {
		return fail(4000)
	}
	t := c.p.Get("token")
	p := s.tfa[t]
	if p == nil || !s.now().Before(p.expires) || p.region != c.region {
		delete(s.tfa, t)
		return fail(2064)
	}
	if !c.has("code") {
		return fail(1022)
	}
	a := s.accounts[p.email]
	if c.p.Get("code") != a.TFACode {
		c.badLoginLocked()
		return fail(2012)
	}
	delete(s.tfa, t)
	var tok string
	if c.p.Get("getauth") == "1" {
		tok = randomHex(32)
		s.tokens[tok] = tokenInfo{email: p.email, region: p.region}
	}
	c.rememberLocked(p.email, true)
	return c.userinfoLocked(a, tok)
}

func (c *call) tfaSendSMS() reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.tfa[c.p.Get("token")]
	if p == nil || !s.now().Before(p.expires) {
		return fail(2064)
	}
	return reply{"result": 0, "phonecountrycode": "1", "phonenumber": "*** *** **42"}
}

// authed resolves the caller's token: 1000 when there is none, 2000 for a bad
// auth=, 2094 for a bad bearer (unknown, revoked or of the other region).
// With SetConnMemory the connection's first login wins.
func (c *call) authed() (*account, int) {
	tok, bearer := c.token()
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ti, ok := s.tokens[tok]
	ok = ok && ti.region == c.region && (bearer || !ti.oauth)
	if s.connMem {
		if cs := c.conn(); cs != nil && cs.email != "" && cs.gen == s.sessions && (!ok || ti.email != cs.email) {
			return s.accounts[cs.email], 0
		}
	}
	switch {
	case tok == "":
		return nil, 1000
	case !ok && bearer:
		return nil, 2094
	case !ok:
		return nil, 2000
	}
	c.rememberLocked(ti.email, false)
	return s.accounts[ti.email], 0
}

// token returns the token of the request and whether it came as a bearer.
func (c *call) token() (string, bool) {
	if t := c.p.Get("auth"); t != "" {
		return t, false
	}
	if t := c.p.Get("access_token"); t != "" {
		return t, true
	}
	h := c.r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

func (c *call) logout() reply {
	tok, _ := c.token()
	if _, code := c.authed(); code != 0 {
		return fail(code)
	}
	c.s.mu.Lock()
	delete(c.s.tokens, tok)
	if cs := c.conn(); cs != nil {
		cs.email = ""
	}
	c.s.mu.Unlock()
	return reply{"result": 0, "auth_deleted": true}
}

func (c *call) userinfo(a *account, tok string) reply {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.userinfoLocked(a, tok)
}

func (c *call) userinfoLocked(a *account, tok string) reply {
	var used int64
	for _, f := range c.s.lib.files {
		used += f.size
	}
	quota := int64(10) << 30
	if a.Premium {
		quota = 500 << 30
	}
	r := reply{
		"result":        0,
		"email":         a.Email,
		"emailverified": true,
		"userid":        a.userID,
		"premium":       a.Premium,
		"quota":         quota,
		"usedquota":     used,
		"language":      "en",
		"registered":    c.date(baseTime.Add(-24 * time.Hour)),
		"plan":          0,
		"cryptosetup":   false,
	}
	if tok != "" {
		r["auth"] = tok
	}
	return r
}
