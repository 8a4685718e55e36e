package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/playlist"
	"github.com/pcplay/pcplay/ui"
)

// uiPlaylists is the UI's playlist store: a playlist.Auto over the UI's
// client with its local playlists in dir (StateDir()/playlists, or the
// demo's own), made again when the client's login changes (a login on the
// UI's screen brings pCloud's playlists). nil when there is no dir (view 5
// then says so).
func uiPlaylists(c *api.Client, dir string, logger *slog.Logger) ui.Playlists {
	if dir == "" {
		return nil
	}
	return &loginPlaylists{c: c, dir: dir, logger: logger}
}

type loginPlaylists struct {
	c      *api.Client
	dir    string
	logger *slog.Logger

	mu    sync.Mutex
	token string
	auto  *playlist.Auto
	err   error
}

// store is the Auto for the client's login as it is now.
func (l *loginPlaylists) store() (*playlist.Auto, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tok := l.c.Token()
	if l.auto == nil || tok != l.token {
		l.auto, l.err = playlist.NewAuto(l.c, l.dir)
		l.token = tok
		if l.err != nil {
			l.logger.Warn("playlists", "err", l.err)
		}
	}
	return l.auto, l.err
}

func (l *loginPlaylists) Notice() string {
	a, err := l.store()
	if err != nil {
		return ""
	}
	return a.Notice()
}

func (l *loginPlaylists) List(ctx context.Context) ([]playlist.Playlist, error) {
	a, err := l.store()
	if err != nil {
		return nil, err
	}
	return a.List(ctx)
}

func (l *loginPlaylists) Open(ctx context.Context, id string) ([]playlist.Track, error) {
	a, err := l.store()
	if err != nil {
		return nil, err
	}
	return a.Open(ctx, id)
}

func (l *loginPlaylists) Create(ctx context.Context, name string, tracks []playlist.Track) (playlist.Playlist, playlist.AddResult, error) {
	a, err := l.store()
	if err != nil {
		return playlist.Playlist{}, playlist.AddResult{}, err
	}
	return a.Create(ctx, name, tracks)
}

func (l *loginPlaylists) Add(ctx context.Context, id string, tracks []playlist.Track) (playlist.AddResult, error) {
	a, err := l.store()
	if err != nil {
		return playlist.AddResult{}, err
	}
	return a.Add(ctx, id, tracks)
}

func (l *loginPlaylists) Remove(ctx context.Context, id string, positions []int) error {
	a, err := l.store()
	if err != nil {
		return err
	}
	return a.Remove(ctx, id, positions)
}

func (l *loginPlaylists) Move(ctx context.Context, id string, from, to int) error {
	a, err := l.store()
	if err != nil {
		return err
	}
	return a.Move(ctx, id, from, to)
}

func (l *loginPlaylists) Rename(ctx context.Context, id, name string) error {
	a, err := l.store()
	if err != nil {
		return err
	}
	return a.Rename(ctx, id, name)
}

func (l *loginPlaylists) Delete(ctx context.Context, id string) error {
	a, err := l.store()
	if err != nil {
		return err
	}
	return a.Delete(ctx, id)
}

func (l *loginPlaylists) Push(ctx context.Context, id string) (playlist.Playlist, playlist.AddResult, error) {
	a, err := l.store()
	if err != nil {
		return playlist.Playlist{}, playlist.AddResult{}, err
	}
	return a.Push(ctx, id)
}
