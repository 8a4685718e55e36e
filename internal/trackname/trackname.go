// Package trackname reads a track's disc, number, artist and title from
// its file name the way well-kept players do (beets', musikcube's):
// "02 Title", "02. Title", "02 - Title", "1-02 Title" (disc 1, track 2),
// "NN - Artist - Title". The library completes missing tags with it, and
// the player labels an untagged track with it, so that a track has one
// label wherever it is shown.
package trackname

import (
	"path"
	"regexp"
	"strconv"
	"strings"
)

var (
	discTrack = regexp.MustCompile(`^(\d)[-.](\d{1,3})[ ._-]+(.+)$`)      // "1-02 Title"
	numTitle  = regexp.MustCompile(`^(\d{1,3})(?:\s*[.)_-]\s*|\s+)(.+)$`) // "02 Title", "02. Title", "02 - Title"
)

// Parts are what a file name says; any may be empty (0).
type Parts struct {
	Disc, No      int
	Artist, Title string
}

// Parse reads file's name (without its extension). A name that is only a
// number stays the title ("1999.mp3").
func Parse(file string) Parts {
	base := strings.TrimSpace(strings.TrimSuffix(file, path.Ext(file)))
	if base == "" {
		base = file
	}
	var p Parts
	title := base
	if m := discTrack.FindStringSubmatch(base); m != nil {
		p.Disc, _ = strconv.Atoi(m[1])
		p.No, _ = strconv.Atoi(m[2])
		title = m[3]
	} else if m := numTitle.FindStringSubmatch(base); m != nil {
		p.No, _ = strconv.Atoi(m[1])
		title = m[2]
	}
	if a, b, ok := strings.Cut(title, " - "); ok {
		p.Artist, title = strings.TrimSpace(a), strings.TrimSpace(b)
	}
	p.Title = strings.TrimSpace(title)
	return p
}
