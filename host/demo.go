package host

import (
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/demo"
)

// demoAccount is the built-in library's account; it never leaves the process.
const demoAccount = "demo@pcplay.invalid"

// demoLibrary is `pcplay --demo`: the fake pCloud serving the built-in music
// on 127.0.0.1, and a real client logged in to it. Real client, real stream,
// real player; only the server is local.
type demoLibrary struct {
	srv       *pcloudtest.Server
	client    *api.Client
	playlists string // local playlists, a temporary directory Close removes
	stop      func() // ends the world's faults (outage)
}

func startDemo(world string, logger *slog.Logger) (*demoLibrary, error) {
	w, ok := demo.WorldNamed(world)
	if !ok {
		return nil, fmt.Errorf("there is no demo world %q; the worlds are %s", world, demo.WorldNames())
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: demoAccount, Password: "demo"}},
		Root:     demoWorld(w.Name),
	})
	dir, err := os.MkdirTemp("", "pcplay-demo-")
	if err != nil {
		srv.Close()
		return nil, err
	}
	c, err := api.New(api.Options{
		BaseURL:    srv.URL(),
		RegionURLs: map[api.Region]string{api.RegionUS: srv.RegionURL("us"), api.RegionEU: srv.RegionURL("eu")},
		Token:      srv.Token(demoAccount),
		TokenKind:  api.TokenAuth,
		Logger:     logger,
	})
	if err != nil {
		srv.Close()
		_ = os.RemoveAll(dir)
		return nil, err
	}
	d := &demoLibrary{srv: srv, client: c, playlists: filepath.Join(dir, "playlists"), stop: func() {}}
	if w.Name == "outage" {
		d.stop = outages(srv, 40*time.Second, 20*time.Second)
	}
	return d, nil
}

// demoWorld is the library of a demo world.
func demoWorld(name string) *pcloudtest.Node {
	switch name {
	case "big":
		return pcloudtest.Generate(pcloudtest.GenOptions{Tracks: 10_000, Seed: 1})
	case "hostile":
		tracks := demo.Tracks()
		root := demoTree(tracks)
		data := map[int][]byte{128: tracks[0].Data}
		dir := pcloudtest.Dir("Hostile names")
		for _, n := range demo.HostileNames {
			dir.Children = append(dir.Children, pcloudtest.AudioFile(n+".mp3", data,
				pcloudtest.Tags{Title: n, Artist: n, Album: "Hostile names"}))
		}
		dir.Children = append(dir.Children, pcloudtest.Dir(demo.HostileNames[0]))
		root.Children = append(root.Children, dir)
		return root
	}
	return demoTree(demo.Tracks())
}

// outages takes the fake pCloud away for down after every up, until the
// returned stop.
func outages(srv interface {
	Down()
	Up()
}, up, down time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(up):
			}
			srv.Down()
			select {
			case <-done:
				srv.Up()
				return
			case <-time.After(down):
			}
			srv.Up()
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

func (d *demoLibrary) Close() {
	d.stop()
	d.srv.Close()
	_ = os.RemoveAll(filepath.Dir(d.playlists))
}

// demoTree turns the demo tracks into a folder tree: each track's Folder is
// a slash-separated path under the root.
func demoTree(tracks []demo.Track) *pcloudtest.Node {
	root := pcloudtest.Dir("")
	folders := map[string]*pcloudtest.Node{"": root}
	var folder func(p string) *pcloudtest.Node
	folder = func(p string) *pcloudtest.Node {
		p = strings.Trim(p, "/")
		if n, ok := folders[p]; ok {
			return n
		}
		dir := path.Dir(p)
		if dir == "." {
			dir = ""
		}
		parent := folder(dir)
		n := pcloudtest.Dir(path.Base(p))
		parent.Children = append(parent.Children, n)
		folders[p] = n
		return n
	}
	for _, t := range tracks {
		f := folder(t.Folder)
		f.Children = append(f.Children, pcloudtest.AudioFile(t.File, map[int][]byte{128: t.Data}, pcloudtest.Tags{
			Artist: t.Artist, Album: t.Album, Title: t.Title, Genre: t.Genre, TrackNo: t.TrackNo,
		}))
	}
	return root
}
