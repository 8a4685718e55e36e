package player

import (
	"context"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

// silentHost is a loopback listener that accepts connections and never
// answers (nor closes them until the test ends).
type silentHost struct {
	ln       net.Listener
	accepted atomic.Int64
	mu       sync.Mutex
	conns    []net.Conn
}

func newSilentHost(t *testing.T) *silentHost {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &silentHost{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			h.accepted.Add(1)
			h.mu.Lock()
			h.conns = append(h.conns, c)
			h.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, c := range h.conns {
			c.Close()
		}
	})
	return h
}

// silentFirst puts the silent host before the real stream hosts of every
// link, with the same path.
type silentFirst struct {
	LinkSource
	host string
}

func (s silentFirst) AudioLink(ctx context.Context, fileID uint64, bitrate int) (Link, error) {
	l, err := s.LinkSource.AudioLink(ctx, fileID, bitrate)
	if err != nil || len(l.URLs) == 0 {
		return l, err
	}
	u, err := url.Parse(l.URLs[0])
	if err != nil {
		return l, err
	}
	u.Host = s.host
	l.URLs = append([]string{u.String()}, l.URLs...)
	return l, nil
}

// TestSilentStreamHostFailsOver: a player made without an HTTP client uses
// the stream client with connect and header timeouts, so a host that accepts
// the connection and never answers gives way to the next host of the link
// (with http.DefaultClient it waited for ever, "Loading").
func TestSilentStreamHostFailsOver(t *testing.T) {
	t.Parallel() // real time (the stream client's 15 s header timeout on a socket): it waits beside the others
	env := newTrackEnvReal(t, "a128")
	silent := newSilentHost(t)
	p, err := New(Config{
		Links:   silentFirst{env.links, silent.ln.Addr().String()},
		Output:  newCapture(44100, 1),
		Volume:  100,
		Bitrate: 128,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	p.PlayNow([]Track{{FileID: env.id("a128"), Name: "a128.mp3"}})

	poll.Until(t, "playing from the second host", func() bool {
		st := p.Status()
		if st.State == Errored || st.Err != "" {
			t.Fatalf("playback failed: %+v", st)
		}
		return st.State == Playing && st.Position >= time.Second
	})

	if silent.accepted.Load() == 0 {
		t.Fatal("the silent host was never tried")
	}
	if n := len(env.srv.Calls("/")); n == 0 {
		t.Fatal("the good host got no stream request")
	}
}
