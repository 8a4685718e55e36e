package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/library"
)

// artistsView is view 2, Artists: the album artists A–Z, then an artist's
// albums, then an album's tracks in disc and track order.
type artistsView struct {
	libPane
	artist string         // the artist open; "" at the top
	album  *library.Album // the album open; nil above the tracks
}

func newArtists(e *env, k KeyMap, f filterInput) *artistsView {
	v := &artistsView{libPane: newLibPane(e, k, f)}
	v.level, v.key = v, "artists"
	return v
}

func (v *artistsView) title() (string, string) {
	switch {
	case v.album != nil:
		return "Artists › " + v.artist + " › " + v.album.Name, "track"
	case v.artist != "":
		return "Artists › " + v.artist, "album"
	}
	return "Artists", "artist"
}

func (v *artistsView) load() tea.Cmd {
	idx, ctx, key, p := v.e.lib.idx, v.e.ctx, v.key, &v.libPane
	switch {
	case v.album != nil:
		a := *v.album
		return func() tea.Msg {
			ts, err := idx.AlbumTracks(ctx, a)
			return libRowsMsg{to: p, key: key, rows: trackRows(ts, false), err: err}
		}
	case v.artist != "":
		artist := v.artist
		return func() tea.Msg {
			as, err := idx.Albums(ctx, artist)
			rows := make([]libRow, len(as))
			for i, a := range as {
				rows[i] = albumRow(a, false)
			}
			return libRowsMsg{to: p, key: key, rows: rows, err: err}
		}
	}
	return func() tea.Msg {
		as, err := idx.Artists(ctx)
		rows := make([]libRow, len(as))
		for i, a := range as {
			rows[i] = artistRow(a)
		}
		return libRowsMsg{to: p, key: key, rows: rows, err: err}
	}
}

func (v *artistsView) open(r libRow, i int) tea.Cmd {
	switch {
	case r.track != nil:
		return v.e.playFrom(rowTracks(v.rows), i)
	case r.album != nil:
		v.album = r.album
		return v.goTo("tracks\x00" + r.album.Artist + "\x00" + r.album.Name)
	case r.artist != "":
		v.artist = r.artist
		return v.goTo("albums\x00" + r.artist)
	}
	return nil
}

func (v *artistsView) back() tea.Cmd {
	switch {
	case v.album != nil:
		v.album = nil
		return v.goTo("albums\x00" + v.artist)
	case v.artist != "":
		v.artist = ""
		return v.goTo("artists")
	}
	return nil
}

func (v *artistsView) queue(r libRow, next bool) tea.Cmd {
	if r.album != nil {
		return queueAlbum(&v.libPane, *r.album, next)
	}
	idx, ctx, p, artist := v.e.lib.idx, v.e.ctx, &v.libPane, r.artist
	return func() tea.Msg {
		as, err := idx.Albums(ctx, artist)
		var all []library.Track
		for _, a := range as {
			if err != nil {
				break
			}
			var ts []library.Track
			ts, err = idx.AlbumTracks(ctx, a)
			all = append(all, ts...)
		}
		return libQueueMsg{to: p, what: artist, tracks: all, next: next, err: err}
	}
}

// queueAlbum reads an album's tracks to queue them (a, E).
func queueAlbum(p *libPane, a library.Album, next bool) tea.Cmd {
	idx, ctx := p.e.lib.idx, p.e.ctx
	return func() tea.Msg {
		ts, err := idx.AlbumTracks(ctx, a)
		return libQueueMsg{to: p, what: a.Name, tracks: ts, next: next, err: err}
	}
}

// trackRows is the rows of tracks (full: with artist and album).
func trackRows(ts []library.Track, full bool) []libRow {
	rows := make([]libRow, len(ts))
	for i := range ts {
		rows[i] = trackRow(&ts[i], full)
	}
	return rows
}
