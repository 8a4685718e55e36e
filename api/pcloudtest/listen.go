package pcloudtest

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// listener is one HTTP listener that can be taken down and brought back on
// the same port.
type listener struct {
	name    string
	addr    string
	handler http.Handler
	connCtx func(context.Context, net.Conn) context.Context
	mem     bool // Options.InMemory: no socket (Server.listenAddr)
	mu      sync.Mutex
	srv     *http.Server // nil while stopped
	down    bool
}

func (l *listener) start() error {
	if l.mem {
		l.srv = &http.Server{} // up; InMemoryClient serves l.handler
		return nil
	}
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		return err
	}
	if a := ln.Addr().String(); a != l.addr {
		l.addr = a // only on the first start: Hosts reads addr without a lock
	}
	srv := &http.Server{Handler: l.handler, ReadHeaderTimeout: 30 * time.Second, ConnContext: l.connCtx}
	l.srv = srv
	go func() { _ = srv.Serve(ln) }()
	return nil
}

func (l *listener) stop() {
	if l.srv != nil {
		_ = l.srv.Close()
		l.srv = nil
	}
}

// connState is what an API connection remembers.
type connState struct {
	email string // the first login; "" none
	gen   uint64 // Server.sessions when remembered
}

type connKey struct{}

func withConnState(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &connState{})
}

// waitClosed blocks until ctx ends or the server closes.
func (s *Server) waitClosed(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-s.closed:
	}
}
