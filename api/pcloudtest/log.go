package pcloudtest

import (
	"net/url"
	"strings"
	"time"
)

// Request is one entry of the request log.
type Request struct {
	Time time.Time
	Host string // "api-us", "api-eu", "stream0", "stream1", ...
	// Method is the API method ("getaudiolink") for API calls and the HTTP
	// method ("GET", "HEAD") for stream requests.
	Method string
	// Path is the URL path: "/getaudiolink", or a stream link's path as
	// getaudiolink gave it (raw, as pCloud does: "/9f3c…/01 One.mp3").
	Path string
	// Params are the request's parameters with secrets redacted. API calls
	// carry every query/form parameter, and getaudiolink adds "served", the
	// bitrate of the variant served ("abitrate" is what was asked, absent
	// when not sent). Stream requests carry "fileid", "start" when given,
	// "range" when a Range header was sent, and for audio links the link's
	// "abitrate" (when asked) and "served".
	Params url.Values
	Status int // HTTP status
	Result int // pCloud result code for API calls (0 = success; -1 when FailNextHTTP or MalformNext answered)
}

// Redacted is what secrets are replaced with in the log.
const Redacted = "REDACTED"

var secretParams = map[string]bool{
	"auth": true, "access_token": true, "password": true, "passworddigest": true,
	"digest": true, "code": true, "token": true, "client_secret": true,
}

func redact(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vals := range v {
		if secretParams[strings.ToLower(k)] {
			r := make([]string, len(vals))
			for i := range r {
				r[i] = Redacted
			}
			out[k] = r
			continue
		}
		out[k] = append([]string(nil), vals...)
	}
	return out
}

func (s *Server) record(r Request) {
	s.logMu.Lock()
	s.log = append(s.log, r)
	s.logMu.Unlock()
	s.debugf("pcloudtest: %s %s %s %v -> %d/%d", r.Host, r.Method, r.Path, r.Params, r.Status, r.Result)
}

// Log is a copy of the request log, oldest first.
func (s *Server) Log() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		r.Params = cloneValues(r.Params)
		out[i] = r
	}
	return out
}

// ResetLog empties the request log.
func (s *Server) ResetLog() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.log = nil
}

// Calls lists the API calls of the named method ("getaudiolink"), or, when
// method starts with "/", the stream requests whose path starts with it ("/"
// matches every stream request).
func (s *Server) Calls(method string) []Request {
	var out []Request
	for _, r := range s.Log() {
		isStream := strings.HasPrefix(r.Host, "stream")
		if strings.HasPrefix(method, "/") {
			if isStream && strings.HasPrefix(r.Path, method) {
				out = append(out, r)
			}
		} else if !isStream && r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	return out
}
