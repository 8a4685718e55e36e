package host

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/playlist"
)

// playlistsDir is where playlists kept on this machine live.
func playlistsDir() (string, error) {
	dir, err := config.StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "playlists"), nil
}

// localPlaylistsDir is playlistsDir; "" (and a log line) when there is no
// state directory.
func localPlaylistsDir(logger *slog.Logger) string {
	dir, err := playlistsDir()
	if err != nil {
		logger.Warn("no local playlists: no state directory", "err", err)
	}
	return dir
}

// Playlists is a playlist store that follows a login: a [playlist.Auto]
// over the client of the login as it is now, with its local playlists in
// a directory, made again when the login changes (a login on the UI's
// screen brings pCloud's playlists).
type Playlists struct {
	client func() *api.Client
	dir    string
	logger *slog.Logger

	mu    sync.Mutex
	token string
	auto  *playlist.Auto
	err   error
}

// NewPlaylists is the store of c's login, with its local playlists in
// StateDir()/playlists; nil when there is no state directory (view 5 then
// says so).
func NewPlaylists(c *api.Client, logger *slog.Logger) *Playlists {
	return newPlaylists(func() *api.Client { return c }, localPlaylistsDir(logger), logger)
}

func newPlaylists(client func() *api.Client, dir string, logger *slog.Logger) *Playlists {
	if dir == "" {
		return nil
	}
	return &Playlists{client: client, dir: dir, logger: logger}
}

// store is the Auto for the login as it is now.
func (l *Playlists) store() (*playlist.Auto, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.client()
	tok := ""
	if c != nil {
		tok = c.Token()
	}
	if l.auto == nil || tok != l.token {
		l.auto, l.err = playlist.NewAuto(c, l.dir)
		l.token = tok
		if l.err != nil {
			l.logger.Warn("playlists", "err", l.err)
		}
	}
	return l.auto, l.err
}

func (l *Playlists) Notice() string {
	a, err := l.store()
	if err != nil {
		return ""
	}
	return a.Notice()
}

func (l *Playlists) List(ctx context.Context) ([]playlist.Playlist, error) {
	a, err := l.store()
	if err != nil {
		return nil, err
	}
	return a.List(ctx)
}

func (l *Playlists) Open(ctx context.Context, id string) ([]playlist.Track, error) {
	a, err := l.store()
	if err != nil {
		return nil, err
	}
	return a.Open(ctx, id)
}

func (l *Playlists) Create(ctx context.Context, name string, tracks []playlist.Track) (playlist.Playlist, playlist.AddResult, error) {
	a, err := l.store()
	if err != nil {
		return playlist.Playlist{}, playlist.AddResult{}, err
	}
	return a.Create(ctx, name, tracks)
}

func (l *Playlists) Add(ctx context.Context, id string, tracks []playlist.Track) (playlist.AddResult, error) {
	a, err := l.store()
	if err != nil {
		return playlist.AddResult{}, err
	}
	return a.Add(ctx, id, tracks)
}

func (l *Playlists) Remove(ctx context.Context, id string, positions []int) error {
	a, err := l.store()
	if err != nil {
		return err
	}
	return a.Remove(ctx, id, positions)
}

func (l *Playlists) Move(ctx context.Context, id string, from, to int) error {
	a, err := l.store()
	if err != nil {
		return err
	}
	return a.Move(ctx, id, from, to)
}

func (l *Playlists) Rename(ctx context.Context, id, name string) error {
	a, err := l.store()
	if err != nil {
		return err
	}
	return a.Rename(ctx, id, name)
}

func (l *Playlists) Delete(ctx context.Context, id string) error {
	a, err := l.store()
	if err != nil {
		return err
	}
	return a.Delete(ctx, id)
}

func (l *Playlists) Push(ctx context.Context, id string) (playlist.Playlist, playlist.AddResult, error) {
	a, err := l.store()
	if err != nil {
		return playlist.Playlist{}, playlist.AddResult{}, err
	}
	return a.Push(ctx, id)
}
