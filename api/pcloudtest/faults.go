package pcloudtest

// Fault switches, for tests of how a client lives through a bad network and
// a bad service. Each applies from the call on, is safe for concurrent use,
// and is off by default.
//
// Stream hosts:
//   - SetHostDown(i, on): host i refuses connections (switches.go).
//   - SetHostStatus(i, code): host i answers every request with an HTTP
//     status (switches.go).
//   - SetSilentHost(on): a host that accepts the TCP connection and never
//     answers is listed first in getaudiolink's hosts.
//   - CutAfter, CutNextAfter: the connection is cut mid-body (the client
//     sees an error: short of Content-Length, or a chunked body without its
//     last chunk) (switches.go).
//   - EndStreamsAfter, EndNextStreamsAfter: the body goes out without
//     Content-Length and without chunking, and the server closes the
//     connection after n bytes: the client sees a clean end of file short of
//     the track's end.
//   - StallNextAfter: n bytes, then nothing on an open connection (switches.go).
//   - SetRate: a byte rate cap, e.g. SetRate(12_000) under a 128 kbit/s
//     (16 kB/s) stream (switches.go).
//   - ExpireNextLinks(n, status): the first use of each of the next n links
//     answers 403 or 410; ExpireOnFirstUse, ExpireAll, SetLinkTTL
//     (switches.go) expire links in other patterns.
//
// The API:
//   - FailNext(k, code), FailNextHTTP(k, status): the next k calls (switches.go).
//   - MalformNext(method, k, kind): the next k calls of a method answer
//     invalid JSON, an HTML page, an empty body, or the answer without
//     "result".
//   - FailMethod(method, code): every call of a method (or of every method)
//     answers code until cleared: an account-wide error.
//   - SetAPIDown(region, on) (switches.go); Down and Up: the whole of pCloud
//     (both APIs and every stream host) refuses connections, then comes back
//     on the same ports.
//
// The order on the API: MalformNext, then FailMethod, then FailNextHTTP,
// then FailNext; a call taken by one is not counted by the later ones.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Malformed is a kind of broken API answer (MalformNext).
type Malformed int

// The kinds of broken answers. Each comes with HTTP status 200, as a
// misbehaving front end or captive portal would send it; for an error
// status use FailNextHTTP.
const (
	// MalformedJSON: a JSON answer cut in the middle (Content-Type JSON).
	MalformedJSON Malformed = iota + 1
	// MalformedHTML: an HTML error page (Content-Type text/html).
	MalformedHTML
	// MalformedEmpty: an empty body (Content-Type JSON, Content-Length 0).
	MalformedEmpty
	// MalformedNoResult: the method's real answer without its "result"
	// member.
	MalformedNoResult
)

func (m Malformed) String() string {
	switch m {
	case MalformedJSON:
		return "invalid JSON"
	case MalformedHTML:
		return "an HTML page"
	case MalformedEmpty:
		return "an empty body"
	case MalformedNoResult:
		return "no result"
	}
	return "Malformed(" + strconv.Itoa(int(m)) + ")"
}

// htmlErrorPage is what MalformedHTML answers.
const htmlErrorPage = "<!DOCTYPE html>\n<html><head><title>Service Temporarily Unavailable</title></head>\n" +
	"<body><h1>Service Temporarily Unavailable</h1><p>Please try again later.</p></body></html>\n"

type malformPlan struct {
	left int
	kind Malformed
}

// faults is the state of the switches of this file, under Server.mu.
type faults struct {
	silent   *silentHost
	silentOn bool

	endAll   int64 // EndStreamsAfter; 0 off
	endNext  int64 // EndNextStreamsAfter's n
	endNextK int   // ... for that many more responses

	expireN      int                     // ExpireNextLinks
	expireStatus int                     // 403 or 410
	expiredWith  map[*link]int           // the status a link died with
	malform      map[string]*malformPlan // by method; "" any
	failMethod   map[string]int          // by method; "" every
}

// EndStreamsAfter makes every stream response that serves a body go out
// without Content-Length and without chunked encoding (the body runs until
// the connection closes, as HTTP allows) and end after n bytes with the
// server closing the connection: the client reads a clean end of file,
// short of the track's end when n is below the body's length. A body of at
// most n bytes is served whole the same way (so a very large n serves
// close-delimited bodies). 0 = off.
func (s *Server) EndStreamsAfter(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flt.endAll = max(n, 0)
}

// EndNextStreamsAfter is EndStreamsAfter for the next k responses that
// serve a body only (it wins over EndStreamsAfter for those).
func (s *Server) EndNextStreamsAfter(k int, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k <= 0 || n <= 0 {
		s.flt.endNext, s.flt.endNextK = 0, 0
		return
	}
	s.flt.endNext, s.flt.endNextK = n, k
}

// ExpireNextLinks makes the first use of each of the next n links that are
// used (a stream request on a link never used before) answer status (403 or
// 410; 0 means 410), after which the link stays dead with that status; later
// links work. So n links in a row expire however many times a client asks
// for a fresh one. n = 0 turns it off.
func (s *Server) ExpireNextLinks(n int, status int) {
	if status == 0 {
		status = http.StatusGone
	}
	if status != http.StatusForbidden && status != http.StatusGone {
		panic(fmt.Sprintf("pcloudtest: ExpireNextLinks status %d: 403 or 410", status))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flt.expireN, s.flt.expireStatus = max(n, 0), status
}

// MalformNext makes the next k calls of method ("" = any method) answer a
// broken answer of that kind. k = 0 clears the method's switch.
func (s *Server) MalformNext(method string, k int, kind Malformed) {
	if k > 0 && (kind < MalformedJSON || kind > MalformedNoResult) {
		panic(fmt.Sprintf("pcloudtest: MalformNext: unknown kind %d", int(kind)))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flt.malform == nil {
		s.flt.malform = map[string]*malformPlan{}
	}
	if k <= 0 {
		delete(s.flt.malform, method)
		return
	}
	s.flt.malform[method] = &malformPlan{left: k, kind: kind}
}

// FailMethod makes every call of method ("" = every method) answer result
// code with pCloud's message for it (1000, 2000, 2094, 4000, 5000, 5002, ...)
// until FailMethod(method, 0). A method's own switch wins over "".
func (s *Server) FailMethod(method string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flt.failMethod == nil {
		s.flt.failMethod = map[string]int{}
	}
	if code == 0 {
		delete(s.flt.failMethod, method)
		return
	}
	s.flt.failMethod[method] = code
}

// Down makes the whole of pCloud unreachable: both regions' APIs and every
// stream host close their listeners (connection refused) and cut their
// open connections. Up brings them back on the same ports. The silent host
// (SetSilentHost), a fault of its own, is left as it is.
func (s *Server) Down() { s.setAllDown(true) }

// Up ends Down.
func (s *Server) Up() { s.setAllDown(false) }

func (s *Server) setAllDown(down bool) {
	for _, region := range []string{"us", "eu"} {
		s.setDown(s.apis[region], down)
	}
	for _, l := range s.streams {
		s.setDown(l, down)
	}
}

// takeAPIFault picks the fault (if any) that answers this call: a malformed
// answer, else an account-wide error code.
func (s *Server) takeAPIFault(method string) (Malformed, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range []string{method, ""} {
		if p := s.flt.malform[m]; p != nil {
			p.left--
			if p.left <= 0 {
				delete(s.flt.malform, m)
			}
			return p.kind, 0
		}
	}
	for _, m := range []string{method, ""} {
		if code, ok := s.flt.failMethod[m]; ok {
			return 0, code
		}
	}
	return 0, 0
}

// apiFault answers the call when a switch of this file says so, and
// reports whether it did.
func (s *Server) apiFault(w http.ResponseWriter, r *http.Request, region, method string) bool {
	kind, code := s.takeAPIFault(method)
	if kind == 0 && code == 0 {
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		_ = r.ParseMultipartForm(1 << 20)
	} else {
		_ = r.ParseForm()
	}
	p := r.Form
	if p == nil {
		p = url.Values{}
	}
	entry := Request{Time: s.now(), Host: "api-" + region, Method: method, Path: r.URL.Path, Params: redact(p), Status: http.StatusOK, Result: -1}
	ctype := "application/json; charset=utf-8"
	var body []byte
	switch kind {
	case MalformedJSON:
		body = []byte(`{"result": 0, "metadata": {"name": "`)
	case MalformedHTML:
		ctype, body = "text/html; charset=utf-8", []byte(htmlErrorPage)
	case MalformedEmpty:
	case MalformedNoResult:
		c := &call{s: s, region: region, r: r, p: p, ts: p.Get("timeformat") == "timestamp", extra: url.Values{}}
		ans := c.dispatch(method)
		delete(ans, "result")
		body, _ = json.Marshal(ans)
	default: // an account-wide error
		entry.Result = code
		body, _ = json.Marshal(fail(code))
		w.Header().Set("X-Error", strconv.Itoa(code))
	}
	s.record(entry) // before the answer leaves, as for every API call
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return true
}

// deadStatus is what a dead link answers, under s.mu: the status it died
// with under ExpireNextLinks, else 410.
func (s *Server) deadStatus(l *link) int {
	if st, ok := s.flt.expiredWith[l]; ok {
		return st
	}
	return http.StatusGone
}

// expireFirstUse applies ExpireNextLinks to a live link, under s.mu: the
// status to answer, or 0.
func (s *Server) expireFirstUse(l *link) int {
	if s.flt.expireN <= 0 || l.used {
		return 0
	}
	s.flt.expireN--
	l.dead = true
	if s.flt.expiredWith == nil {
		s.flt.expiredWith = map[*link]int{}
	}
	s.flt.expiredWith[l] = s.flt.expireStatus
	return s.flt.expireStatus
}

// expiredText is the body of an expired link's answer.
func expiredText(status int) string {
	if status == http.StatusGone {
		return "Your download expired"
	}
	return http.StatusText(status)
}

// takeEnd gives a response that serves a body its EndStreamsAfter /
// EndNextStreamsAfter length, under s.mu; 0 = none.
func (s *Server) takeEnd() int64 {
	if s.flt.endNextK > 0 {
		s.flt.endNextK--
		n := s.flt.endNext
		if s.flt.endNextK == 0 {
			s.flt.endNext = 0
		}
		return n
	}
	return s.flt.endAll
}
