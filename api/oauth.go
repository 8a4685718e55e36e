package api

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// AuthorizeURL is pCloud's authorize page, where a person approves a
// sign-in request.
const AuthorizeURL = "https://my.pcloud.com/oauth2/authorize"

// requestIDLen is the length of a sign-in request id.
const requestIDLen = 40

// SignIn is one "sign in on another device" request: the person opens [SignIn.URL]
// (typed, or from a QR code on a phone) and approves; [Client.WaitSignIn] gets the
// token.
type SignIn struct {
	ClientID  string // the app's client_id from pCloud's "My Apps"
	RequestID string // 40 random letters A-Z (letters keep the QR code small)
	// OnTrouble, when set, hears every poll that ended early with neither
	// the token nor a refusal: an answer of pCloud's that is not the token
	// (its code for "not approved yet" is unverified, so none is final),
	// or the network's error. WaitSignIn goes on polling after it; a
	// screen shows it so that nobody waits in silence for a request that
	// can't succeed. It is called from WaitSignIn's goroutines and must
	// not block. Not for a held poll that ran out: that is the normal wait.
	OnTrouble func(error)
}

// NewSignIn makes a sign-in request with a fresh random request id.
func NewSignIn(clientID string) (SignIn, error) {
	clientID = strings.TrimSpace(clientID)
	if clientID == "" {
		return SignIn{}, errors.New("pcloud: signing in on another device needs the app's client_id")
	}
	if len(clientID) > 200 || strings.ContainsAny(clientID, " \t\r\n&?#/=%") {
		return SignIn{}, errors.New("pcloud: the client_id is not one pCloud gives (it has spaces or URL characters)")
	}
	// Uniform letters by rejection: 234 = 9·26.
	id := make([]byte, 0, requestIDLen)
	buf := make([]byte, 64)
	for len(id) < requestIDLen {
		if _, err := rand.Read(buf); err != nil {
			return SignIn{}, fmt.Errorf("pcloud: no randomness for the request id: %w", err)
		}
		for _, b := range buf {
			if b < 234 && len(id) < requestIDLen {
				id = append(id, 'A'+b%26)
			}
		}
	}
	return SignIn{ClientID: clientID, RequestID: string(id)}, nil
}

// URL is the page the person opens to approve the request:
// AuthorizeURL?client_id=…&response_type=poll_token&request_id=….
func (s SignIn) URL() string {
	return AuthorizeURL + "?client_id=" + url.QueryEscape(s.ClientID) +
		"&response_type=poll_token&request_id=" + url.QueryEscape(s.RequestID)
}

// SignInTrouble is one sentence for a poll of s that went wrong while the
// wait goes on ([SignIn.OnTrouble]): pCloud's own words when it answered,
// since none of its codes is known to mean "not approved yet", else what
// the network did. The request id, which would let anyone fetch the token,
// is never in it.
func SignInTrouble(err error, s SignIn) string {
	what := strings.TrimSuffix(Sentence(err), ".")
	var e *Error
	if errors.As(err, &e) && e.Code != 0 && e.Message != "" {
		what = fmt.Sprintf("it answers %q, code %d", strings.TrimSuffix(e.Message, "."), e.Code)
	}
	if s.RequestID != "" {
		what = strings.ReplaceAll(what, s.RequestID, "…")
	}
	return "pCloud has not taken the sign-in request yet (" + what + "); pcplay keeps asking."
}

// heldPoll is how long a poll must have been held for the next one to go
// out at once; a poll that ended sooner waits a back-off first.
const heldPoll = 2 * time.Second

// WaitSignIn waits until the person approves s: it long-polls oauth2_token
// (client_id, request_id) on every API host the client knows, the US and
// EU ones at once ([Options.RegionURLs], or pCloud's two when the client
// uses the default URLs; a custom [BaseURL] alone is polled alone). A poll
// that ends without a token (pCloud's "not yet" answer, whose code is
// unverified, a network error, a time-out) is sent again; a 1xxx refusal
// (a bad client_id) ends the wait with that error. Cancelling ctx stops
// every poll and returns ctx's error.
//
// The first token wins: the client then holds it as an OAuth access
// token ([TokenBearer]), in the region of the answer's locationid (1 US,
// 2 EU), at the host that answered. The returned [UserInfo] comes from a
// userinfo call with the new token; when that call fails the login still
// stands and [UserInfo] carries only the user id.
//
// WaitSignIn blocks: call it from a tea.Cmd with a context the screen
// cancels.
func (c *Client) WaitSignIn(ctx context.Context, s SignIn) (UserInfo, error) {
	if s.ClientID == "" || s.RequestID == "" {
		return UserInfo{}, errors.New("pcloud: the sign-in request has no client_id or request_id: make it with NewSignIn")
	}
	st := c.snapshot()
	st.token, st.kind, st.confirmed = "", TokenBearer, false
	hosts := []state{st}
	if r, base, ok := c.otherBase(st); ok {
		hosts = append(hosts, withBase(st, r, base))
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		at    state
		token string
		loc   int
		uid   uint64
		err   error
	}
	answers := make(chan answer, len(hosts))
	for _, h := range hosts {
		go func() {
			tok, loc, uid, err := c.pollSignIn(pctx, h, s)
			answers <- answer{h, tok, loc, uid, err}
		}()
	}
	var first error
	for range hosts {
		a := <-answers
		if a.err != nil {
			if ctx.Err() != nil {
				return UserInfo{}, ctx.Err()
			}
			if first == nil {
				first = a.err
				cancel() // a refusal ends the wait everywhere
			}
			continue
		}
		cancel()
		c.adoptBearer(a.at, a.token, a.loc)
		ui, err := c.UserInfo(ctx)
		if err != nil {
			c.log.Warn("pcloud: signed in, but userinfo failed", "err", err.Error())
			return UserInfo{UserID: a.uid}, nil
		}
		return ui, nil
	}
	return UserInfo{}, first
}

// pollSignIn polls one host until it gives the token, refuses the request,
// or ctx ends (ctx's error).
func (c *Client) pollSignIn(ctx context.Context, h state, s SignIn) (string, int, uint64, error) {
	p := url.Values{"client_id": {s.ClientID}, "request_id": {s.RequestID}}
	for n := 1; ; n++ {
		start := time.Now()
		ans, err := c.doAt(ctx, h, call{method: "oauth2_token", params: p, attempts: 1, secrets: []string{s.RequestID}})
		if ctx.Err() != nil {
			return "", 0, 0, ctx.Err()
		}
		if err == nil {
			var tok string
			var loc flexInt
			var uid flexUint
			if ferr := field(ans, "access_token", &tok); ferr != nil || tok == "" || strings.ContainsAny(tok, " \t\r\n") {
				return "", 0, 0, &Error{Method: "oauth2_token", Err: &decodeError{"no usable access_token in the answer"}, region: h.region}
			}
			_ = field(ans, "locationid", &loc)
			_ = field(ans, "uid", &uid)
			return tok, int(loc), uint64(uid), nil
		}
		var e *Error
		if errors.As(err, &e) && e.Code >= 1000 && e.Code < 1900 {
			return "", 0, 0, err
		}
		if time.Since(start) >= heldPoll {
			n = 0 // a held poll that ran out: ask again at once
			continue
		}
		c.log.Debug("pcloud: sign-in poll ended without a token", "host", h.base, "err", err.Error())
		if s.OnTrouble != nil {
			s.OnTrouble(err)
		}
		if sleep(ctx, c.backoff(min(n, 8))) != nil {
			return "", 0, 0, ctx.Err()
		}
	}
}

// adoptBearer keeps an OAuth access token from a sign-in answered at h,
// in the region locationid names (1 US, 2 EU; else h's).
func (c *Client) adoptBearer(h state, token string, locationID int) {
	to := h
	r := h.region
	switch locationID {
	case 1:
		r = RegionUS
	case 2:
		r = RegionEU
	}
	if r != h.region {
		to.region = r
		if o, base, ok := c.otherBase(h); ok && o == r {
			to = withBase(h, r, base)
		}
	}
	c.mu.Lock()
	c.token, c.kind, c.confirmed = token, TokenBearer, true
	c.region, c.base, c.scheme = to.region, to.base, to.scheme
	c.mu.Unlock()
	c.hc.CloseIdleConnections()
	c.log.Info("pcloud: signed in on another device", "region", string(to.region))
}
