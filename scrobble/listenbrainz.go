package scrobble

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/player"
)

// ListenBrainz is a client of the ListenBrainz API (or of a server that
// speaks it).
type ListenBrainz struct {
	Root      string           // API root, e.g. https://api.listenbrainz.org
	Token     func() string    // the user token; "" none
	HTTP      *http.Client     // nil: a client with a timeout
	UserAgent string           // "pcplay/VERSION"
	Now       func() time.Time // nil: time.Now
	mu        sync.Mutex       // guards notBefore
	notBefore time.Time        // the rate limit says: no request before
}

// lbBatch is how many listens one import sends (ListenBrainz takes up to
// 1000, within a size limit).
const lbBatch = 100

// Name implements Service.
func (c *ListenBrainz) Name() string { return "listenbrainz" }

// Title implements Service.
func (c *ListenBrainz) Title() string { return "ListenBrainz" }

// Ready implements Service.
func (c *ListenBrainz) Ready() bool { return c.Token() != "" }

// Credential implements Service.
func (c *ListenBrainz) Credential() string { return digest(c.Token()) }

// Batch implements Service.
func (c *ListenBrainz) Batch() int { return lbBatch }

func digest(s string) string {
	if s == "" {
		return ""
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

type lbSubmit struct {
	ListenType string     `json:"listen_type"`
	Payload    []lbListen `json:"payload"`
}

type lbListen struct {
	ListenedAt int64      `json:"listened_at,omitempty"`
	Meta       lbMetadata `json:"track_metadata"`
}

type lbMetadata struct {
	Artist  string         `json:"artist_name"`
	Track   string         `json:"track_name"`
	Release string         `json:"release_name,omitempty"`
	Info    map[string]any `json:"additional_info,omitempty"`
}

func (c *ListenBrainz) metadata(l Listen) lbMetadata {
	t := l.Track
	info := map[string]any{
		"media_player":              "pcplay",
		"submission_client":         "pcplay",
		"submission_client_version": strings.TrimPrefix(c.UserAgent, "pcplay/"),
	}
	if t.TrackNo > 0 {
		info["tracknumber"] = t.TrackNo
	}
	if l.Duration > 0 {
		info["duration_ms"] = l.Duration.Milliseconds()
	}
	return lbMetadata{Artist: t.Artist, Track: titleOf(t), Release: t.Album, Info: info}
}

// NowPlaying implements Service: a playing_now submission.
func (c *ListenBrainz) NowPlaying(ctx context.Context, l Listen) error {
	return c.submit(ctx, lbSubmit{ListenType: "playing_now", Payload: []lbListen{{Meta: c.metadata(l)}}})
}

// Submit implements Service: one listen as "single", more as "import".
func (c *ListenBrainz) Submit(ctx context.Context, ls []Listen) error {
	s := lbSubmit{ListenType: "single"}
	if len(ls) > 1 {
		s.ListenType = "import"
	}
	for _, l := range ls {
		s.Payload = append(s.Payload, lbListen{ListenedAt: l.Started.Unix(), Meta: c.metadata(l)})
	}
	return c.submit(ctx, s)
}

func (c *ListenBrainz) submit(ctx context.Context, s lbSubmit) error {
	body, err := json.Marshal(s)
	if err != nil {
		return &SendError{Verdict: Invalid, Msg: "the listen could not be put in JSON"}
	}
	_, err = c.do(ctx, http.MethodPost, "/1/submit-listens", body)
	return err
}

// ValidateToken asks ListenBrainz whether token is valid, and whose it
// is. A token it refuses is a *SendError with Verdict Refused.
func (c *ListenBrainz) ValidateToken(ctx context.Context, token string) (user string, err error) {
	b, err := c.doWith(ctx, token, http.MethodGet, "/1/validate-token", nil)
	if err != nil {
		return "", err
	}
	var v struct {
		Valid bool   `json:"valid"`
		User  string `json:"user_name"`
	}
	if json.Unmarshal(b, &v) != nil {
		return "", &SendError{Verdict: Retry, Msg: "ListenBrainz's answer to the token check was not understood"}
	}
	if !v.Valid {
		return "", &SendError{Verdict: Refused, Msg: "ListenBrainz says this token is not valid"}
	}
	return v.User, nil
}

// do makes one request and returns the answer's body on a 2xx. It waits
// first when the last answer's rate limit said so.
func (c *ListenBrainz) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	return c.doWith(ctx, c.Token(), method, path, body)
}

func (c *ListenBrainz) doWith(ctx context.Context, tok, method, path string, body []byte) ([]byte, error) {
	if err := c.waitLimit(ctx); err != nil {
		return nil, err
	}
	if tok == "" {
		return nil, &SendError{Verdict: Refused, Msg: "there is no ListenBrainz token"}
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.Root, "/")+path, rd)
	if err != nil {
		return nil, &SendError{Verdict: Refused, Msg: "the ListenBrainz URL is not usable"}
	}
	req.Header.Set("Authorization", "Token "+tok)
	req.Header.Set("User-Agent", c.UserAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpClient(c.HTTP).Do(req)
	if err != nil {
		return nil, &SendError{Verdict: Retry, Msg: "ListenBrainz: " + netSentence(err)}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	c.noteLimit(resp)
	if resp.StatusCode/100 == 2 {
		return b, nil
	}
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(b, &e)
	return nil, statusError("ListenBrainz", resp, strings.ReplaceAll(e.Error, tok, "…"))
}

// noteLimit remembers ListenBrainz's rate limit: with no requests left in
// the window, the next one waits until it resets.
func (c *ListenBrainz) noteLimit(resp *http.Response) {
	rem, err := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining"))
	if err != nil || rem > 0 || resp.StatusCode == http.StatusTooManyRequests {
		return // 429: the sender waits itself
	}
	if w := retryAfter(http.Header{"X-Ratelimit-Reset-In": resp.Header.Values("X-RateLimit-Reset-In")}); w > 0 {
		c.mu.Lock()
		c.notBefore = c.now().Add(w)
		c.mu.Unlock()
	}
}

func (c *ListenBrainz) waitLimit(ctx context.Context) error {
	c.mu.Lock()
	d := c.notBefore.Sub(c.now())
	c.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *ListenBrainz) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// httpClient is c, or a client with a timeout.
func httpClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return defaultHTTP
}

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// titleOf is the track's title, else its file name without the
// extension.
func titleOf(t player.Track) string {
	if s := strings.TrimSpace(t.Title); s != "" {
		return s
	}
	return strings.TrimSpace(strings.TrimSuffix(t.Name, path.Ext(t.Name)))
}
