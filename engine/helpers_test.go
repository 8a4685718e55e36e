//go:build unix

package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/player"
)

const testEmail = "engine@example.com"

// shortDir is a private temporary directory with a short path (a socket
// path must fit in 108 bytes; t.TempDir's can be long).
func shortDir(t testing.TB) string {
	t.Helper()
	d, err := os.MkdirTemp("", "pce")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// rig is an engine serving a real player (null output, real time) that
// plays fixtures from the fake pCloud over HTTP.
type rig struct {
	srv   *pcloudtest.Server
	p     *player.Player
	path  string
	ids   map[string]uint64
	saves chan player.Status
	done  chan error
	stop  context.CancelFunc
}

// fakeWorld is a fake pCloud serving root to one account, a client logged
// in to it and a player (null output) playing through that client.
func fakeWorld(t *testing.T, root *pcloudtest.Node) (*pcloudtest.Server, *api.Client, *player.Player) {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: testEmail, Password: "pw"}},
		Root:     root,
	})
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token(testEmail), TokenKind: api.TokenAuth,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	p, err := player.New(player.Config{Links: player.LinksFromAPI(c), Output: player.NewNull(44100), Bitrate: 128, Volume: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return srv, c, p
}

func newRig(t *testing.T, opts Options) *rig {
	t.Helper()
	names := []string{"a128", "b128", "tagged"}
	var files []*pcloudtest.Node
	for _, n := range names {
		f := fixtures.Get(n)
		files = append(files, pcloudtest.AudioFile(f.File, map[int][]byte{128: f.Data()}, pcloudtest.Tags{Title: f.Title, Artist: f.Artist}))
	}
	srv, _, p := fakeWorld(t, pcloudtest.Dir("", pcloudtest.Dir("Music", files...)))
	r := &rig{srv: srv, p: p, ids: map[string]uint64{}, saves: make(chan player.Status, 10), done: make(chan error, 1)}
	for _, n := range names {
		r.ids[n] = srv.FileID("/Music/" + n + ".mp3")
	}
	r.path = filepath.Join(shortDir(t), SocketName)
	ln, err := Listen(r.path)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Save == nil {
		opts.Save = func() { r.saves <- p.Status() }
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.stop = cancel
	go func() { r.done <- Serve(ctx, ln, p, opts) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
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

func (r *rig) dial(t *testing.T) *Client {
	t.Helper()
	c, err := Dial(context.Background(), r.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// syncNow is c.Sync with a generous deadline.
func syncNow(t testing.TB, c *Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}
