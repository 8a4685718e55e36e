package ui

import "github.com/pcplay/pcplay/player"

// nowPlaying is the track the player is on, as its last Status said. The
// top model sets it; every view that lists tracks marks that one (the
// Folders view, the Playlists view, and the library views through the
// same helpers).
type nowPlaying struct {
	fileID uint64
	active bool // playing, paused, loading: not stopped
}

// set takes a player Status.
func (n *nowPlaying) set(st player.Status) {
	n.fileID = 0
	if st.Index >= 0 {
		n.fileID = st.Track.FileID
	}
	n.active = st.State != player.Stopped && st.State != player.Errored
}

// isPlaying reports whether the file is the track the player is on.
func (e *env) isPlaying(fileID uint64) bool {
	return e.now != nil && e.now.active && fileID != 0 && e.now.fileID == fileID
}

// trackIcon is the icon of a track's row: ▶ for the one the player is on,
// else ♪.
func (e *env) trackIcon(fileID uint64) string {
	if e.isPlaying(fileID) {
		return "▶ "
	}
	return "♪ "
}
