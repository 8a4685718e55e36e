package ui

import (
	"fmt"
	"strconv"

	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

// trackTitle is a track's title, or its file name when it has none.
func trackTitle(t library.Track) string {
	if t.Title != "" {
		return t.Title
	}
	return t.Name
}

// trackRow is a track's row: on an album its number and title; in Songs
// and search results its artist and album too. The duration shows once
// known.
func trackRow(t *library.Track, full bool) libRow {
	text := trackTitle(*t)
	if t.TrackNo > 0 {
		no := fmt.Sprintf("%02d", t.TrackNo)
		if t.Disc > 1 {
			no = strconv.Itoa(t.Disc) + "-" + no
		}
		text = no + " " + text
	}
	if full {
		artist := t.Artist
		if artist == "" {
			artist = t.AlbumArtist
		}
		text = artist + " · " + t.Album + " · " + text
	}
	r := libRow{text: shown(text), track: t, loaded: true}
	if t.Duration > 0 {
		r.right = player.Clock(t.Duration)
	}
	return r
}

func albumRow(a library.Album, withArtist bool) libRow {
	text := a.Name
	if withArtist {
		text += " — " + a.Artist
	}
	return libRow{text: shown(text), right: plural(a.Tracks, "track"), album: &a, loaded: true}
}

func artistRow(a library.Artist) libRow {
	return libRow{text: shown(a.Name), right: plural(a.Albums, "album"), artist: a.Name, loaded: true}
}

// draw is a library view in w×h cells: the title, the filter line, the
// scan's progress while it runs, then the rows.
func (p *libPane) draw(w, h int, focused, narrow bool) []string {
	title, noun := p.level.title()
	rows := p.shown()
	info := plural(len(rows), noun)
	if p.searching() {
		info = plural(len(rows), "result")
		if len(rows) >= library.SearchResults { // the best of more
			info = strconv.Itoa(len(rows)) + "+ results"
		}
	}
	if narrow {
		info += "  " + keyName(p.tab) + ": queue"
	}
	out := paneTitle(title, info, &p.l, p.filter, w, focused)
	out = append(out, p.progress(w)...)
	n := h - len(out)
	s := p.e.lib
	say := func(st func(...string) string, text string) {
		for _, l := range wrap(shown(text), w-2) {
			out = append(out, st(fit("  "+l, w)))
		}
	}
	switch {
	case p.e.o.Index == nil:
		say(stDim.Render, "No music library here.")
	case s.idx == nil && s.openErr != "":
		say(stErr.Render, "✗ "+s.openErr)
	case p.err != "" && len(rows) == 0:
		say(stErr.Render, "✗ "+p.err)
		say(stDim.Render, keyName(p.keys.Refresh)+" rescans the library")
	case p.searching() && p.hits == nil:
		say(stDim.Render, "Searching…")
	case p.searching() && len(rows) == 0:
		say(stDim.Render, "nothing in the library matches “"+p.l.filter+"”")
	case len(rows) == 0 && (p.loading || s.idx == nil):
		say(stDim.Render, "Loading…")
	case len(rows) == 0 && (s.st.Scanning || !s.st.Complete):
		say(stDim.Render, "Nothing indexed yet: the scan of your pCloud is under way.")
	case len(rows) == 0:
		say(stDim.Render, "No music found. "+keyName(p.keys.Refresh)+" rescans the library.")
	default:
		for r := p.l.offset; r < p.l.Len() && r < p.l.offset+n; r++ {
			i := p.l.At(r)
			out = append(out, p.row(rows[i], w, focused && r == p.l.cursor))
		}
	}
	return pad(out, w, h)
}

func (p *libPane) row(r libRow, w int, cursor bool) string {
	mark := "  "
	if cursor {
		mark = "› "
	}
	icon, text := "♪ ", r.text
	switch {
	case !r.loaded:
		icon, text = "  ", "…"
	case r.track == nil:
		icon = "▸ "
	case p.playing(r):
		icon = "▶ "
	}
	line := leftRight(mark+icon+text, r.right, w)
	switch {
	case cursor:
		return stCursor.Render(line)
	case p.playing(r):
		return stPlaying.Render(line)
	case r.track == nil:
		return stFolder.Render(line)
	}
	return line
}

// progress is the scan's two lines while it runs: what it found, and a
// bar of the folders listed.
func (p *libPane) progress(w int) []string {
	st := p.e.lib.st
	if !st.Scanning {
		return nil
	}
	text := fmt.Sprintf("Scanning pCloud: %s found, %s left", plural(st.Files, "file"), plural(st.FoldersLeft, "folder"))
	if st.Rescanning { // the rows shown are the index as it was
		text = fmt.Sprintf("Rescanning pCloud: %s listed, %s left", plural(st.Files, "file"), plural(st.FoldersLeft, "folder"))
	}
	pct := 0.0
	if all := st.FoldersDone + st.FoldersLeft; all > 0 {
		pct = float64(st.FoldersDone) / float64(all)
	}
	b := p.bar
	b.SetWidth(max(w-4, 1))
	return []string{stAccent.Render(fit("  "+text, w)), fit("  "+b.ViewAs(pct), w)}
}
