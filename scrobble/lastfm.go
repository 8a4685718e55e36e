package scrobble

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Lastfm is a client of the Last.fm API (version 2.0): signed calls as
// Last.fm documents them, all POSTed so that no key or token is in a URL.
type Lastfm struct {
	Root      string        // API root, e.g. https://ws.audioscrobbler.com/2.0/
	APIKey    string        // the app's API key
	Secret    string        // the app's shared secret
	Session   func() string // the user's session key; "" none
	HTTP      *http.Client  // nil: a client with a timeout
	UserAgent string
}

// lastfmBatch is how many scrobbles track.scrobble takes at once.
const lastfmBatch = 50

// Name implements Service.
func (c *Lastfm) Name() string { return "lastfm" }

// Title implements Service.
func (c *Lastfm) Title() string { return "Last.fm" }

// Ready implements Service.
func (c *Lastfm) Ready() bool { return c.APIKey != "" && c.Secret != "" && c.Session() != "" }

// Credential implements Service.
func (c *Lastfm) Credential() string { return digest(c.APIKey + "\x00" + c.Session()) }

// Batch implements Service.
func (c *Lastfm) Batch() int { return lastfmBatch }

// Sign is the api_sig of params as Last.fm documents it: the parameters
// (without format and callback) sorted by name, each name followed by its
// value, then the secret, hashed with MD5, in hex.
func Sign(params url.Values, secret string) string {
	names := make([]string, 0, len(params))
	for k := range params {
		if k != "format" && k != "callback" && k != "api_sig" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k)
		b.WriteString(params.Get(k))
	}
	b.WriteString(secret)
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// NowPlaying implements Service: track.updateNowPlaying.
func (c *Lastfm) NowPlaying(ctx context.Context, l Listen) error {
	p := url.Values{"method": {"track.updateNowPlaying"}, "sk": {c.Session()}}
	t := l.Track
	p.Set("artist", t.Artist)
	p.Set("track", titleOf(t))
	if t.Album != "" {
		p.Set("album", t.Album)
	}
	if t.TrackNo > 0 {
		p.Set("trackNumber", strconv.Itoa(t.TrackNo))
	}
	if l.Duration > 0 {
		p.Set("duration", strconv.Itoa(int(l.Duration.Seconds())))
	}
	_, err := c.call(ctx, p)
	return err
}

// Submit implements Service: track.scrobble with up to 50 listens.
func (c *Lastfm) Submit(ctx context.Context, ls []Listen) error {
	p := url.Values{"method": {"track.scrobble"}, "sk": {c.Session()}}
	for i, l := range ls {
		t := l.Track
		n := "[" + strconv.Itoa(i) + "]"
		p.Set("artist"+n, t.Artist)
		p.Set("track"+n, titleOf(t))
		p.Set("timestamp"+n, strconv.FormatInt(l.Started.Unix(), 10))
		if t.Album != "" {
			p.Set("album"+n, t.Album)
		}
		if t.TrackNo > 0 {
			p.Set("trackNumber"+n, strconv.Itoa(t.TrackNo))
		}
		if l.Duration > 0 {
			p.Set("duration"+n, strconv.Itoa(int(l.Duration.Seconds())))
		}
	}
	_, err := c.call(ctx, p)
	return err
}

// Token is auth.getToken: a request token for the person to approve.
func (c *Lastfm) Token(ctx context.Context) (string, error) {
	b, err := c.call(ctx, url.Values{"method": {"auth.getToken"}})
	if err != nil {
		return "", err
	}
	var v struct {
		Token string `json:"token"`
	}
	if json.Unmarshal(b, &v) != nil || v.Token == "" {
		return "", &SendError{Verdict: Retry, Msg: "Last.fm's answer to auth.getToken was not understood"}
	}
	return v.Token, nil
}

// AuthURL is the page where the person approves token.
func (c *Lastfm) AuthURL(authRoot, token string) string {
	return authRoot + "?" + url.Values{"api_key": {c.APIKey}, "token": {token}}.Encode()
}

// ErrNotApproved is GetSession's error while the person has not approved
// the token yet (Last.fm's error 14).
var ErrNotApproved = &SendError{Verdict: Retry, Msg: "the token is not approved yet"}

// GetSession is auth.getSession: the session key and user name once the
// person approved token; ErrNotApproved before.
func (c *Lastfm) GetSession(ctx context.Context, token string) (key, user string, err error) {
	b, err := c.call(ctx, url.Values{"method": {"auth.getSession"}, "token": {token}})
	if err != nil {
		return "", "", err
	}
	var v struct {
		Session struct {
			Name string `json:"name"`
			Key  string `json:"key"`
		} `json:"session"`
	}
	if json.Unmarshal(b, &v) != nil || v.Session.Key == "" {
		return "", "", &SendError{Verdict: Retry, Msg: "Last.fm's answer to auth.getSession was not understood"}
	}
	return v.Session.Key, v.Session.Name, nil
}

// call POSTs a signed call and returns the answer's body when it is not
// an error.
func (c *Lastfm) call(ctx context.Context, p url.Values) ([]byte, error) {
	if c.APIKey == "" || c.Secret == "" {
		return nil, &SendError{Verdict: Refused, Msg: "there is no Last.fm API key and secret"}
	}
	if p.Has("sk") && p.Get("sk") == "" {
		return nil, &SendError{Verdict: Refused, Msg: "there is no Last.fm session"}
	}
	p.Set("api_key", c.APIKey)
	p.Set("api_sig", Sign(p, c.Secret))
	p.Set("format", "json")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Root, strings.NewReader(p.Encode()))
	if err != nil {
		return nil, &SendError{Verdict: Refused, Msg: "the Last.fm URL is not usable"}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", c.UserAgent)
	resp, err := httpClient(c.HTTP).Do(req)
	if err != nil {
		return nil, &SendError{Verdict: Retry, Msg: "Last.fm: " + netSentence(err)}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var e struct {
		Error   int    `json:"error"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(b, &e)
	if e.Error != 0 {
		return nil, lastfmError(e.Error, c.scrub(e.Message, p), resp)
	}
	if resp.StatusCode/100 != 2 {
		return nil, statusError("Last.fm", resp, "")
	}
	return b, nil
}

// scrub takes the session key and the token out of a message of Last.fm's.
func (c *Lastfm) scrub(msg string, p url.Values) string {
	for _, k := range []string{"sk", "token", "api_sig"} {
		if v := p.Get(k); v != "" {
			msg = strings.ReplaceAll(msg, v, "…")
		}
	}
	if c.Secret != "" {
		msg = strings.ReplaceAll(msg, c.Secret, "…")
	}
	return msg
}

// lastfmError classifies Last.fm's error codes.
func lastfmError(code int, msg string, resp *http.Response) *SendError {
	e := &SendError{Msg: "Last.fm error " + strconv.Itoa(code)}
	if msg != "" {
		e.Msg += ": " + clipText(msg, 200)
	}
	switch code {
	case 14:
		return ErrNotApproved
	case 4, 9, 10, 13, 15, 26: // authentication, session, API key, signature, token expired, suspended key
		e.Verdict = Refused
	case 11, 16: // offline, temporarily unavailable
		e.Verdict = Retry
		e.Wait = retryAfter(resp.Header)
	case 29: // rate limit
		e.Verdict = Limited
		e.Wait = retryAfter(resp.Header)
	default:
		e.Verdict = Invalid
	}
	return e
}
