//go:build unix

package ctl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/player"
)

// rig is an engine serving a real player (null output, real time) that
// plays the fixtures a128, b128 and tagged of /Music from a fake pCloud.
type rig struct {
	srv  *pcloudtest.Server
	p    *player.Player
	path string
	ids  map[string]uint64
}

func newRig(t *testing.T) *rig {
	t.Helper()
	const email = "ctl@example.com"
	names := []string{"a128", "b128", "tagged"}
	var files []*pcloudtest.Node
	for _, n := range names {
		f := fixtures.Get(n)
		files = append(files, pcloudtest.AudioFile(f.File, map[int][]byte{128: f.Data()}, pcloudtest.Tags{Title: f.Title, Artist: f.Artist}))
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: email, Password: "pw"}},
		Root:     pcloudtest.Dir("", pcloudtest.Dir("Music", files...)),
	})
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token(email), TokenKind: api.TokenAuth,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	p, err := player.New(player.Config{Links: player.LinksFromAPI(c), Output: player.NewNull(44100), Bitrate: 128, Volume: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	r := &rig{srv: srv, p: p, ids: map[string]uint64{}}
	for _, n := range names {
		r.ids[n] = srv.FileID("/Music/" + n + ".mp3")
	}
	// A short directory: a socket path must fit in 108 bytes.
	dir, err := os.MkdirTemp("", "pcc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	r.path = filepath.Join(dir, engine.SocketName)
	ln, err := engine.Listen(r.path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- engine.Serve(ctx, ln, p, engine.Options{}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("Serve did not return")
		}
	})
	return r
}

func (r *rig) tracks(names ...string) []player.Track {
	var ts []player.Track
	for _, n := range names {
		f := fixtures.Get(n)
		ts = append(ts, player.Track{FileID: r.ids[n], Name: f.File, Title: f.Title, Artist: f.Artist})
	}
	return ts
}

func (r *rig) dial(t *testing.T) *engine.Client {
	t.Helper()
	c, err := engine.Dial(context.Background(), r.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ctl runs one ctl command line on a fresh connection, as `pcplay ctl`
// does, and returns what it printed.
func (r *rig) ctl(t *testing.T, resolve Resolver, args ...string) (string, error) {
	t.Helper()
	c := r.dial(t)
	defer c.Close()
	var b strings.Builder
	err := Run(context.Background(), c, args, &b, resolve)
	return b.String(), err
}
