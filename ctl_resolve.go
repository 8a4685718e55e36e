package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/ctl"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// ctlResolver resolves the PATH of `ctl add|play PATH` with this process's
// own login, as `pcplay playlist` does: a pCloud file, a folder
// (recursively, folders first then files, by name), or playlist:NAME
// (pCloud's playlists and those kept on this machine).
func ctlResolver(s config.Settings, logger *slog.Logger) ctl.Resolver {
	return func(ctx context.Context, target string) ([]player.Track, error) {
		pc, err := playlistEnv(s, logger)
		if err != nil {
			return nil, err
		}
		if name, ok := strings.CutPrefix(target, ctl.PlaylistPrefix); ok {
			return playlistTracks(ctx, pc.store, name)
		}
		if pc.client == nil {
			return nil, errors.New("you are not logged in to pCloud: log in first (pcplay login)")
		}
		return pathTracks(ctx, pc.client, target)
	}
}

func playlistTracks(ctx context.Context, store playlist.Store, name string) ([]player.Track, error) {
	pl, err := playlist.Find(ctx, store, name)
	if err != nil {
		if errors.Is(err, playlist.ErrNotFound) {
			return nil, fmt.Errorf("there is no playlist called %q (pcplay playlist list shows them)", name)
		}
		return nil, errors.New(playlist.Sentence(err))
	}
	tracks, err := store.Open(ctx, pl.ID)
	if err != nil {
		return nil, errors.New(playlist.Sentence(err))
	}
	out := make([]player.Track, 0, len(tracks))
	for _, t := range tracks {
		out = append(out, player.Track{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album})
	}
	return out, nil
}

// pathTracks lists what a pCloud path holds: its parent folder is listed
// to tell a file from a folder.
func pathTracks(ctx context.Context, c *api.Client, p string) ([]player.Track, error) {
	p = path.Clean(p)
	if p == "/" {
		return folderTracks(ctx, c, p)
	}
	dir, base := path.Split(p)
	md, err := c.ListPath(ctx, path.Clean(dir), false)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", dir, playlist.Sentence(err))
	}
	for _, m := range md.Contents {
		switch {
		case m == nil || m.Name != base:
			continue
		case m.IsFolder:
			return folderTracks(ctx, c, p)
		case !m.Playable():
			return nil, fmt.Errorf("%s is not audio or video; it can't be played", p)
		}
		return []player.Track{trackOfMeta(m)}, nil
	}
	return nil, fmt.Errorf("there is no %s in your pCloud", p)
}

func folderTracks(ctx context.Context, c *api.Client, p string) ([]player.Track, error) {
	md, err := c.ListPath(ctx, p, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", p, playlist.Sentence(err))
	}
	var out []player.Track
	collectTracks(md, &out, 0)
	return out, nil
}

// collectTracks appends the playable files of a tree: in each folder its
// folders first, then its files, by name.
func collectTracks(m *api.Metadata, out *[]player.Track, depth int) {
	if m == nil || depth > 64 {
		return
	}
	items := slices.DeleteFunc(slices.Clone(m.Contents), func(c *api.Metadata) bool { return c == nil })
	slices.SortStableFunc(items, func(a, b *api.Metadata) int {
		if a.IsFolder != b.IsFolder {
			if a.IsFolder {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	for _, c := range items {
		if c.IsFolder {
			collectTracks(c, out, depth+1)
		} else if c.Playable() {
			*out = append(*out, trackOfMeta(c))
		}
	}
}

func trackOfMeta(m *api.Metadata) player.Track {
	return player.Track{FileID: m.FileID, Name: m.Name, Title: m.Title, Artist: m.Artist, Album: m.Album, TrackNo: m.TrackNo}
}

// playlistsDir is where playlists kept on this machine live.
func playlistsDir() (string, error) {
	dir, err := config.StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "playlists"), nil
}
