package pcloudtest

import (
	"fmt"
	"strings"
	"time"
)

// FailNext makes the next `calls` API calls (any method, either region)
// answer result=code with pCloud's message for it (5000, 5002, 4000, ...).
func (s *Server) FailNext(calls int, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failCalls, s.failCode = calls, code
}

// FailNextHTTP makes the next `calls` API calls answer this HTTP status
// (429, 500, 502, 503, ...) with a plain-text body instead of JSON, as a
// proxy or an overloaded front end would. It is checked before FailNext.
func (s *Server) FailNextHTTP(calls int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.httpCalls, s.httpCode = calls, status
}

// SetAPIDown takes the API of a region ("us" or "eu") down (connection
// refused, open connections cut) or brings it back on the same port.
func (s *Server) SetAPIDown(region string, down bool) {
	l, ok := s.apis[strings.ToLower(region)]
	if !ok {
		panic("pcloudtest: no region " + region)
	}
	s.setDown(l, down)
}

// SetHostDown takes stream host i down (its listener is closed, open
// connections are cut: connection refused) or brings it back on the same port.
func (s *Server) SetHostDown(i int, down bool) {
	if i < 0 || i >= len(s.streams) {
		panic(fmt.Sprintf("pcloudtest: no stream host %d", i))
	}
	s.setDown(s.streams[i], down)
}

func (s *Server) setDown(l *listener, down bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case <-s.closed:
		return // Close has stopped (or is about to stop) this listener
	default:
	}
	if l.down == down {
		return
	}
	l.down = down
	if down {
		l.stop()
		return
	}
	// The port was ours a moment ago; retry briefly in case the kernel is
	// still letting go of it.
	var err error
	for try := 0; try < 50; try++ {
		if err = l.start(); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	panic("pcloudtest: cannot reopen " + l.name + ": " + err.Error())
}

// SetHostStatus makes stream host i answer every request with this HTTP
// status (e.g. 503); 0 = normal.
func (s *Server) SetHostStatus(i int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < 0 || i >= len(s.hostStatus) {
		panic(fmt.Sprintf("pcloudtest: no stream host %d", i))
	}
	s.hostStatus[i] = status
}

// CutAfter ends each stream response (connection closed) after n bytes of
// body; 0 = off. Like all stream switches it applies to responses that start
// after the call.
func (s *Server) CutAfter(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutAfter = n
}

// CutNextAfter cuts only the next stream response that serves a body (a GET
// answered 200/206) after n bytes.
func (s *Server) CutNextAfter(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutNext = n
}

// ExpireOnFirstUse: while on, the first stream request of a file's link
// answers 410 "Your download expired" and that link stays dead; the next link
// of the same file (the client's fresh getaudiolink) works. Each file fails
// once per switching on.
func (s *Server) ExpireOnFirstUse(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireFirst = on
	s.expiredFiles = map[uint64]bool{}
}

// ExpireAll makes every link issued so far expire now (410).
func (s *Server) ExpireAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.links {
		l.dead = true
	}
}

// SetRate slows streams that start from now on to bytesPerSec; 0 = unlimited.
func (s *Server) SetRate(bytesPerSec int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = bytesPerSec
}

// StallNextAfter makes the next stream response that serves a body send n
// bytes and then nothing, keeping the connection open until the client gives
// up or Close.
func (s *Server) StallNextAfter(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 0 {
		n = 0
	}
	s.stallNext = n
}

// SetContentLength switches the Content-Length header of streams (default on;
// off: chunked transfer encoding).
func (s *Server) SetContentLength(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noLength = !on
}

// SetRefuseRange makes every stream ignore Range headers (always 200 with the
// whole body). By default getfilelink links honour a single range with 206
// and audio links ignore Range.
func (s *Server) SetRefuseRange(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseRange = on
}

// SetAudioRange makes audio links honour Range too (unless SetRefuseRange).
func (s *Server) SetAudioRange(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.audioRange = on
}

// SetLinkTTL sets how long new links live (default 1h); stream requests after
// a link's expiry answer 410.
func (s *Server) SetLinkTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.linkTTL = d
}

// SetConnMemory makes the API remember the first login on each kept-alive
// connection, as the document warns pCloud does ("Don't mix accounts on one
// kept-alive connection"): once a connection has logged in or used a token,
// its later requests are served as that account whatever token they carry
// (or without any), until a login with logout=1 or a logout on it, or
// RevokeAll. Off by default.
func (s *Server) SetConnMemory(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connMem = on
}
