package pcloudtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// MemNet is the fake's network in memory: an http.RoundTripper that serves
// the Server's API and stream hosts in process, with no socket. A response
// body streams through an io.Pipe, so a client reading it and a handler
// pacing it (SetRate, StallNextAfter) block on channels only: inside a
// testing/synctest bubble that is durable blocking, and the bubble's fake
// clock can run while a stream is on its way. Make the Server and call
// InMemory inside the bubble; the handlers then run on goroutines of the
// bubble.
//
// Each request is served as if on a new connection (so SetConnMemory has
// nothing to remember). Take hosts down and up with the MemNet's Down, Up,
// SetHostDown and SetAPIDown: they refuse new requests and cut the open
// responses, as the Server's switches do over TCP (the Server's own Up
// would open a socket again). The silent host (SetSilentHost) accepts and
// never answers until the request is cancelled; SilentConns does not count
// those requests.
type MemNet struct {
	s *Server

	mu    sync.Mutex
	hosts map[string]*listener // by host:port
	open  map[*memExchange]*listener
}

// InMemory takes s off the network: its listeners close (their goroutines
// end; their addresses stay the names of the hosts in URLs and links) and s
// is reached through the returned MemNet.
func (s *Server) InMemory() *MemNet {
	m := s.memNet()
	if !s.inMemory {
		for _, l := range m.hosts {
			l.mu.Lock()
			l.stop()
			l.mu.Unlock()
		}
	}
	return m
}

// InMemoryClient is an HTTP client on the server's MemNet, for a server
// made with Options.InMemory (no socket from the start, so that it can be
// made inside a testing/synctest bubble and its own Down and Up switches
// keep working: a host they take down refuses new requests).
func (s *Server) InMemoryClient() *http.Client { return s.memNet().Client() }

// memNet is the server's one MemNet.
func (s *Server) memNet() *MemNet {
	s.memOnce.Do(func() {
		m := &MemNet{s: s, hosts: map[string]*listener{}, open: map[*memExchange]*listener{}}
		for _, l := range s.apis {
			m.hosts[l.addr] = l
		}
		for _, l := range s.streams {
			m.hosts[l.addr] = l
		}
		s.mem = m
	})
	return s.mem
}

// Client is an *http.Client on m (no redirects are followed: the fake
// makes none).
func (m *MemNet) Client() *http.Client {
	return &http.Client{Transport: m, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Down takes the whole of pCloud down (both APIs and every stream host):
// new requests are refused and open responses are cut.
func (m *MemNet) Down() { m.setAll(true) }

// Up ends Down.
func (m *MemNet) Up() { m.setAll(false) }

func (m *MemNet) setAll(down bool) {
	for _, region := range []string{"us", "eu"} {
		m.setDown(m.s.apis[region], down)
	}
	for _, l := range m.s.streams {
		m.setDown(l, down)
	}
}

// SetHostDown takes stream host i down (refused, open responses cut) or
// brings it back.
func (m *MemNet) SetHostDown(i int, down bool) {
	if i < 0 || i >= len(m.s.streams) {
		panic(fmt.Sprintf("pcloudtest: no stream host %d", i))
	}
	m.setDown(m.s.streams[i], down)
}

// SetAPIDown takes the API of a region ("us" or "eu") down or brings it back.
func (m *MemNet) SetAPIDown(region string, down bool) {
	l, ok := m.s.apis[strings.ToLower(region)]
	if !ok {
		panic("pcloudtest: no region " + region)
	}
	m.setDown(l, down)
}

func (m *MemNet) setDown(l *listener, down bool) {
	l.mu.Lock()
	l.down = down
	l.mu.Unlock()
	if !down {
		return
	}
	m.mu.Lock()
	var cut []*memExchange
	for x, xl := range m.open {
		if xl == l {
			cut = append(cut, x)
		}
	}
	m.mu.Unlock()
	for _, x := range cut {
		x.cut(io.ErrUnexpectedEOF)
	}
}

func refused(host string) error {
	var addr net.Addr
	if a, err := net.ResolveTCPAddr("tcp", host); err == nil {
		addr = a
	}
	return &net.OpError{Op: "dial", Net: "tcp", Addr: addr, Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
}

// RoundTrip serves req with the handler of its host.
func (m *MemNet) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readAllClose(req.Body)
	if err != nil {
		return nil, err
	}
	host := req.URL.Host
	m.mu.Lock()
	l := m.hosts[host]
	m.mu.Unlock()
	if l == nil {
		if sh := m.s.SilentHost(); sh != "" && sh == host {
			<-req.Context().Done()
			return nil, req.Context().Err()
		}
		return nil, refused(host)
	}
	l.mu.Lock()
	down := l.down || l.mem && l.srv == nil // a switch, or Options.InMemory's Down
	l.mu.Unlock()
	if down {
		return nil, refused(host)
	}
	select {
	case <-m.s.closed:
		return nil, refused(host)
	default:
	}

	sctx, cancel := context.WithCancel(req.Context())
	if l.connCtx != nil {
		sctx = l.connCtx(sctx, nil)
	}
	sreq := req.Clone(sctx)
	u, err := url.ParseRequestURI(req.URL.RequestURI())
	if err != nil {
		cancel()
		return nil, err
	}
	sreq.URL = u
	sreq.RequestURI = req.URL.RequestURI()
	sreq.Host = host
	sreq.RemoteAddr = "127.0.0.1:40000"
	sreq.Proto, sreq.ProtoMajor, sreq.ProtoMinor = "HTTP/1.1", 1, 1
	sreq.Body = io.NopCloser(bytes.NewReader(body))
	sreq.ContentLength = int64(len(body))
	sreq.Close = false

	pr, pw := io.Pipe()
	x := &memExchange{
		m: m, req: req, head: req.Method == http.MethodHead,
		header: http.Header{}, pr: pr, pw: pw, cancel: cancel,
		ready: make(chan struct{}), done: make(chan struct{}),
	}
	m.mu.Lock()
	m.open[x] = l
	m.mu.Unlock()
	stop := context.AfterFunc(req.Context(), func() { x.cut(req.Context().Err()) })
	x.stop = stop
	go x.serve(l.handler, sreq)

	select {
	case <-x.ready:
		return x.response(), nil
	case <-x.done:
	case <-req.Context().Done():
	}
	select {
	case <-x.ready:
		return x.response(), nil
	default:
	}
	x.finish()
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	// The handler ended without an answer: the connection closed.
	return nil, fmt.Errorf("pcloudtest memnet: %s closed the connection without an answer: %w", host, io.EOF)
}

func readAllClose(rc io.ReadCloser) ([]byte, error) {
	if rc == nil || rc == http.NoBody {
		return nil, nil
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// memExchange is one request and its response on the way.
type memExchange struct {
	m      *MemNet
	req    *http.Request
	head   bool
	cancel context.CancelFunc
	stop   func() bool
	pr     *io.PipeReader
	pw     *io.PipeWriter
	ready  chan struct{} // closed when the head is out
	done   chan struct{} // closed when the handler returned

	// handler side
	header    http.Header
	sent      http.Header // the head as sent
	status    int
	committed bool
	buf       []byte
	wrote     int64
	cl        int64 // declared Content-Length; -1 none
	closeEnd  bool  // close-delimited body (Transfer-Encoding: identity)

	finishOnce sync.Once
}

// bufferBeforeCommit is how much net/http's server buffers before it sends
// the head (and can still add a Content-Length).
const bufferBeforeCommit = 2048

func (x *memExchange) Header() http.Header { return x.header }

func (x *memExchange) WriteHeader(code int) {
	if x.committed || x.status != 0 {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if code >= 100 && code < 200 {
		return
	}
	x.status = code
}

func (x *memExchange) Write(p []byte) (int, error) {
	if x.status == 0 {
		x.WriteHeader(http.StatusOK)
	}
	if x.head || x.status == http.StatusNoContent || x.status == http.StatusNotModified {
		return len(p), nil
	}
	if !x.committed {
		x.buf = append(x.buf, p...)
		if len(x.buf) > bufferBeforeCommit {
			if err := x.commit(false); err != nil {
				return 0, err
			}
		}
		return len(p), nil
	}
	return x.send(p)
}

func (x *memExchange) send(p []byte) (int, error) {
	n, err := x.pw.Write(p)
	x.wrote += int64(n)
	return n, err
}

// Flush sends the head and what is buffered.
func (x *memExchange) Flush() { _ = x.FlushError() }

// FlushError is Flush (http.ResponseController uses it).
func (x *memExchange) FlushError() error {
	if x.status == 0 {
		x.WriteHeader(http.StatusOK)
	}
	if !x.committed {
		return x.commit(false)
	}
	return nil
}

// commit sends the head, then the buffered body; final: the handler has
// returned (the whole body is buffered: a Content-Length can be added).
func (x *memExchange) commit(final bool) error {
	x.committed = true
	h := x.header.Clone()
	if _, ok := h["Content-Type"]; !ok && len(x.buf) > 0 && h.Get("Transfer-Encoding") == "" {
		h.Set("Content-Type", http.DetectContentType(x.buf))
	}
	x.cl = -1
	if te := h.Get("Transfer-Encoding"); te == "identity" {
		x.closeEnd = true
		h.Del("Transfer-Encoding")
	} else if v := h.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			x.cl = n
		}
	} else if final && !x.head && x.status != http.StatusNoContent && x.status != http.StatusNotModified {
		x.cl = int64(len(x.buf))
		h.Set("Content-Length", strconv.Itoa(len(x.buf)))
	}
	if x.head || x.status == http.StatusNoContent || x.status == http.StatusNotModified {
		if x.cl < 0 && !x.closeEnd {
			x.cl = 0
		}
	}
	x.sent = h
	close(x.ready)
	if len(x.buf) > 0 {
		b := x.buf
		x.buf = nil
		if _, err := x.send(b); err != nil {
			return err
		}
	}
	return nil
}

func (x *memExchange) serve(h http.Handler, r *http.Request) {
	defer close(x.done)
	aborted := false
	func() {
		defer func() {
			if v := recover(); v != nil {
				aborted = true // net/http closes the connection after any panic
			}
		}()
		h.ServeHTTP(x, r)
	}()
	switch {
	case aborted && !x.committed:
		x.finish()
		return
	case !x.committed:
		if x.status == 0 {
			x.WriteHeader(http.StatusOK)
		}
		_ = x.commit(true)
	}
	switch {
	case x.head:
		x.pw.Close()
	case aborted && x.closeEnd:
		x.pw.Close() // a close-delimited body ends cleanly when the connection closes
	case aborted, x.cl >= 0 && x.wrote < x.cl:
		x.pw.CloseWithError(io.ErrUnexpectedEOF)
	default:
		x.pw.Close()
	}
}

// response is what the client gets once the head is out.
func (x *memExchange) response() *http.Response {
	code := x.status
	resp := &http.Response{
		Status:        strconv.Itoa(code) + " " + http.StatusText(code),
		StatusCode:    code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        x.sent,
		ContentLength: x.cl,
		Request:       x.req,
		Body:          &memBody{x: x},
	}
	if x.cl < 0 && !x.closeEnd {
		resp.TransferEncoding = []string{"chunked"}
	}
	if x.head || x.cl == 0 {
		resp.Body = http.NoBody
		go func() { _, _ = io.Copy(io.Discard, x.pr); x.finish() }()
	}
	return resp
}

// cut ends the exchange with err for the client (the connection is gone).
func (x *memExchange) cut(err error) {
	x.pr.CloseWithError(err)
	x.cancel()
}

// finish lets the exchange go.
func (x *memExchange) finish() {
	x.finishOnce.Do(func() {
		x.stop()
		x.pr.CloseWithError(io.ErrClosedPipe)
		x.cancel()
		x.m.mu.Lock()
		delete(x.m.open, x)
		x.m.mu.Unlock()
	})
}

// memBody is the response body the client reads.
type memBody struct {
	x *memExchange
}

func (b *memBody) Read(p []byte) (int, error) { return b.x.pr.Read(p) }

func (b *memBody) Close() error {
	b.x.finish()
	return nil
}
