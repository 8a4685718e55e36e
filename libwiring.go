package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/ui"
)

// The music library's wiring: whoever owns the player (the engine, or the
// one process of --foreground and --demo) keeps the index (a
// library.Keeper: the scan, then pCloud's change feed) and records the
// durations the player learns; a UI attached to an engine reads the index
// itself, read only, and follows the engine's library state.

// keepLibrary opens the index at path and keeps it fresh from src until
// the returned stop is called (stop waits for the keeper, then closes the
// index). The player's durations are recorded as tracks play. When the
// index cannot be opened at all, the reason is logged and k is nil: the
// player works without a library.
func keepLibrary(ctx context.Context, path string, s config.Settings, src library.Source, links player.LinkSource, p player.Controller, logger *slog.Logger) (k *library.Keeper, stop func()) {
	lib, err := library.Open(path, library.Options{Video: s.LibraryVideo})
	if err != nil {
		logger.Error("no music library", "err", err)
		return nil, func() {}
	}
	if n := lib.Notice(); n != "" {
		logger.Warn(n)
	}
	k = library.NewKeeper(lib, src, library.KeeperOptions{Folders: s.LibraryFolders, Measure: measurer(links)})
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); k.Run(ctx) }()
	go func() { defer wg.Done(); recordDurations(ctx, p, k) }()
	return k, func() {
		cancel()
		wg.Wait()
		lib.Close()
	}
}

// recordDurations hands the keeper each track's duration once the player
// knows it (from the stream).
func recordDurations(ctx context.Context, p player.Controller, k *library.Keeper) {
	var last uint64
	for st := range p.Subscribe(ctx) {
		if id := st.Track.FileID; id != 0 && id != last && st.Duration > 0 {
			last = id
			k.Played(id, st.Duration)
		}
	}
}

// libraryPath is where the index lives: the state directory, or for the
// demo a directory of its own (removed by cleanup).
func libraryPath(demo bool) (path string, cleanup func(), err error) {
	if !demo {
		p, err := config.LibraryPath()
		return p, func() {}, err
	}
	dir, err := os.MkdirTemp("", "pcplay-demo-library")
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, config.LibraryFile), func() { os.RemoveAll(dir) }, nil
}

// foregroundLibrary is the library of the one-process program (and the
// demo): kept in this process, read by the UI from the same index.
func foregroundLibrary(ctx context.Context, s config.Settings, c *api.Client, p player.Controller, o *ui.Options, logger *slog.Logger) (stop func()) {
	path, cleanup, err := libraryPath(s.Demo)
	if err != nil {
		logger.Error("no place for the music library", "err", err)
		return func() {}
	}
	k, stopKeeper := keepLibrary(ctx, path, s, c, player.LinksFromAPI(c), p, logger)
	if k != nil {
		o.Keeper = k
		o.Index = func() (*library.Library, error) { return k.Library(), nil }
	}
	return func() { stopKeeper(); cleanup() }
}

// attachedLibrary is a UI's library beside an engine: the engine keeps the
// index; the UI reads it, read only, once it exists.
func attachedLibrary(k ui.LibraryFeed, o *ui.Options) {
	path, err := config.LibraryPath()
	if err != nil {
		return
	}
	o.Keeper = k
	o.Index = func() (*library.Library, error) { return library.OpenReader(path) }
}

// The engine's library source: the current login's client.

var errNoClient = errors.New("no pCloud login yet")

func (l *swapLinks) client() (*api.Client, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c == nil {
		return nil, errNoClient
	}
	return l.c, nil
}

func (l *swapLinks) ListFolderWith(ctx context.Context, folderID uint64, o api.ListOptions) (*api.Metadata, error) {
	c, err := l.client()
	if err != nil {
		return nil, err
	}
	return c.ListFolderWith(ctx, folderID, o)
}

func (l *swapLinks) ListPath(ctx context.Context, path string, recursive bool) (*api.Metadata, error) {
	c, err := l.client()
	if err != nil {
		return nil, err
	}
	return c.ListPath(ctx, path, recursive)
}

func (l *swapLinks) Diff(ctx context.Context, o api.DiffOptions) (*api.DiffPage, error) {
	c, err := l.client()
	if err != nil {
		return nil, err
	}
	return c.Diff(ctx, o)
}

// engineLibrary is the engine's library (nil when it has none).
func engineLibrary(ctx context.Context, s config.Settings, links *swapLinks, p player.Controller, logger *slog.Logger) (engine.LibraryKeeper, func()) {
	path, err := config.LibraryPath()
	if err != nil {
		logger.Error("no place for the music library", "err", err)
		return nil, func() {}
	}
	k, stop := keepLibrary(ctx, path, s, links, links, p, logger)
	if k == nil {
		return nil, stop
	}
	return k, stop
}
