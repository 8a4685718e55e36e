package pcloudtest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"syscall"
)

// InMemoryClient is an HTTP client that reaches the server's API and stream
// hosts (by the host:port of URL, RegionURL and Hosts) without a socket: the
// host's handler answers each request in a goroutine of the caller's, and the
// body streams through an io.Pipe. It is for tests in a testing/synctest
// bubble, where time moves only while every goroutine waits on something of
// the bubble (a socket is not one): make the server with Options.InMemory in
// the bubble, and its client.
//
// Each request is a connection of its own (what the server remembers of a
// connection, SetConnMemory, lasts one request). A host that is down (Down,
// SetAPIDown, SetHostDown) or a closed server refuses it as TCP would: the
// error wraps syscall.ECONNREFUSED.
func (s *Server) InMemoryClient() *http.Client {
	return &http.Client{Transport: inMemory{s}}
}

type inMemory struct{ s *Server }

func (m inMemory) listener(addr string) *listener {
	for _, l := range m.s.apis {
		if l.addr == addr {
			return l
		}
	}
	for _, l := range m.s.streams {
		if l.addr == addr {
			return l
		}
	}
	return nil
}

func (m inMemory) RoundTrip(req *http.Request) (*http.Response, error) {
	l := m.listener(req.URL.Host)
	var refused error
	if l == nil {
		refused = fmt.Errorf("pcloudtest: %s is not a host of this server", req.URL.Host)
	} else {
		l.mu.Lock()
		if l.down || l.srv == nil { // down, or the server closed
			refused = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
		}
		l.mu.Unlock()
	}
	if refused != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, refused
	}
	ctx := req.Context()
	if l.connCtx != nil {
		ctx = l.connCtx(ctx, nil)
	}
	sreq := req.Clone(ctx)
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:1"
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}
	pr, pw := io.Pipe()
	w := &pipeResponse{header: http.Header{}, body: pw, sent: make(chan struct{})}
	go func() {
		defer sreq.Body.Close()
		defer func() {
			end := error(nil)
			if p := recover(); p == http.ErrAbortHandler {
				end = io.ErrUnexpectedEOF // the connection closed mid-body
			} else if p != nil {
				panic(p)
			}
			w.WriteHeader(http.StatusOK)
			pw.CloseWithError(end)
		}()
		l.handler.ServeHTTP(w, sreq)
	}()
	if done := ctx.Done(); done == nil {
		<-w.sent
	} else {
		select {
		case <-w.sent:
		case <-done:
			pr.CloseWithError(ctx.Err())
			return nil, ctx.Err()
		}
	}
	resp := &http.Response{
		Status: strconv.Itoa(w.status) + " " + http.StatusText(w.status), StatusCode: w.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: w.sentHeader, Body: pr, ContentLength: -1, Request: req,
	}
	if n, err := strconv.ParseInt(w.sentHeader.Get("Content-Length"), 10, 64); err == nil {
		resp.ContentLength = n
	}
	if req.Method == http.MethodHead {
		pr.Close()
		resp.Body = http.NoBody
	}
	return resp, nil
}

// pipeResponse is the handler's side of an in-memory response: the header
// goes out on the first write, flush or return; the body through the pipe.
type pipeResponse struct {
	header     http.Header
	body       *io.PipeWriter
	once       sync.Once
	sent       chan struct{}
	status     int         // set before sent closes
	sentHeader http.Header // the header as sent
}

func (w *pipeResponse) Header() http.Header { return w.header }

func (w *pipeResponse) WriteHeader(code int) {
	w.once.Do(func() {
		w.status, w.sentHeader = code, w.header.Clone() // what the handler sets later is not sent
		close(w.sent)
	})
}

func (w *pipeResponse) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// Flush sends the header; the body has no buffer to flush.
func (w *pipeResponse) Flush() { w.WriteHeader(http.StatusOK) }
