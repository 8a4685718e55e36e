package host

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// Lister lists pCloud folders by path (an [api.Client]).
type Lister interface {
	ListPath(ctx context.Context, path string, recursive bool) (*api.Metadata, error)
}

// Tracks resolves a target to the tracks it holds, in the order a person
// sees them browsing: "playlist:NAME" is a playlist of store (pCloud's or
// one kept on this machine); anything else is a pCloud path from the top,
// a file or a folder (recursively: in each folder its folders first, then
// its files, each in [order.Compare]'s natural order). c nil: not logged in.
func Tracks(ctx context.Context, c Lister, store playlist.Store, target string) ([]player.Track, error) {
	if name, ok := strings.CutPrefix(target, playlist.TargetPrefix); ok {
		if store == nil {
			return nil, errors.New("there is no place for playlists here (no state directory)")
		}
		return playlistTracks(ctx, store, name)
	}
	if c == nil {
		return nil, errors.New("you are not logged in to pCloud: log in first (pcplay login)")
	}
	return pathTracks(ctx, c, target)
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
	return playlist.Queued(tracks), nil
}

// pathTracks lists what a pCloud path holds: its parent folder is listed
// to tell a file from a folder.
func pathTracks(ctx context.Context, c Lister, p string) ([]player.Track, error) {
	p = path.Clean("/" + p)
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
		return []player.Track{player.TrackOf(m)}, nil
	}
	return nil, fmt.Errorf("there is no %s in your pCloud", p)
}

func folderTracks(ctx context.Context, c Lister, p string) ([]player.Track, error) {
	md, err := c.ListPath(ctx, p, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", p, playlist.Sentence(err))
	}
	return player.TracksOf(md), nil
}
