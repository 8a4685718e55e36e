package pcloudtest

import (
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
	1014: "Thumb can not be created from this file type.",
	1015: "Please provide valid thumb size.",
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
		code, body := encodeAnswer(resp)
		logged := redact(p)
		for k, v := range c.extra {
			logged[k] = v
		}
		// Logged before the answer leaves: a client that has its answer
		// finds the call in the log.
		s.record(Request{Time: s.now(), Host: host, Method: method, Path: r.URL.Path, Params: logged, Status: http.StatusOK, Result: code})
		writeAnswer(w, r, code, body)
	})
}

// encodeAnswer is resp's result code and JSON body.
func encodeAnswer(resp reply) (int, []byte) {
	code, _ := resp["result"].(int)
	body, err := json.Marshal(resp)
	if err != nil {
		return 5000, []byte(`{"result":5000,"error":"Internal error. Try again later."}`)
	}
	return code, body
}

// writeAnswer sends an answer as pCloud does: 200 with the JSON body, the
// result code also in X-Error.
func writeAnswer(w http.ResponseWriter, r *http.Request, code int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if code != 0 {
		w.Header().Set("X-Error", strconv.Itoa(code))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
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
	case "stat":
		return c.stat()
	case "getthumblink":
		return c.getthumblink()
	}
	return fail(1099)
}
