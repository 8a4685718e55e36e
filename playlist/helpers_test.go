package playlist

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
)

const user = "pl@example.com"

var audio = []byte{0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0}

func file(name, artist, title string) *pcloudtest.Node {
	return pcloudtest.AudioFile(name, map[int][]byte{128: audio}, pcloudtest.Tags{Artist: artist, Title: title, Album: "Älbum"})
}

// tree has Unicode paths and a folder of n plain tracks.
func tree(n int) *pcloudtest.Node {
	many := pcloudtest.Dir("Many")
	for i := range n {
		many.Children = append(many.Children, file(fmt.Sprintf("T%03d.mp3", i), "", ""))
	}
	return pcloudtest.Dir("",
		pcloudtest.Dir("Musik",
			pcloudtest.Dir("Björk", pcloudtest.Dir("Homogenic",
				file("01 Hunter.mp3", "Björk", "Hunter"),
				file("02 Jóga.mp3", "Björk", "Jóga"))),
			pcloudtest.Dir("東京 #1", file("曲, one.mp3", "", "曲")),
		),
		file("Top level.mp3", "Solo", ""),
		many,
	)
}

type world struct {
	srv *pcloudtest.Server
	tok string
}

func newWorld(t *testing.T, n int, refuse bool) world {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts:               []pcloudtest.Account{{Email: user, Password: "pw"}},
		Root:                   tree(n),
		RefuseOAuthCollections: refuse,
	})
	t.Cleanup(srv.Close)
	return world{srv: srv, tok: srv.Token(user)}
}

func (w world) client(t *testing.T, kind api.TokenKind) *api.Client {
	t.Helper()
	c, err := api.New(api.Options{BaseURL: w.srv.URL(), Token: w.tok, TokenKind: kind, Backoff: func(int) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w world) tracks(t *testing.T, paths ...string) []Track {
	t.Helper()
	r := NewAPIResolver(w.client(t, api.TokenAuth))
	var out []Track
	for _, p := range paths {
		tr, err := r.ResolvePath(ctxT(t), p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, tr)
	}
	return out
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func ids(tracks []Track) []uint64 {
	out := make([]uint64, len(tracks))
	for i, t := range tracks {
		out[i] = t.FileID
	}
	return out
}

func sameIDs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
