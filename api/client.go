package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

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

// Options configure a [Client]. The zero value talks to the US region with
// no token.
type Options struct {
	BaseURL    string            // "" → by Region (RegionURLs, then BaseURL(Region))
	Region     Region            // "" → us, or the region BaseURL belongs to
	RegionURLs map[Region]string // per-region base URLs (tests); used for the other-region retry
	Token      string
	TokenKind  TokenKind
	// TokenFrom names where Token came from when it is not a saved login
	// ("PCLOUD_TOKEN"): when pCloud refuses the token, [Sentence] names it.
	TokenFrom   string
	HTTPClient  *http.Client                    // nil → connect 10s, response header 30s, no overall timeout
	Logger      *slog.Logger                    // nil → discard; never logs secrets
	MaxAttempts int                             // attempts for retryable errors; 0 → 4
	Backoff     func(attempt int) time.Duration // wait after failed attempt n (1-based); nil → jittered exponential 250ms..5s
}

// DefaultMaxAttempts is the number of attempts when [Options.MaxAttempts] is 0.
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

// New makes a [Client]. It refuses a plain http:// base URL unless its host
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
	if err := c.setURLs(o); err != nil {
		return nil, err
	}
	u, _ := url.Parse(c.base)
	c.scheme = u.Scheme
	return c, nil
}

// setURLs checks o's region and URLs and picks the client's region and base
// URL: [BaseURL] when given (its region is o.Region, else the region whose
// RegionURLs entry or official URL it is, else US), else the URL of
// o.Region (US when empty).
func (c *Client) setURLs(o Options) error {
	region := o.Region
	if region != "" {
		r, err := ParseRegion(string(region))
		if err != nil {
			return err
		}
		region = r
	}
	for r, u := range o.RegionURLs {
		rr, err := ParseRegion(string(r))
		if err != nil {
			return err
		}
		v, err := checkBaseURL(u)
		if err != nil {
			return fmt.Errorf("pcloud: region %s URL: %w", rr, err)
		}
		c.regionURLs[rr] = v
	}
	switch {
	case o.BaseURL != "":
		v, err := checkBaseURL(o.BaseURL)
		if err != nil {
			return err
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
	return nil
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

// Region returns the region in use; after [Client.Login] or a first authenticated
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

// TokenKind returns how the token is sent ([TokenUnknown] until the first
// authenticated call found it, for a token given as [TokenUnknown]).
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
