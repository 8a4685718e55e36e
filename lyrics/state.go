package lyrics

import (
	"strings"
	"time"
)

// State is what is known of the playing track's lyrics, as a host tells
// its clients.
type State struct {
	FileID  uint64   `json:"fileid"`            // the track they are of; 0: none
	Loading bool     `json:"loading,omitempty"` // being looked for
	Lyrics  *Lyrics  `json:"lyrics,omitempty"`  // nil: none (yet)
	Looked  []string `json:"looked,omitempty"`  // the places looked in
	Err     string   `json:"error,omitempty"`   // a place could not be looked in
	// Following: the host looks lyrics up for each track played (someone
	// asked for them: pcplay ctl lyrics, the L pane).
	Following bool `json:"following,omitempty"`
}

// Settled reports whether the lyrics of fileID are known, or known to be
// missing.
func (s State) Settled(fileID uint64) bool { return s.FileID == fileID && !s.Loading }

// Line is the synced line at pos and whether there is one (the track's
// lyrics are synced and pos is at or past the first line).
func (s State) Line(fileID uint64, pos time.Duration) (string, int, bool) {
	if s.FileID != fileID || !s.Lyrics.Synced() {
		return "", -1, false
	}
	i := s.Lyrics.LineAt(pos)
	if i < 0 {
		return "", -1, true
	}
	return s.Lyrics.Lines[i].Text, i, true
}

// Missing is the sentence for no lyrics: "No lyrics found (looked in:
// ...)", with why a place could not be looked in.
func (s State) Missing() string {
	msg := "No lyrics found"
	if len(s.Looked) > 0 {
		msg += " (looked in: " + strings.Join(s.Looked, "; ") + ")"
	}
	msg += "."
	if s.Err != "" {
		msg += " " + s.Err
	}
	return msg
}
