package ui

import (
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/player"
)

// Names from outside (file and folder names, tags, playlist names, the
// library's artists and albums, and the sentences and errors that carry
// them) are written by anyone who shares a folder with the person. They
// reach the screen only through shown, which makes them inert and
// visible on one line ([textsafe.Line]: ESC shows as ␛, a newline as ␤,
// C1 controls as U+FFFD; bidi and zero-width characters are dropped).
//
// Two places apply it: where a name becomes a row's text (itemText,
// trackLabel, plTrackText, the library's rows, the playlists' names),
// which is also what the filter matches; and the sinks that draw plain
// sentences (paneTitle, the status line, the prompt, the playlist
// picker, the filter line, error and waiting lines). Only display text
// goes through it, before the UI's own styles are added: the names and
// paths the UI gives back to pCloud stay exact.
func shown(s string) string { return textsafe.Line(s) }

// trackLabel is a queued track's label ([player.Track.Label]) as shown.
func trackLabel(t player.Track) string { return shown(t.Label()) }
