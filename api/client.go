package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Region is where a pCloud account lives.
type Region string

// The two pCloud regions.
const (
	RegionUS Region = "us"
	RegionEU Region = "eu"
)

// BaseURL returns the API base URL of a region: https://api.pcloud.com for
// the US (and anything unknown), https://eapi.pcloud.com for the EU.
func BaseURL(r Region) string {
	if r == RegionEU {
		return "https://eapi.pcloud.com"
	}
	return "https://api.pcloud.com"
}

// ParseRegion reads "us" or "eu" (any case, surrounding space ignored).
func ParseRegion(s string) (Region, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "us":
		return RegionUS, nil
	case "eu":
		return RegionEU, nil
	}
	return "", fmt.Errorf("pcloud: unknown region %q: use us or eu", s)
}

func otherRegion(r Region) Region {
	if r == RegionEU {
		return RegionUS
	}
	return RegionEU
}

// TokenKind says how a token is sent.
type TokenKind int

// Token kinds.
const (
	TokenAuth    TokenKind = iota // auth= parameter; from a password login
	TokenBearer                   // OAuth access token; Authorization: Bearer
	TokenUnknown                  // not known (PCLOUD_TOKEN): the first authenticated call tries auth=, then bearer
)

func (k TokenKind) String() string {
	switch k {
	case TokenAuth:
		return "auth"
	case TokenBearer:
		return "bearer"
	case TokenUnknown:
		return "unknown"
	}
	return fmt.Sprintf("TokenKind(%d)", int(k))
}

// Options configure a Client. The zero value talks to the US region with
// no token.
type Options struct {
	BaseURL    string            // "" → by Region (RegionURLs, then BaseURL(Region))
	Region     Region            // "" → us, or the region BaseURL belongs to
	RegionURLs map[Region]string // per-region base URLs (tests); used for the other-region retry
	Token      string
	TokenKind  TokenKind
	// TokenFrom names where Token came from when it is not a saved login
	// ("PCLOUD_TOKEN"): when pCloud refuses the token, Sentence names it.
	TokenFrom   string
	HTTPClient  *http.Client                    // nil → connect 10s, response header 30s, no overall timeout
	Logger      *slog.Logger                    // nil → discard; never logs secrets
	MaxAttempts int                             // attempts for retryable errors; 0 → 4
	Backoff     func(attempt int) time.Duration // wait after failed attempt n (1-based); nil → jittered exponential 250ms..5s
}

// DefaultMaxAttempts is the number of attempts when Options.MaxAttempts is 0.
const DefaultMaxAttempts = 4

// maxBody bounds an API answer (a recursive listing of a huge library is
// a few tens of MB).
const maxBody = 256 << 20

// Client is a pCloud API client. It is safe for concurrent use.
type Client struct {
	hc          *http.Client
	log         *slog.Logger
	maxAttempts int
	backoff     func(int) time.Duration
	regionURLs  map[Region]string // validated, no trailing slash
	defaultURLs bool              // base URL came from BaseURL(region): the other region is known
	tokenFrom   string            // Options.TokenFrom

	mu        sync.Mutex
	region    Region
	base      string
	scheme    string
	token     string
	kind      TokenKind
	confirmed bool // an authenticated call succeeded with this token and base
}

// New makes a Client. It refuses a plain http:// base URL unless its host
// is loopback (127.0.0.0/8, ::1, localhost).
func New(o Options) (*Client, error) {
	c := &Client{
		hc:          o.HTTPClient,
		log:         o.Logger,
		maxAttempts: o.MaxAttempts,
		backoff:     o.Backoff,
		regionURLs:  map[Region]string{},
		token:       o.Token,
		kind:        o.TokenKind,
		tokenFrom:   o.TokenFrom,
	}
	if o.TokenKind != TokenAuth && o.TokenKind != TokenBearer && o.TokenKind != TokenUnknown {
		return nil, fmt.Errorf("pcloud: unknown token kind %d", int(o.TokenKind))
	}
	if strings.ContainsAny(o.Token, " \t\r\n") {
		return nil, errors.New("pcloud: the token contains white space")
	}
	if c.maxAttempts < 0 {
		return nil, fmt.Errorf("pcloud: MaxAttempts %d is negative", o.MaxAttempts)
	}
	if c.maxAttempts == 0 {
		c.maxAttempts = DefaultMaxAttempts
	}
	if c.backoff == nil {
		c.backoff = DefaultBackoff
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
	}
	region := o.Region
	if region != "" {
		r, err := ParseRegion(string(region))
		if err != nil {
			return nil, err
		}
		region = r
	}
	for r, u := range o.RegionURLs {
		rr, err := ParseRegion(string(r))
		if err != nil {
			return nil, err
		}
		v, err := checkBaseURL(u)
		if err != nil {
			return nil, fmt.Errorf("pcloud: region %s URL: %w", rr, err)
		}
		c.regionURLs[rr] = v
	}
	switch {
	case o.BaseURL != "":
		v, err := checkBaseURL(o.BaseURL)
		if err != nil {
			return nil, err
		}
		c.base = v
		if region == "" {
			for r, u := range c.regionURLs {
				if u == v {
					region = r
				}
			}
		}
		if region == "" {
			for _, r := range []Region{RegionUS, RegionEU} {
				if v == BaseURL(r) {
					region = r
				}
			}
		}
		if region == "" {
			region = RegionUS
		}
		c.defaultURLs = v == BaseURL(region)
	default:
		if region == "" {
			region = RegionUS
		}
		if u, ok := c.regionURLs[region]; ok {
			c.base = u
		} else {
			c.base = BaseURL(region)
			c.defaultURLs = true
		}
	}
	c.region = region
	u, _ := url.Parse(c.base)
	c.scheme = u.Scheme
	return c, nil
}

// checkBaseURL validates an API base URL and returns it without a trailing
// slash. Errors name the host, never user info.
func checkBaseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("pcloud: bad API URL: %s", Redact(err.Error()))
	}
	if u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("pcloud: bad API URL %q: it needs a scheme and a host, like https://api.pcloud.com", Redact(s))
	}
	if u.User != nil {
		return "", fmt.Errorf("pcloud: API URL for host %s must not carry a user name or password", u.Host)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("pcloud: API URL for host %s must not have a query or fragment", u.Host)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("pcloud: refusing plain http:// to %s: only loopback hosts may use http, use https", u.Host)
		}
	default:
		return "", fmt.Errorf("pcloud: API URL for host %s: scheme %q is not http or https", u.Host, u.Scheme)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), nil
}

func isLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func defaultHTTPClient() *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           d.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			ExpectContinueTimeout: time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConns:          10,
		},
		// pCloud's API does not redirect; a redirect could carry the
		// form to someone else.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

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

// Region returns the region in use; after Login or a first authenticated
// call it is the one that worked.
func (c *Client) Region() Region {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.region
}

// BaseURL returns the API base URL in use (no secrets in it).
func (c *Client) BaseURL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base
}

// Token returns the token in use ("" when logged out). It is a secret:
// save it with care, never print it.
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// TokenKind returns how the token is sent (TokenUnknown until the first
// authenticated call found it, for a token given as TokenUnknown).
func (c *Client) TokenKind() TokenKind {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.kind
}

// state is a consistent snapshot of the mutable fields.
type state struct {
	region    Region
	base      string
	scheme    string
	token     string
	kind      TokenKind
	confirmed bool
}

func (c *Client) snapshot() state {
	c.mu.Lock()
	defer c.mu.Unlock()
	return state{c.region, c.base, c.scheme, c.token, c.kind, c.confirmed}
}

// otherBase returns the other region and its base URL, or ok=false when it
// is not known (a custom BaseURL without RegionURLs).
func (c *Client) otherBase(st state) (Region, string, bool) {
	o := otherRegion(st.region)
	if u, ok := c.regionURLs[o]; ok && u != st.base {
		return o, u, true
	}
	if c.defaultURLs && len(c.regionURLs) == 0 {
		return o, BaseURL(o), true
	}
	return "", "", false
}

func (c *Client) switchRegion(r Region, base string) {
	c.mu.Lock()
	c.region, c.base = r, base
	if u, err := url.Parse(base); err == nil {
		c.scheme = u.Scheme
	}
	c.mu.Unlock()
	// Don't reuse a connection that belonged to the other host's login.
	c.hc.CloseIdleConnections()
	c.log.Info("pcloud: switched region", "region", string(r), "base", base)
}

// call is one API method with its parameters, sent by POST form so that no
// secret sits in a URL.
type call struct {
	method   string
	params   url.Values
	auth     bool     // add the client's token
	secrets  []string // extra values to scrub from errors (password, 2FA token)
	attempts int      // 0 → the client's MaxAttempts
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
	form := url.Values{}
	for k, v := range cl.params {
		form[k] = v
	}
	if cl.auth && st.kind != TokenBearer {
		form.Set("auth", st.token)
	}
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, st.base+"/"+cl.method, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &Error{Method: cl.method, Err: sanitize(err, secrets...), region: st.region}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "pcplay")
	if cl.auth && st.kind == TokenBearer {
		req.Header.Set("Authorization", "Bearer "+st.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		e := &Error{Method: cl.method, Err: sanitize(err, secrets...), region: st.region, ended: ctx.Err() != nil}
		c.log.Debug("pcloud: call failed", "method", cl.method, "host", req.URL.Host, "dur", time.Since(start), "err", e.Error())
		return nil, e
	}
	defer resp.Body.Close()
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
	ans, derr := decodeAnswer(body)
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
		return nil, &Error{Method: cl.method, Err: &decodeError{scrub(derr.Error(), secrets...)}, region: st.region}
	case code != 0:
		e := &Error{Method: cl.method, Code: code, Message: msg, HTTPStatus: nonOK(resp.StatusCode), region: st.region, token: cl.auth}
		if code == 2297 {
			e.extra = ans // the 2FA token and type, for tfaError
		}
		return nil, e
	}
	return ans, nil
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
