package host

import (
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"

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
}

func startDemo(logger *slog.Logger) (*demoLibrary, error) {
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: demoAccount, Password: "demo"}},
		Root:     demoTree(demo.Tracks()),
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
	return &demoLibrary{srv: srv, client: c, playlists: filepath.Join(dir, "playlists")}, nil
}

func (d *demoLibrary) Close() {
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
