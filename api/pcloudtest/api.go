package pcloudtest

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// messages are pCloud's error strings by result code.
var messages = map[int]string{
	1000: "Log in required.",
	1002: "No full path or folderid provided.",
	1004: "No fileid or path provided.",
	1005: "Unknown content-type requested.",
	1017: "Invalid 'folderid' provided.",
	1018: "Invalid 'fileid' provided.",
	1022: "Please provide 'code'.",
	1067: "Please provide 'client_id' and 'request_id'.", // missingParamCode, unverified
	1099: "Unknown method.",
	2000: "Log in failed.",
	2002: "A component of parent directory does not exist.",
	2003: "Access denied.",
	2005: "Directory does not exist.",
	2009: "File not found.",
	2010: "Invalid path.",
	2012: "Invalid 'code' provided.",
	2044: "Video links can only be generated for videos.",
	2064: "2FA token expired.",
	2094: "Invalid 'access_token' provided.",
	2297: "Two-factor authentication required.",
	2313: "The request is not approved yet.",                      // OAuthNotYetCode, unverified
	2321: "Password logins are not allowed for this application.", // PasswordsRefusedCode, unverified
	4000: "Too many login tries from this IP address.",
	5000: "Internal error. Try again later.",
	5002: "Internal error, no servers available. Try again later.",
	7010: "Invalid link referer.",
}

// Message is pCloud's error string for a result code.
func Message(code int) string {
	if m, ok := messages[code]; ok {
		return m
	}
	return "Error " + strconv.Itoa(code) + "."
}

const (
	digestTTL   = 30 * time.Second
	tfaTokenTTL = 5 * time.Minute
)

type reply map[string]any

func fail(code int) reply { return reply{"result": code, "error": Message(code)} }

// call is one API request being answered.
type call struct {
	s      *Server
	region string
	r      *http.Request
	p      url.Values
	ts     bool       // timeformat=timestamp
	extra  url.Values // added to the log entry
}

func (c *call) date(t time.Time) any {
	if c.ts {
		return t.Unix()
	}
	return t.UTC().Format(time.RFC1123Z)
}

// has reports whether a parameter was given with a non-empty value.
func (c *call) has(k string) bool { return c.p.Get(k) != "" }

func (s *Server) apiHandler(region string) http.Handler {
	host := "api-" + region
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := strings.Trim(r.URL.Path, "/")
		if s.apiFault(w, r, region, method) { // faults.go
			return
		}
		s.mu.Lock()
		httpFail := 0
		if s.httpCalls > 0 {
			s.httpCalls--
			httpFail = s.httpCode
		}
		s.mu.Unlock()
		if httpFail != 0 {
			s.record(Request{Time: s.now(), Host: host, Method: method, Path: r.URL.Path, Params: redact(r.URL.Query()), Status: httpFail, Result: -1})
			http.Error(w, http.StatusText(httpFail), httpFail)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		var perr error
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			perr = r.ParseMultipartForm(1 << 20)
		} else {
			perr = r.ParseForm()
		}
		p := r.Form
		if p == nil {
			p = url.Values{}
		}
		c := &call{s: s, region: region, r: r, p: p, ts: p.Get("timeformat") == "timestamp", extra: url.Values{}}
		var resp reply
		if perr != nil {
			// An unreadable body: the parameters that could be read stay,
			// the call is answered like pCloud answers a bad request.
			resp = fail(1099)
			resp["error"] = "Bad request: " + perr.Error()
		} else {
			resp = c.dispatch(method)
		}
		code, _ := resp["result"].(int)
		body, err := json.Marshal(resp)
		if err != nil {
			body = []byte(`{"result":5000,"error":"Internal error. Try again later."}`)
			code = 5000
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if code != 0 {
			w.Header().Set("X-Error", strconv.Itoa(code))
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
		logged := redact(p)
		for k, v := range c.extra {
			logged[k] = v
		}
		s.record(Request{Time: s.now(), Host: host, Method: method, Path: r.URL.Path, Params: logged, Status: http.StatusOK, Result: code})
	})
}

func (c *call) dispatch(method string) reply {
	s := c.s
	// Browsers are refused (the doc: "Send no Referer/Origin").
	if c.r.Header.Get("Origin") != "" || c.r.Header.Get("Referer") != "" {
		return fail(7010)
	}
	s.mu.Lock()
	if s.failCalls > 0 {
		s.failCalls--
		code := s.failCode
		s.mu.Unlock()
		return fail(code)
	}
	s.mu.Unlock()
	if method == "diff" {
		return c.diff() // may block: not under the library's lock
	}
	s.lib.mu.RLock()
	defer s.lib.mu.RUnlock()
	if strings.HasPrefix(method, "collection_") {
		return c.collection(method)
	}
	switch method {
	case "getdigest":
		return c.getdigest()
	case "userinfo", "login":
		if c.has("username") {
			return c.passwordLogin(method)
		}
		a, code := c.authed()
		if code != 0 {
			return fail(code)
		}
		return c.userinfo(a, "")
	case "oauth2_token":
		return c.oauth2Token()
	case "tfa_login":
		return c.tfaLogin()
	case "tfa_sendcodeviasms":
		return c.tfaSendSMS()
	case "logout":
		return c.logout()
	case "listfolder":
		return c.listfolder()
	case "getaudiolink":
		return c.getlink(true)
	case "getfilelink":
		return c.getlink(false)
	}
	return fail(1099)
}

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

// resolveFile finds the file named by fileid or path: 1004 neither, 1018 a
// bad fileid, 2010/2002 a bad path, 2009 missing or a folder.
func (c *call) resolveFile() (*node, int) {
	switch {
	case c.has("fileid"):
		id, err := strconv.ParseUint(strings.TrimSpace(c.p.Get("fileid")), 10, 64)
		if err != nil {
			return nil, 1018
		}
		n := c.s.lib.files[id]
		if n == nil {
			return nil, 2009
		}
		return n, 0
	case c.has("path"):
		n, code := c.s.lib.lookup(c.p.Get("path"))
		if code != 0 {
			return nil, code
		}
		if n == nil || n.folder {
			return nil, 2009
		}
		return n, 0
	}
	return nil, 1004
}

func (c *call) resolveFolder() (*node, int) {
	switch {
	case c.has("folderid"):
		id, err := strconv.ParseUint(strings.TrimSpace(c.p.Get("folderid")), 10, 64)
		if err != nil {
			return nil, 1017
		}
		n := c.s.lib.folders[id]
		if n == nil {
			return nil, 2005
		}
		return n, 0
	case c.has("path"):
		n, code := c.s.lib.lookup(c.p.Get("path"))
		if code != 0 {
			return nil, code
		}
		if n == nil || !n.folder {
			return nil, 2005
		}
		return n, 0
	}
	return nil, 1002
}

var icons = map[int]string{0: "file", 1: "image", 2: "video", 3: "audio", 4: "document", 5: "archive"}

// meta is pCloud's metadata object, in the document's field order.
type meta struct {
	Name           string   `json:"name"`
	IsFolder       bool     `json:"isfolder"`
	FolderID       *uint64  `json:"folderid,omitempty"`
	FileID         *uint64  `json:"fileid,omitempty"`
	ParentFolderID *uint64  `json:"parentfolderid,omitempty"`
	ID             string   `json:"id"`
	Icon           string   `json:"icon"`
	Category       *int     `json:"category,omitempty"`
	ContentType    string   `json:"contenttype,omitempty"`
	Size           *int64   `json:"size,omitempty"`
	Hash           *uint64  `json:"hash,omitempty"`
	Created        any      `json:"created"`
	Modified       any      `json:"modified"`
	IsMine         bool     `json:"ismine"`
	IsShared       bool     `json:"isshared"`
	Thumb          bool     `json:"thumb"`
	Path           string   `json:"path,omitempty"`
	Artist         string   `json:"artist,omitempty"`
	Album          string   `json:"album,omitempty"`
	Title          string   `json:"title,omitempty"`
	Genre          string   `json:"genre,omitempty"`
	TrackNo        any      `json:"trackno,omitempty"`
	Contents       *[]*meta `json:"contents,omitempty"`
}

func (c *call) listfolder() reply {
	if _, code := c.authed(); code != 0 {
		return fail(code)
	}
	n, code := c.resolveFolder()
	if code != 0 {
		return fail(code)
	}
	if n.deniedHere() {
		return fail(2003)
	}
	if r := c.listLimit(n); r != nil {
		return r
	}
	md := c.metadata(n, true, c.p.Get("recursive") == "1", c.p.Get("nofiles") == "1")
	if c.has("path") && !c.has("folderid") {
		md.Path = n.path()
	}
	return reply{"result": 0, "metadata": md}
}

// metadata shapes a node like pCloud's metadata object.
func (c *call) metadata(n *node, withContents, recursive, nofiles bool) *meta {
	id := n.id
	m := &meta{
		Name:     n.name,
		IsFolder: n.folder,
		Created:  c.date(n.created),
		Modified: c.date(n.modified),
		IsMine:   true,
	}
	if n.parent != nil {
		pid := n.parent.id
		m.ParentFolderID = &pid
	}
	if n.folder {
		m.FolderID = &id
		m.ID = "d" + strconv.FormatUint(n.id, 10)
		m.Icon = "folder"
		if withContents {
			contents := make([]*meta, 0, len(n.children))
			for _, ch := range n.children {
				if nofiles && !ch.folder {
					continue
				}
				contents = append(contents, c.metadata(ch, recursive, recursive, nofiles))
			}
			m.Contents = &contents
		}
		return m
	}
	m.FileID = &id
	m.ID = "f" + strconv.FormatUint(n.id, 10)
	icon, ok := icons[n.category]
	if !ok {
		icon = "file"
	}
	m.Icon = icon
	cat, size, hash := n.category, n.size, n.hash
	m.Category, m.Size, m.Hash = &cat, &size, &hash
	m.ContentType = n.contentType
	m.Thumb = n.category == 1 || n.category == 2
	m.Artist, m.Album, m.Title, m.Genre = n.artist, n.album, n.title, n.genre
	if n.trackNo != 0 {
		if n.trackNoAsString {
			m.TrackNo = strconv.Itoa(n.trackNo)
		} else {
			m.TrackNo = n.trackNo
		}
	}
	return m
}

// Bitrate bounds of getaudiolink.
const (
	MinBitrate     = 16
	MaxBitrate     = 320
	DefaultBitrate = 192
)

func (c *call) getlink(audio bool) reply {
	if _, code := c.authed(); code != 0 {
		return fail(code)
	}
	n, code := c.resolveFile()
	if code != 0 {
		return fail(code)
	}
	if n.deniedHere() {
		return fail(2003)
	}
	s := c.s
	l := &link{file: n, audio: audio, asked: c.p.Get("abitrate")}
	if audio {
		if ct := c.p.Get("contenttype"); ct != "" && ct != "audio/mpeg" {
			return fail(1005)
		}
		// Unverified: the document names no error for a bitrate outside
		// 16..320, so it is clamped; a non-numeric one means the default.
		kbps := DefaultBitrate
		if v, err := strconv.Atoi(strings.TrimSpace(c.p.Get("abitrate"))); err == nil {
			kbps = min(max(v, MinBitrate), MaxBitrate)
		}
		if !n.playable() {
			return fail(2009) // choice: neither audio nor video
		}
		b, data, ok := n.variant(kbps)
		if !ok {
			return fail(2009) // an audio file without any variant to serve
		}
		l.bitrate, l.data = b, data
		c.extra.Set("served", strconv.Itoa(b))
	}
	id := randomHex(16)
	l.path = "/" + id + "/" + n.name // raw, as pcloud-api.md shows it: "/hash/My Audio.mp3"
	s.mu.Lock()
	now := s.now()
	l.expires = now.Add(s.linkTTL)
	s.links[id] = l
	// Links expired for over an hour are forgotten (their host then
	// answers 404, which the document lists with 410 for an expired link).
	if len(s.links)%256 == 0 {
		for k, old := range s.links {
			if now.Sub(old.expires) > time.Hour {
				delete(s.links, k)
			}
		}
	}
	s.mu.Unlock()
	return reply{"result": 0, "path": l.path, "hosts": s.linkHosts(), "expires": c.date(l.expires)}
}
