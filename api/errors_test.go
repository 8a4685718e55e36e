package api

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestErrorStringsAndPredicates(t *testing.T) {
	for _, tc := range []struct {
		e                 *Error
		str               string
		sentence          string // substring
		auth, rate, retry bool
	}{
		{&Error{Code: 1000, Message: "Log in required.", Method: "listfolder"}, "pcloud: listfolder: 1000 Log in required.", "log in again", true, false, false},
		{&Error{Code: 1022, Message: "Please provide 'code'.", Method: "userinfo"}, "pcloud: userinfo: 1022 Please provide 'code'.",
			"pCloud wants you to approve this device: open pcloud.com, confirm the login from the new device e-mail or notification, then try again.", true, false, false},
		{&Error{Code: 2000, Message: "Log in failed.", Method: "userinfo"}, "pcloud: userinfo: 2000 Log in failed.",
			"Wrong e-mail or password, or your account is in the other region (try --region eu).", true, false, false},
		{&Error{Code: 2000, Method: "userinfo", region: RegionEU}, "pcloud: userinfo: 2000", "(try --region us)", true, false, false},
		{&Error{Code: 2005, Message: "Directory does not exist.", Method: "listfolder"}, "pcloud: listfolder: 2005 Directory does not exist.", "folder does not exist", false, false, false},
		{&Error{Code: 2009, Message: "File not found.", Method: "getaudiolink"}, "pcloud: getaudiolink: 2009 File not found.", "file does not exist", false, false, false},
		{&Error{Code: 2012, Message: "Invalid 'code' provided.", Method: "tfa_login"}, "pcloud: tfa_login: 2012 Invalid 'code' provided.", "code is wrong", true, false, false},
		{&Error{Code: 2064, Message: "2FA token expired.", Method: "tfa_login"}, "pcloud: tfa_login: 2064 2FA token expired.", "log in again from the start", true, false, false},
		{&Error{Code: 2094, Message: "Invalid 'access_token' provided.", Method: "userinfo"}, "pcloud: userinfo: 2094 Invalid 'access_token' provided.", "access token", true, false, false},
		{&Error{Code: 2297, Message: "Two-factor authentication required.", Method: "userinfo"}, "pcloud: userinfo: 2297 Two-factor authentication required.", "two-factor", true, false, false},
		{&Error{Code: 4000, Message: "Too many login tries from this IP address.", Method: "userinfo"}, "pcloud: userinfo: 4000 Too many login tries from this IP address.",
			"Too many login attempts from this address; wait a while before trying again.", false, true, false},
		{&Error{Code: 4001, Message: "Slow down.", Method: "x"}, "pcloud: x: 4001 Slow down.", "wait a while", false, true, false},
		{&Error{Code: 5000, Message: "Internal error. Try again later.", Method: "listfolder"}, "pcloud: listfolder: 5000 Internal error. Try again later.", "try again in a little while", false, false, true},
		{&Error{Code: 5002, Message: "Internal error, no servers available. Try again later.", Method: "getaudiolink"}, "pcloud: getaudiolink: 5002 Internal error, no servers available. Try again later.", "internal problem", false, false, true},
		{&Error{Code: 1004, Message: "No fileid or path provided.", Method: "getaudiolink"}, "pcloud: getaudiolink: 1004 No fileid or path provided.", "bug in pcplay", false, false, false},
		{&Error{Code: 2003, Message: "Access denied.", Method: "listfolder"}, "pcloud: listfolder: 2003 Access denied.", "denies access", false, false, false},
		{&Error{Code: 7010, Message: "Invalid link referer.", Method: "x"}, "pcloud: x: 7010 Invalid link referer.", "pCloud says: Invalid link referer (7010).", false, false, false},
		{&Error{HTTPStatus: 429, Method: "listfolder"}, "pcloud: listfolder: HTTP 429 Too Many Requests", "slow down", false, false, true},
		{&Error{HTTPStatus: 502, Method: "listfolder"}, "pcloud: listfolder: HTTP 502 Bad Gateway", "HTTP 502", false, false, true},
		{&Error{HTTPStatus: 509, Method: "listfolder"}, "pcloud: listfolder: HTTP 509", "HTTP 509", false, false, true},
		{&Error{HTTPStatus: 501, Method: "listfolder"}, "pcloud: listfolder: HTTP 501 Not Implemented", "HTTP 501", false, false, false},
		{&Error{HTTPStatus: 404, Method: "listfolder"}, "pcloud: listfolder: HTTP 404 Not Found", "unexpected HTTP 404", false, false, false},
		{&Error{Method: "userinfo", Err: fmt.Errorf("dial: %w", syscall.ECONNREFUSED)}, "pcloud: userinfo: dial: connection refused", "Can't reach pCloud: the connection was refused", false, false, true},
		{&Error{Method: "userinfo", Err: io.ErrUnexpectedEOF}, "pcloud: userinfo: unexpected EOF", "Can't reach pCloud: the connection closed unexpectedly", false, false, true},
		{&Error{Method: "userinfo", Err: context.Canceled}, "pcloud: userinfo: context canceled", "Cancelled.", false, false, false},
		{&Error{Method: "userinfo", Err: context.DeadlineExceeded, ended: true}, "pcloud: userinfo: context deadline exceeded", "took too long", false, false, false},
		{&Error{Method: "userinfo", Err: context.DeadlineExceeded}, "pcloud: userinfo: context deadline exceeded", "took too long", false, false, true}, // a transport timeout
		{&Error{Method: "userinfo", Err: &net.DNSError{Err: "no such host", Name: "api.pcloud.com", IsNotFound: true}}, "pcloud: userinfo: lookup api.pcloud.com: no such host", "no such host api.pcloud.com", false, false, false},
		{&Error{Method: "userinfo", Err: &net.DNSError{Err: "server misbehaving", Name: "api.pcloud.com", IsTemporary: true}}, "pcloud: userinfo: lookup api.pcloud.com: server misbehaving", "can't look up api.pcloud.com", false, false, true},
		{&Error{Method: "userinfo", Err: fmt.Errorf("read: %w", syscall.ECONNRESET)}, "pcloud: userinfo: read: connection reset by peer", "connection was reset", false, false, true},
		{&Error{Method: "userinfo", Err: timeoutErr{}}, "pcloud: userinfo: i/o timeout", "timed out", false, false, true},
		{&Error{Method: "userinfo", Err: x509.UnknownAuthorityError{}}, "pcloud: userinfo: x509: certificate signed by unknown authority", "certificate", false, false, false},
		{&Error{Method: "userinfo", Err: &decodeError{"not a JSON object"}}, "pcloud: userinfo: not a JSON object", "can't read", false, false, false},
	} {
		e := tc.e
		if got := e.Error(); got != tc.str {
			t.Errorf("Error() = %q, want %q", got, tc.str)
		}
		if got := e.Sentence(); !strings.Contains(got, tc.sentence) {
			t.Errorf("%d/%d Sentence() = %q, want %q", e.Code, e.HTTPStatus, got, tc.sentence)
		}
		wrapped := fmt.Errorf("while playing: %w", e)
		if IsAuth(wrapped) != tc.auth || IsRateLimit(wrapped) != tc.rate || IsRetryable(wrapped) != tc.retry {
			t.Errorf("%v: auth %v rate %v retry %v, want %v %v %v", e, IsAuth(wrapped), IsRateLimit(wrapped), IsRetryable(wrapped), tc.auth, tc.rate, tc.retry)
		}
		if Sentence(wrapped) != e.Sentence() {
			t.Errorf("Sentence through a wrap differs")
		}
	}
	// Other errors.
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{context.Canceled, "Cancelled."},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), "pCloud took too long to answer."},
		{errors.New("pcloud: bitrate 9 kbit/s is out of range 16..320"), "Bitrate 9 kbit/s is out of range 16..320."},
		{errors.New("boom auth=tok123"), "Boom auth=REDACTED."},
	} {
		if got := Sentence(tc.err); got != tc.want {
			t.Errorf("Sentence(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	if IsAuth(nil) || IsRetryable(nil) || IsRateLimit(nil) || IsRetryable(errors.New("x")) {
		t.Error("predicates on nil/plain errors")
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// countingTransport counts the requests the client makes.
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

func TestResponseTimeoutRetried(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // never answers in time
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	ct := &countingTransport{base: &http.Transport{ResponseHeaderTimeout: 50 * time.Millisecond}}
	c, err := New(Options{BaseURL: srv.URL, Token: "t0ken-xyz", HTTPClient: &http.Client{Transport: ct}, MaxAttempts: 2, Backoff: func(int) time.Duration { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UserInfo(ctxT(t))
	if !IsRetryable(err) || ct.n.Load() != 2 || Sentence(err) != "Can't reach pCloud: it took too long to answer. Check the network connection." {
		t.Fatalf("err %v (sentence %q) after %d requests", err, Sentence(err), ct.n.Load())
	}
	// The caller's own deadline: no retry.
	ct = &countingTransport{base: &http.Transport{}}
	c, err = New(Options{BaseURL: srv.URL, Token: "t0ken-xyz", HTTPClient: &http.Client{Transport: ct}, MaxAttempts: 4, Backoff: func(int) time.Duration { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctxT(t), 100*time.Millisecond)
	defer cancel()
	_, err = c.UserInfo(ctx)
	if IsRetryable(err) || ct.n.Load() != 1 || Sentence(err) != "pCloud took too long to answer." {
		t.Fatalf("err %v (sentence %q) after %d requests", err, Sentence(err), ct.n.Load())
	}
}

// statusServer answers with the statuses/bodies given, one per request,
// the last one repeating; it records what it was sent. It stands for
// failures pcloudtest does not make (HTTP errors, broken answers).
type statusServer struct {
	*httptest.Server
	n    atomic.Int32
	reqs chan *http.Request
}

func newStatusServer(t *testing.T, answers ...func(w http.ResponseWriter)) *statusServer {
	s := &statusServer{reqs: make(chan *http.Request, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		select {
		case s.reqs <- r:
		default:
		}
		i := int(s.n.Add(1)) - 1
		answers[min(i, len(answers)-1)](w)
	}))
	t.Cleanup(s.Close)
	return s
}

func status(code int, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func statusClient(t *testing.T, s *statusServer, kind TokenKind) *Client {
	c, err := New(Options{BaseURL: s.URL, Token: "tok-abc-123", TokenKind: kind, Backoff: func(int) time.Duration { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHTTPStatusRetries(t *testing.T) {
	ok := status(200, `{"result":0,"email":"a@b.c","userid":5}`)
	for _, code := range []int{429, 500, 502, 503, 504, 509} {
		s := newStatusServer(t, status(code, "<html>busy</html>"), status(code, ""), ok)
		ui, err := statusClient(t, s, TokenAuth).UserInfo(ctxT(t))
		if err != nil || ui.Email != "a@b.c" || ui.UserID != 5 {
			t.Errorf("HTTP %d twice then ok: %+v %v", code, ui, err)
		}
		if n := s.n.Load(); n != 3 {
			t.Errorf("HTTP %d: %d requests, want 3", code, n)
		}
	}
	for _, code := range []int{400, 403, 404, 501} {
		s := newStatusServer(t, status(code, "no"), ok)
		_, err := statusClient(t, s, TokenAuth).UserInfo(ctxT(t))
		var e *Error
		if !errors.As(err, &e) || e.HTTPStatus != code || IsRetryable(err) {
			t.Errorf("HTTP %d: %v", code, err)
		}
		if n := s.n.Load(); n != 1 {
			t.Errorf("HTTP %d: %d requests, want 1", code, n)
		}
	}
	// Always 503: MaxAttempts requests.
	s := newStatusServer(t, status(503, ""))
	_, err := statusClient(t, s, TokenAuth).UserInfo(ctxT(t))
	if !IsRetryable(err) || s.n.Load() != DefaultMaxAttempts {
		t.Errorf("503 forever: %v after %d requests", err, s.n.Load())
	}
	// A JSON pCloud error inside a 5xx keeps its code.
	s = newStatusServer(t, status(500, `{"result":2005,"error":"Directory does not exist."}`))
	_, err = statusClient(t, s, TokenAuth).ListFolder(ctxT(t), 1, false)
	if e := wantCode(t, err, 2005); e.HTTPStatus != 500 || IsRetryable(err) {
		t.Errorf("2005 in a 500: %+v", e)
	}
}

func TestBrokenAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		header     string // X-Error
		code       int
	}{
		{"not json", "<html>hello</html>", "", 0},
		{"array", "[1,2]", "", 0},
		{"null", "null", "", 0},
		{"no result", `{"metadata":{}}`, "", 0},
		{"bad result", `{"result":"x"}`, "", 0},
		{"truncated", `{"result":0,"metadata":{"name":"a"`, "", 0},
		{"no metadata", `{"result":0}`, "", 0},
		{"bad metadata", `{"result":0,"metadata":{"name":"a","fileid":-1}}`, "", 0},
		{"error in header only", `{"result":2005}`, "Directory does not exist!", 2005},
		{"code in header only", `{"result":2005}`, "2005", 2005},
		{"no error text", `{"result":2009}`, "", 2009},
		{"long error text", `{"result":2003,"error":"` + strings.Repeat("é", 300) + `\nline"}`, "", 2003},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStatusServer(t, func(w http.ResponseWriter) {
				if tc.header != "" {
					w.Header().Set("X-Error", tc.header)
				}
				io.WriteString(w, tc.body)
			})
			_, err := statusClient(t, s, TokenAuth).ListFolder(ctxT(t), 0, true)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.code != 0 {
				want := tc.header
				if want == "" || want == "2005" {
					want = messages[tc.code]
				}
				if tc.name == "long error text" {
					want = strings.Repeat("é", 100) + "…"
				}
				if e := wantCode(t, err, tc.code); e.Message != want {
					t.Fatalf("message %q", e.Message)
				}
				return
			}
			// A listing that can't be read is a passing fault, tried
			// again as the player's streams are (issue 22); another
			// call's is not.
			if !IsRetryable(err) || !strings.Contains(Sentence(err), "can't read") {
				t.Fatalf("retryable %v sentence %q", IsRetryable(err), Sentence(err))
			}
			if s.n.Load() != DefaultMaxAttempts {
				t.Fatalf("%d requests, want %d", s.n.Load(), DefaultMaxAttempts)
			}
			s.n.Store(0)
			if _, err := statusClient(t, s, TokenAuth).UserInfo(ctxT(t)); err != nil && (IsRetryable(err) || s.n.Load() != 1) {
				t.Fatalf("userinfo: %v, retryable %v, %d requests", err, IsRetryable(err), s.n.Load())
			}
		})
	}
	// A link without hosts or with a bad path.
	for _, body := range []string{
		`{"result":0,"path":"/a/b.mp3","hosts":[],"expires":1}`,
		`{"result":0,"path":"/a/b.mp3","hosts":["evil.com/x?","user@h"],"expires":1}`,
		`{"result":0,"path":"a/b.mp3","hosts":["h"],"expires":1}`,
		`{"result":0,"path":5,"hosts":["h"]}`,
	} {
		s := newStatusServer(t, status(200, body))
		if _, err := statusClient(t, s, TokenAuth).AudioLink(ctxT(t), 1, 128); err == nil {
			t.Errorf("link %s accepted", body)
		}
	}
	// A bad host is skipped when a good one is there.
	s := newStatusServer(t, status(200, `{"result":0,"path":"/a/b c.mp3","hosts":["bad/host","c1.example.com"],"expires":"Thu, 21 Mar 2013 18:31:45 +0000"}`))
	l, err := statusClient(t, s, TokenAuth).FileLink(ctxT(t), 1)
	if err != nil || !eq(l.Hosts, []string{"c1.example.com"}) || l.Expires.Unix() != 1363890705 || l.URLs()[0] != "http://c1.example.com/a/b%20c.mp3" {
		t.Fatalf("link %+v %v", l, err)
	}
}

func TestRequestShape(t *testing.T) {
	for _, kind := range []TokenKind{TokenAuth, TokenBearer} {
		s := newStatusServer(t, status(200, `{"result":0,"metadata":{"name":"","isfolder":true,"folderid":0,"contents":[]}}`))
		if _, err := statusClient(t, s, kind).ListFolder(ctxT(t), 0, false); err != nil {
			t.Fatal(err)
		}
		r := <-s.reqs
		if r.Method != http.MethodPost || r.URL.RawQuery != "" || r.URL.Path != "/listfolder" {
			t.Errorf("%v: %s %s", kind, r.Method, r.URL)
		}
		if r.Header.Get("Referer") != "" || r.Header.Get("Origin") != "" {
			t.Errorf("%v: Referer/Origin sent", kind)
		}
		auth, bearer := r.PostForm.Get("auth"), r.Header.Get("Authorization")
		switch kind {
		case TokenAuth:
			if auth != "tok-abc-123" || bearer != "" {
				t.Errorf("auth kind: auth=%q Authorization=%q", auth, bearer)
			}
		case TokenBearer:
			if auth != "" || r.PostForm.Has("access_token") || bearer != "Bearer tok-abc-123" {
				t.Errorf("bearer kind: auth=%q Authorization=%q", auth, bearer)
			}
		}
		if r.PostForm.Get("timeformat") != "timestamp" || r.PostForm.Get("folderid") != "0" {
			t.Errorf("form %v", r.PostForm)
		}
	}
}
