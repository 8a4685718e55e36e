//go:build unix

package engine

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

// pipeListener is a listener of in-memory connections (net.Pipe), so that
// the engine's deadlines run in a synctest bubble's virtual time.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once

	mu     sync.Mutex
	served []*watchedConn // the engine's ends, in order
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

// dial connects a client: its end of the pipe.
func (l *pipeListener) dial() net.Conn {
	server, client := net.Pipe()
	w := &watchedConn{Conn: server}
	l.mu.Lock()
	l.served = append(l.served, w)
	l.mu.Unlock()
	l.conns <- w
	return client
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// watchedConn is the engine's end of a pipe, remembering its read
// deadline: while the client is idle, there is none (no timer runs).
type watchedConn struct {
	net.Conn
	mu sync.Mutex
	rd time.Time
}

func (w *watchedConn) SetReadDeadline(t time.Time) error {
	w.mu.Lock()
	w.rd = t
	w.mu.Unlock()
	return w.Conn.SetReadDeadline(t)
}

func (w *watchedConn) SetDeadline(t time.Time) error {
	w.mu.Lock()
	w.rd = t
	w.mu.Unlock()
	return w.Conn.SetDeadline(t)
}

func (w *watchedConn) readDeadline() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rd
}

// pipeClient speaks the protocol by hand over a pipe; a goroutine reads
// the engine's lines into msgs (closed at the end of the connection).
type pipeClient struct {
	nc   net.Conn
	msgs chan message
}

func pipeDial(t *testing.T, l *pipeListener) *pipeClient {
	t.Helper()
	c := &pipeClient{nc: l.dial(), msgs: make(chan message, 1000)}
	go func() {
		defer close(c.msgs)
		r := bufio.NewReader(c.nc)
		for {
			line, err := readLine(r, MaxServerLine)
			if err != nil {
				return
			}
			var m message
			if err := decodeLine(line, &m); err != nil {
				t.Errorf("the engine sent %q: %v", line, err)
				return
			}
			c.msgs <- m
		}
	}()
	c.write(t, helloLine)
	c.until(t, "the first status", func(m message) bool { return m.Status != nil })
	return c
}

func (c *pipeClient) write(t *testing.T, s string) {
	t.Helper()
	if _, err := c.nc.Write([]byte(s)); err != nil {
		t.Fatalf("writing %.40q: %v", s, err)
	}
}

// until reads the engine's messages until f holds for one; it fails when
// the connection ends first.
func (c *pipeClient) until(t *testing.T, what string, f func(message) bool) message {
	t.Helper()
	for m := range c.msgs {
		if f(m) {
			return m
		}
	}
	t.Fatalf("the connection ended before %s", what)
	return message{}
}

// ended reports whether the connection has ended, with its last error.
func (c *pipeClient) ended() (string, bool) {
	var last string
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return last, true
			}
			if m.Error != "" {
				last = m.Error
			}
		default:
			return last, false
		}
	}
}

// servePipes serves a stub player on l in the bubble, until the test ends.
func servePipes(t *testing.T, l *pipeListener, p *stubPlayer) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		Serve(ctx, l, p, Options{peerOf: func(net.Conn) (*peer, error) { return &peer{UID: os.Getuid()}, nil }})
		close(done)
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// Once a line has begun it must end within LineTimeout, else the client
// is dropped with an error line; between lines a client may be silent for
// hours, with no deadline (no timer) set for it.
func TestPartialLinesAreBoundedInTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newPipeListener()
		p := &stubPlayer{}
		servePipes(t, l, p)

		idle := pipeDial(t, l)
		stuck := pipeDial(t, l)
		slow := pipeDial(t, l)
		trickle := pipeDial(t, l)
		synctest.Wait()
		for i, w := range l.served {
			if !w.readDeadline().IsZero() {
				t.Errorf("connection %d: a read deadline is set while the client is idle", i)
			}
		}

		stuck.write(t, `{"cmd":"volume","val`)
		// A line that takes a while but ends in time.
		slow.write(t, `{"cmd":"volume",`)
		time.Sleep(LineTimeout - time.Second)
		slow.write(t, `"value":7}`+"\n")
		slow.until(t, "the volume", func(m message) bool { return m.Status != nil && m.Status.Volume == 7 })
		// A line that keeps coming a byte a second: begun, not ended.
		go func() {
			for _, b := range []byte(`{"cmd":"volume","value":9}`) {
				if _, err := trickle.nc.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(time.Second)
			}
		}()
		time.Sleep(LineTimeout + time.Second)
		synctest.Wait()
		want := "A line was begun and not ended within 5s; closing the connection."
		for name, c := range map[string]*pipeClient{"the stuck client": stuck, "the trickling client": trickle} {
			if e, ended := c.ended(); !ended || e != want {
				t.Errorf("%s: ended %v, error %q, want %q", name, ended, e, want)
			}
		}

		time.Sleep(10 * time.Hour)
		synctest.Wait()
		if !l.served[0].readDeadline().IsZero() {
			t.Error("a read deadline is set while the client is idle")
		}
		idle.write(t, `{"cmd":"volume","value":3}`+"\n")
		idle.until(t, "the volume after 10 idle hours", func(m message) bool { return m.Status != nil && m.Status.Volume == 3 })
		if _, ended := idle.ended(); ended {
			t.Error("the idle client was dropped")
		}
		for _, c := range []*pipeClient{idle, slow} {
			c.nc.Close()
		}
	})
}

// A line over MaxClientLine is refused as it comes, without the engine
// holding more than that of it.
func TestLongPartialLineIsRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newPipeListener()
		servePipes(t, l, &stubPlayer{})
		c := pipeDial(t, l)
		go func() {
			chunk := []byte(`{"cmd":"enqueue","tracks":[` + strings.Repeat("x", 64<<10))
			for range 64 { // 4 MB, never ended
				if _, err := c.nc.Write(chunk); err != nil {
					return
				}
			}
		}()
		m := c.until(t, "the error", func(m message) bool { return m.Error != "" })
		if want := "A line over 262144 bytes was refused."; m.Error != want {
			t.Errorf("error %q, want %q", m.Error, want)
		}
		c.nc.Close()
	})
}

// The engine serves MaxConns connections; one more is told why in a line
// and closed (Dial says so), and once one leaves, a new one is served.
func TestConnectionCap(t *testing.T) {
	r := newRig(t, Options{})
	var clients []*Client
	for range MaxConns {
		clients = append(clients, r.dial(t))
	}
	_, err := Dial(context.Background(), r.path)
	if err == nil || !strings.Contains(err.Error(), "the pcplay engine refused the connection: the pcplay engine already serves 64 connections, its most; close some") {
		t.Fatalf("Dial over the cap: %v", err)
	}
	raw := rawDial(t, r.path)
	if m, _ := raw.next(); m.Error != fullSentence {
		t.Errorf("over the cap, the engine said %+v", m)
	}
	if !raw.closed() {
		t.Error("the connection over the cap is open")
	}
	// Those attached are served as before.
	clients[10].SetVolume(21)
	syncNow(t, clients[10])
	clients[0].Close()
	var c *Client
	poll.Until(t, "a connection once one left", func() bool {
		c, err = Dial(context.Background(), r.path)
		return err == nil
	})
	c.SetVolume(22)
	syncNow(t, c)
	c.Close()
	if errors.Is(err, ErrNoEngine) {
		t.Error(err)
	}
}
