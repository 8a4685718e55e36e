package ui

import (
	"fmt"
	"strings"

	"github.com/pcplay/pcplay/playlist"
)

// view draws the Playlists view in w×h cells; narrow adds the tab hint.
func (v *playlistsView) view(w, h int, focused, narrow bool) []string {
	if v.open != nil {
		return v.viewOpen(w, h, focused, narrow)
	}
	info := ""
	switch {
	case v.loading && !v.loaded:
		info = "loading…"
	case v.l.filter != "":
		info = fmt.Sprintf("%d/%d", v.l.Len(), len(v.lists))
	case v.loaded:
		info = plural(len(v.lists), "playlist")
	}
	if narrow {
		info = strings.TrimSpace(info + "  " + keyName(v.tab) + ": queue")
	}
	out := paneTitle("Playlists", info, &v.l, v.filter, w, focused)
	if v.notice != "" {
		for _, l := range wrap(shown(v.notice), w-2) {
			out = append(out, stAccent.Render(fit("  "+l, w)))
		}
	}
	if v.err != "" {
		out = append(out, stErr.Render(fit("  ✗ "+shown(v.err), w)))
	}
	out = v.waitLines(out, v.wait, w)
	switch {
	case !v.loaded:
		out = append(out, stDim.Render(fit("  Loading…", w)))
	case len(v.lists) == 0 && v.err == "":
		out = append(out, stDim.Render(fit("  No playlists yet: "+keyName(v.keys.AddToPlaylist)+" adds the selection to a new one, "+keyName(v.keys.SaveQueue)+" saves the queue.", w)))
	default:
		out = v.rows(out, &v.l, w, h, focused, func(i int, cursor bool) string { return v.listRow(v.lists[i], w, cursor) })
	}
	return pad(out, w, h)
}

// waitLines adds the waiting lines (retry.go) of wait, if any, and of a
// playlist to add, if one waits, to out.
func (v *playlistsView) waitLines(out []string, wait *outage, w int) []string {
	var texts []string
	if wait != nil {
		texts = append(texts, wait.text(v.now()))
	}
	if line := v.adding.line(v.now()); line != "" {
		texts = append(texts, line)
	}
	for _, text := range texts {
		lines := wrap("↻ "+shown(text), w-2)
		for _, l := range lines[:min(len(lines), 2)] {
			out = append(out, stErr.Render(fit("  "+l, w)))
		}
	}
	return out
}

// rows draws l's rows in what is left of h, keeping the cursor in sight.
func (v *playlistsView) rows(out []string, l *list, w, h int, focused bool, row func(i int, cursor bool) string) []string {
	n := h - len(out)
	if n <= 0 {
		return out
	}
	if l.Len() == 0 {
		return append(out, stDim.Render(fit("  nothing matches “"+shown(l.filter)+"”", w)))
	}
	start := max(l.offset, l.cursor-n+1)
	for r := start; r < l.Len() && r < start+n; r++ {
		out = append(out, row(l.At(r), focused && r == l.cursor))
	}
	return out
}

func (v *playlistsView) listRow(pl playlist.Playlist, w int, cursor bool) string {
	mark := "  "
	if cursor {
		mark = "› "
	}
	where := "pCloud"
	switch {
	case pl.Problem != "":
		where = "unreadable"
	case pl.Local:
		where = "this machine"
	case pl.ReadOnly:
		where = "pCloud, read-only"
	}
	line := leftRight(mark+"≡ "+shown(pl.Name), plural(pl.Tracks, "track")+" · "+where, w)
	switch {
	case cursor:
		return stCursor.Render(line)
	case pl.Problem != "" || pl.ReadOnly:
		return stDim.Render(line)
	}
	return line
}

func (v *playlistsView) viewOpen(w, h int, focused, narrow bool) []string {
	o := v.open
	info := plural(len(o.tracks), "track")
	switch {
	case (o.loading || o.wait != nil) && o.tracks == nil:
		info = "loading…"
	case o.l.filter != "":
		info = fmt.Sprintf("%d/%d", o.l.Len(), len(o.tracks))
	}
	if o.pl.ReadOnly {
		info += " · read-only"
	}
	if narrow {
		info += "  " + keyName(v.tab) + ": queue"
	}
	out := paneTitle("Playlists › "+o.pl.Name, info, &o.l, v.filter, w, focused)
	out = v.waitLines(out, o.wait, w)
	switch {
	case o.wait != nil && o.tracks == nil: // the line above says why
		out = append(out, stDim.Render(fit("  "+keyName(v.keys.Refresh)+" tries again, "+keyName(v.keys.Parent)+" goes back", w)))
	case o.err != "":
		out = append(out, stErr.Render(fit("  ✗ "+shown(o.err), w)),
			stDim.Render(fit("  "+keyName(v.keys.Refresh)+" tries again, "+keyName(v.keys.Parent)+" goes back", w)))
	case o.tracks == nil:
		out = append(out, stDim.Render(fit("  Loading…", w)))
	case len(o.tracks) == 0:
		out = append(out, stDim.Render(fit("  (empty playlist)", w)))
	default:
		out = v.rows(out, &o.l, w, h, focused, func(i int, cursor bool) string {
			t := o.tracks[i]
			mark := "  "
			if cursor {
				mark = "› "
			}
			line := fit(mark+v.e.trackIcon(t.FileID)+plTrackText(t), w)
			switch {
			case cursor:
				return stCursor.Render(line)
			case v.e.isPlaying(t.FileID):
				return stPlaying.Render(line)
			}
			return line
		})
	}
	return pad(out, w, h)
}
