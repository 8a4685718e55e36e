// Package lyrics finds and parses the lyrics of a track: LRC files (synced,
// with [mm:ss.xx] stamps), plain text, the lyrics frames of a file's tags
// (ID3 USLT and SYLT, Vorbis LYRICS), and optionally LRCLIB.
//
// Sources, in order (see [Finder]): a sidecar .lrc or .txt with the
// track's base name in its pCloud folder; lyrics embedded in the file,
// read with ranged requests on the original (the tag's header first, then
// just the tag); LRCLIB when asked for (it sends the artist and title to
// a third party). Results are kept in a small LRU cache.
package lyrics

import (
	"sort"
	"strings"
	"time"
)

// Line is one synced line: the text shown from At on.
type Line struct {
	At   time.Duration `json:"ms"`
	Text string        `json:"text"`
}

// Lyrics are a track's lyrics: synced lines, or plain text.
type Lyrics struct {
	Lines []Line `json:"lines,omitempty"` // synced, sorted by At; nil when unsynced
	Plain string `json:"plain,omitempty"` // unsynced text, lines split by \n
	// Source says where they were found, for a person: "Song.lrc in the
	// track's folder", "the file's ID3 tag (SYLT)", "LRCLIB".
	Source string `json:"source,omitempty"`
	// LRC metadata tags ([ti:], [ar:], [al:], [by:]); "" when absent.
	Title  string `json:"title,omitempty"`
	Artist string `json:"artist,omitempty"`
	Album  string `json:"album,omitempty"`
	By     string `json:"by,omitempty"`
}

// Synced reports whether the lyrics have timed lines.
func (l *Lyrics) Synced() bool { return l != nil && len(l.Lines) > 0 }

// Empty reports whether there is nothing to show.
func (l *Lyrics) Empty() bool {
	return l == nil || (len(l.Lines) == 0 && strings.TrimSpace(l.Plain) == "")
}

// LineAt is the index of the synced line sung at pos: the last line whose
// time is at or before pos; -1 before the first line or when unsynced.
func (l *Lyrics) LineAt(pos time.Duration) int {
	if l == nil {
		return -1
	}
	return sort.Search(len(l.Lines), func(i int) bool { return l.Lines[i].At > pos }) - 1
}

// Text is the lyrics as plain text, a line a line (synced lines without
// their times).
func (l *Lyrics) Text() string {
	if l == nil {
		return ""
	}
	if len(l.Lines) == 0 {
		return l.Plain
	}
	var b strings.Builder
	for i, ln := range l.Lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(ln.Text)
	}
	return b.String()
}

// TextLines is Text split into lines (for a pane that scrolls).
func (l *Lyrics) TextLines() []string {
	if l == nil {
		return nil
	}
	if len(l.Lines) > 0 {
		out := make([]string, len(l.Lines))
		for i, ln := range l.Lines {
			out[i] = ln.Text
		}
		return out
	}
	t := strings.TrimRight(l.Plain, "\n")
	if t == "" {
		return nil
	}
	return strings.Split(t, "\n")
}
