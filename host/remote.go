package host

import (
	"context"

	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// What a remote protocol served beside the engine's socket (the MPD
// server) reads of the host besides the command table.

// Library is the index the host keeps; nil when it has none.
func (h *Host) Library() *library.Library {
	if h.keeper == nil {
		return nil
	}
	return h.keeper.Library()
}

// LibraryState is the library keeper's state and a channel closed at its
// next change; without a library, the zero State and a channel that never
// closes.
func (h *Host) LibraryState() (library.State, <-chan struct{}) {
	if h.keeper == nil {
		return library.State{}, nil
	}
	return h.keeper.LibraryState()
}

// PlaylistStore is the playlist store of the current login; nil when
// there is no place for playlists.
func (h *Host) PlaylistStore() playlist.Store {
	if h.playlists == nil {
		return nil
	}
	return h.playlists
}

// Resolve is the tracks of a target (a pCloud path or playlist:NAME), as
// [Tracks] resolves them with the host's login and playlists.
func (h *Host) Resolve(ctx context.Context, target string) ([]player.Track, error) {
	c := h.acct.current()
	if c == nil || c.Token() == "" {
		return Tracks(ctx, nil, h.PlaylistStore(), target)
	}
	return Tracks(ctx, c, h.PlaylistStore(), target)
}
