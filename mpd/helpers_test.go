package mpd_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/mpd"
)

// world is an MPD server on a host of the demo library (the fake pCloud
// in the process, the real player on the null output), on a loopback TCP
// port.
type world struct {
	t    *testing.T
	h    *host.Host
	srv  *mpd.Server
	addr string
}

func newWorld(t *testing.T, o mpd.Options) *world {
	t.Helper()
	return newWorldOn(t, o, nil)
}

// newWorldOn is newWorld serving wrap(host) (nil: the host itself).
func newWorldOn(t *testing.T, o mpd.Options, wrap func(*host.Host) mpd.Backend) *world {
	t.Helper()
	return newWorldIn(t, "", o, wrap)
}

// newWorldIn is newWorldOn on the demo world named demoWorld.
func newWorldIn(t *testing.T, demoWorld string, o mpd.Options, wrap func(*host.Host) mpd.Backend) *world {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	h, err := host.Open(ctx, config.Settings{Demo: true, DemoWorld: demoWorld, Output: "null", Bitrate: 128, Volume: 50, Region: "us", SpeakerBuffer: 100 * time.Millisecond}, host.Options{})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var b mpd.Backend = h
	if wrap != nil {
		b = wrap(h)
	}
	srv := mpd.New(b, o)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); wg.Wait(); h.Close() })
	poll.Until(t, "the demo library indexed", func() bool {
		st, _ := h.LibraryState()
		return st.Complete && !st.Scanning
	})
	return &world{t: t, h: h, srv: srv, addr: ln.Addr().String()}
}

// conn is a client connection.
type conn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

// dial connects and checks the greeting.
func (w *world) dial() *conn {
	w.t.Helper()
	c, err := net.Dial("tcp", w.addr)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { c.Close() })
	cn := &conn{t: w.t, c: c, r: bufio.NewReader(c)}
	if g := cn.line(); g != "OK MPD "+mpd.Version {
		w.t.Fatalf("greeting %q", g)
	}
	return cn
}

func (c *conn) line() string {
	c.t.Helper()
	c.c.SetReadDeadline(time.Now().Add(20 * time.Second))
	s, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading: %v (got %q)", err, s)
	}
	return strings.TrimSuffix(s, "\n")
}

func (c *conn) send(lines ...string) {
	c.t.Helper()
	if _, err := c.c.Write([]byte(strings.Join(lines, "\n") + "\n")); err != nil {
		c.t.Fatal(err)
	}
}

// answer reads up to and with the closing OK or ACK line.
func (c *conn) answer() string {
	c.t.Helper()
	var b strings.Builder
	for {
		l := c.line()
		b.WriteString(l + "\n")
		if l == "OK" || strings.HasPrefix(l, "ACK ") {
			return b.String()
		}
	}
}

// do sends a command and returns its answer.
func (c *conn) do(lines ...string) string {
	c.t.Helper()
	c.send(lines...)
	return c.answer()
}

// ok sends a command and fails unless its answer ends with OK; it returns
// the answer's fields.
func (c *conn) ok(line string) map[string]string {
	c.t.Helper()
	a := c.do(line)
	if !strings.HasSuffix(a, "OK\n") {
		c.t.Fatalf("%s: %s", line, a)
	}
	return fields(a)
}

// fields is an answer's "Key: value" lines (the last of each key).
func fields(a string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(a, "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok {
			m[k] = v
		}
	}
	return m
}

// values is every value of key in an answer, in order.
func values(a, key string) []string {
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok && k == key {
			out = append(out, v)
		}
	}
	return out
}

// dial2 connects and returns the first line, whatever it is.
func (w *world) dial2() string {
	w.t.Helper()
	c, err := net.Dial("tcp", w.addr)
	if err != nil {
		w.t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	s, _ := bufio.NewReader(c).ReadString('\n')
	return s
}
