// Package scrobbletest has fake ListenBrainz and Last.fm servers for
// tests: they check the token, the session key and Last.fm's signatures
// (computed here on their own, as Last.fm documents them), record what
// they accept, and can be switched to answer 503 or 429.
package scrobbletest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Listen is a listen (or a "now playing") a fake accepted.
type Listen struct {
	Type       string // ListenBrainz: single, import, playing_now; Last.fm: scrobble, nowplaying
	ListenedAt int64  // 0 for now playing
	Artist     string
	Track      string
	Album      string
}

// fault is a switch for the answers: 0 normal, 503 or 429.
type fault struct {
	code       int
	retryAfter int
}

// ListenBrainz is a fake ListenBrainz API.
type ListenBrainz struct {
	srv *httptest.Server

	mu       sync.Mutex
	tokens   map[string]string // token → user name
	listens  []Listen
	playing  []Listen
	fault    fault
	agents   []string
	refused  int
	requests int
	// X-RateLimit-Remaining and -Reset-In of the answers (remaining -1:
	// 29 of 30, reset in 10 s).
	remaining int
	resetIn   int
}

// NewListenBrainz starts a fake that takes the tokens (token → user name).
func NewListenBrainz(tokens map[string]string) *ListenBrainz {
	f := &ListenBrainz{tokens: tokens, remaining: -1}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /1/validate-token", f.validate)
	mux.HandleFunc("POST /1/submit-listens", f.submit)
	f.srv = httptest.NewServer(mux)
	return f
}

// URL is the API root.
func (f *ListenBrainz) URL() string { return f.srv.URL }

// Handler serves the API without the network (a test's RoundTripper).
func (f *ListenBrainz) Handler() http.Handler { return f.srv.Config.Handler }

// Close stops the server.
func (f *ListenBrainz) Close() { f.srv.Close() }

// Fail makes every call answer code (503, 429; 0: normal again), with
// Retry-After seconds when retryAfter > 0.
func (f *ListenBrainz) Fail(code, retryAfter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault{code, retryAfter}
}

// RateLimit makes the answers say remaining requests are left in the
// window, which resets in resetIn seconds.
func (f *ListenBrainz) RateLimit(remaining, resetIn int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.remaining, f.resetIn = remaining, resetIn
}

// Listens are the listens accepted, in order.
func (f *ListenBrainz) Listens() []Listen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Listen(nil), f.listens...)
}

// Playing are the playing_now submissions accepted.
func (f *ListenBrainz) Playing() []Listen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Listen(nil), f.playing...)
}

// Requests counts the calls, answered or failed.
func (f *ListenBrainz) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Refused counts the calls refused for a bad token.
func (f *ListenBrainz) Refused() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refused
}

// UserAgents are the User-Agent headers seen.
func (f *ListenBrainz) UserAgents() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.agents...)
}

func lbError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "error": msg})
}

// gate counts the call and answers the fault or a bad token; ok is
// false when it answered.
func (f *ListenBrainz) gate(w http.ResponseWriter, r *http.Request) (user string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.agents = append(f.agents, r.Header.Get("User-Agent"))
	w.Header().Set("X-RateLimit-Limit", "30")
	w.Header().Set("X-RateLimit-Remaining", "29")
	w.Header().Set("X-RateLimit-Reset-In", "10")
	if f.remaining >= 0 {
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(f.remaining))
		w.Header().Set("X-RateLimit-Reset-In", strconv.Itoa(f.resetIn))
	}
	if c := f.fault.code; c != 0 {
		if f.fault.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.fault.retryAfter))
			w.Header().Set("X-RateLimit-Reset-In", strconv.Itoa(f.fault.retryAfter))
		}
		if c == http.StatusTooManyRequests {
			w.Header().Set("X-RateLimit-Remaining", "0")
		}
		lbError(w, c, http.StatusText(c))
		return "", false
	}
	tok, found := strings.CutPrefix(r.Header.Get("Authorization"), "Token ")
	user, known := f.tokens[tok]
	if !found || !known {
		f.refused++
		lbError(w, http.StatusUnauthorized, "You need to provide an Authorization header.")
		return "", false
	}
	return user, true
}

func (f *ListenBrainz) validate(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	c := f.fault.code
	f.mu.Unlock()
	if c == 0 {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Token ")
		f.mu.Lock()
		user, known := f.tokens[tok]
		f.requests++
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !known {
			json.NewEncoder(w).Encode(map[string]any{"code": 200, "message": "Token invalid.", "valid": false})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"code": 200, "message": "Token valid.", "valid": true, "user_name": user})
		return
	}
	f.gate(w, r)
}

func (f *ListenBrainz) submit(w http.ResponseWriter, r *http.Request) {
	if _, ok := f.gate(w, r); !ok {
		return
	}
	var body struct {
		Type    string `json:"listen_type"`
		Payload []struct {
			ListenedAt int64 `json:"listened_at"`
			Meta       struct {
				Artist  string `json:"artist_name"`
				Track   string `json:"track_name"`
				Release string `json:"release_name"`
			} `json:"track_metadata"`
		} `json:"payload"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		lbError(w, http.StatusBadRequest, "Invalid JSON document submitted.")
		return
	}
	switch {
	case len(body.Payload) == 0:
		lbError(w, http.StatusBadRequest, "No listens in payload.")
		return
	case body.Type != "import" && len(body.Payload) != 1:
		lbError(w, http.StatusBadRequest, "JSON document should contain exactly one listen.")
		return
	case body.Type != "single" && body.Type != "import" && body.Type != "playing_now":
		lbError(w, http.StatusBadRequest, "Invalid listen_type.")
		return
	}
	var got []Listen
	for _, p := range body.Payload {
		switch {
		case p.Meta.Artist == "" || p.Meta.Track == "":
			lbError(w, http.StatusBadRequest, "JSON document does not contain required fields.")
			return
		case body.Type == "playing_now" && p.ListenedAt != 0:
			lbError(w, http.StatusBadRequest, "playing_now listens must not have listened_at.")
			return
		case body.Type != "playing_now" && p.ListenedAt <= 0:
			lbError(w, http.StatusBadRequest, "JSON document must contain listened_at.")
			return
		}
		got = append(got, Listen{Type: body.Type, ListenedAt: p.ListenedAt, Artist: p.Meta.Artist, Track: p.Meta.Track, Album: p.Meta.Release})
	}
	f.mu.Lock()
	if body.Type == "playing_now" {
		f.playing = append(f.playing, got...)
	} else {
		f.listens = append(f.listens, got...)
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintln(w, `{"status":"ok"}`)
}

// Lastfm is a fake Last.fm API (2.0): the desktop auth flow and the
// scrobbling calls, each signature checked.
type Lastfm struct {
	srv    *httptest.Server
	apiKey string
	secret string

	mu       sync.Mutex
	tokens   map[string]bool   // request tokens → approved
	sessions map[string]string // session key → user
	user     string
	next     int
	scrobs   []Listen
	playing  []Listen
	badSigs  int
	signed   int
	fault    fault
}

// NewLastfm starts a fake for the app apiKey/secret; user is the account
// that approves tokens.
func NewLastfm(apiKey, secret, user string) *Lastfm {
	f := &Lastfm{apiKey: apiKey, secret: secret, user: user, tokens: map[string]bool{}, sessions: map[string]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// URL is the API root.
func (f *Lastfm) URL() string { return f.srv.URL + "/2.0/" }

// Handler serves the API without the network (a test's RoundTripper).
func (f *Lastfm) Handler() http.Handler { return f.srv.Config.Handler }

// Close stops the server.
func (f *Lastfm) Close() { f.srv.Close() }

// Fail makes every call answer code (503, 429; 0: normal again).
func (f *Lastfm) Fail(code, retryAfter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault{code, retryAfter}
}

// Approve approves every request token given so far, as the person
// would on Last.fm's page.
func (f *Lastfm) Approve() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for t := range f.tokens {
		f.tokens[t] = true
	}
}

// Session makes a session key for the user, as a finished login would.
func (f *Lastfm) Session() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	k := fmt.Sprintf("sk%032d", f.next)
	f.sessions[k] = f.user
	return k
}

// Scrobbles are the scrobbles accepted, in order.
func (f *Lastfm) Scrobbles() []Listen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Listen(nil), f.scrobs...)
}

// Playing are the updateNowPlaying calls accepted.
func (f *Lastfm) Playing() []Listen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Listen(nil), f.playing...)
}

// Signatures counts the calls whose signature was right, and wrong.
func (f *Lastfm) Signatures() (good, bad int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.signed, f.badSigs
}

// sign is Last.fm's api_sig: md5 of the sorted name+value pairs (without
// format, callback and api_sig) followed by the secret.
func sign(form map[string][]string, secret string) string {
	var names []string
	for k := range form {
		if k != "format" && k != "callback" && k != "api_sig" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	s := ""
	for _, k := range names {
		s += k + form[k][0]
	}
	sum := md5.Sum([]byte(s + secret))
	return hex.EncodeToString(sum[:])
}

func lfError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": code, "message": msg})
}

func (f *Lastfm) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		lfError(w, http.StatusMethodNotAllowed, 3, "Invalid Method")
		return
	}
	if err := r.ParseForm(); err != nil {
		lfError(w, http.StatusBadRequest, 6, "Invalid parameters")
		return
	}
	form := r.Form
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.fault.code {
	case 0:
	case http.StatusTooManyRequests:
		if f.fault.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.fault.retryAfter))
		}
		lfError(w, http.StatusTooManyRequests, 29, "Rate Limit Exceeded")
		return
	default:
		lfError(w, f.fault.code, 16, "There was a temporary error processing your request. Please try again")
		return
	}
	if form.Get("api_key") != f.apiKey {
		lfError(w, http.StatusForbidden, 10, "Invalid API key - You must be granted a valid key by last.fm")
		return
	}
	if form.Get("api_sig") != sign(form, f.secret) {
		f.badSigs++
		lfError(w, http.StatusForbidden, 13, "Invalid method signature supplied")
		return
	}
	f.signed++
	method := form.Get("method")
	switch method {
	case "auth.getToken":
		f.next++
		t := fmt.Sprintf("tok%029d", f.next)
		f.tokens[t] = false
		json.NewEncoder(w).Encode(map[string]any{"token": t})
		return
	case "auth.getSession":
		t := form.Get("token")
		approved, known := f.tokens[t]
		switch {
		case !known:
			lfError(w, http.StatusForbidden, 15, "Unauthorized Token - This token has expired")
		case !approved:
			lfError(w, http.StatusForbidden, 14, "Unauthorized Token - This token has not been authorized")
		default:
			delete(f.tokens, t)
			f.next++
			k := fmt.Sprintf("sk%030d", f.next)
			f.sessions[k] = f.user
			json.NewEncoder(w).Encode(map[string]any{"session": map[string]any{"name": f.user, "key": k, "subscriber": 0}})
		}
		return
	}
	if _, ok := f.sessions[form.Get("sk")]; !ok {
		lfError(w, http.StatusForbidden, 9, "Invalid session key - Please re-authenticate")
		return
	}
	switch method {
	case "track.updateNowPlaying":
		if form.Get("artist") == "" || form.Get("track") == "" {
			lfError(w, http.StatusBadRequest, 6, "Invalid parameters - artist and track are required")
			return
		}
		f.playing = append(f.playing, Listen{Type: "nowplaying", Artist: form.Get("artist"), Track: form.Get("track"), Album: form.Get("album")})
		json.NewEncoder(w).Encode(map[string]any{"nowplaying": map[string]any{}})
	case "track.scrobble":
		var got []Listen
		for i := 0; ; i++ {
			n := "[" + strconv.Itoa(i) + "]"
			if !form.Has("artist"+n) && !form.Has("track"+n) {
				break
			}
			ts, err := strconv.ParseInt(form.Get("timestamp"+n), 10, 64)
			if err != nil || form.Get("artist"+n) == "" || form.Get("track"+n) == "" {
				lfError(w, http.StatusBadRequest, 6, "Invalid parameters - artist, track and timestamp are required")
				return
			}
			got = append(got, Listen{Type: "scrobble", ListenedAt: ts, Artist: form.Get("artist" + n), Track: form.Get("track" + n), Album: form.Get("album" + n)})
		}
		if len(got) == 0 || len(got) > 50 {
			lfError(w, http.StatusBadRequest, 6, "Invalid parameters - 1 to 50 scrobbles")
			return
		}
		f.scrobs = append(f.scrobs, got...)
		json.NewEncoder(w).Encode(map[string]any{"scrobbles": map[string]any{"@attr": map[string]any{"accepted": len(got), "ignored": 0}}})
	default:
		lfError(w, http.StatusBadRequest, 3, "Invalid Method - No method with that name in this package")
	}
}
