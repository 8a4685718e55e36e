package library

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
)

const email = "me@example.com"

type fixture struct {
	srv *pcloudtest.Server
	c   *api.Client
	lib *Library
	dir string
}

func newFixture(t *testing.T, root *pcloudtest.Node) *fixture {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{Root: root, Accounts: []pcloudtest.Account{{Email: email, Password: "pw"}}})
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token(email), Backoff: func(int) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, c: c, dir: t.TempDir()}
	f.lib = f.open(t)
	return f
}

func (f *fixture) open(t *testing.T) *Library {
	t.Helper()
	l, err := Open(filepath.Join(f.dir, "library.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func (f *fixture) scan(t *testing.T) {
	t.Helper()
	if err := f.lib.Scan(context.Background(), f.c, ScanOptions{}); err != nil {
		t.Fatal(err)
	}
}

// audioIDs are the fileids of the tree's audio files (filled by NewServer).
func audioIDs(n *pcloudtest.Node) []uint64 {
	var out []uint64
	for _, c := range n.Children {
		if c.Folder {
			out = append(out, audioIDs(c)...)
		} else if c.Category == 3 {
			out = append(out, c.ID)
		}
	}
	return out
}

func tagged(name string, t pcloudtest.Tags) *pcloudtest.Node {
	return pcloudtest.AudioFile(name, map[int][]byte{64: []byte("mp3")}, t)
}

func titles(ts []Track) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Title
	}
	return out
}
