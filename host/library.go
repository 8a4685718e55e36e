package host

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

// The music library: the host keeps the index (a [library.Keeper]: the
// scan, then pCloud's change feed) and records the durations the player
// learns. A UI in the host's process reads the same index; a UI attached
// to an engine reads it itself, read only, and follows the engine's
// library state.

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

// IndexReader opens the index the engine keeps, read only: the library of
// a UI attached to an engine.
func IndexReader() (func() (*library.Library, error), error) {
	path, err := config.LibraryPath()
	if err != nil {
		return nil, err
	}
	return func() (*library.Library, error) { return library.OpenReader(path) }, nil
}
