package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/library"
)

// albumsView is view 3, Albums: every album A–Z with its artist, then an
// album's tracks.
type albumsView struct {
	libPane
	album *library.Album // the album open; nil at the top
}

func newAlbums(e *env, k KeyMap, f filterInput) *albumsView {
	v := &albumsView{libPane: newLibPane(e, k, f)}
	v.level, v.key = v, "albums"
	return v
}

func (v *albumsView) title() (string, string) {
	if v.album != nil {
		return "Albums › " + v.album.Name + " — " + v.album.Artist, "track"
	}
	return "Albums", "album"
}

func (v *albumsView) load() tea.Cmd {
	idx, ctx, key, p := v.e.lib.idx, v.e.ctx, v.key, &v.libPane
	if v.album != nil {
		a := *v.album
		return func() tea.Msg {
			ts, err := idx.AlbumTracks(ctx, a)
			return libRowsMsg{to: p, key: key, rows: trackRows(ts, false), err: err}
		}
	}
	return func() tea.Msg {
		as, err := idx.Albums(ctx, "")
		rows := make([]libRow, len(as))
		for i, a := range as {
			rows[i] = albumRow(a, true)
		}
		return libRowsMsg{to: p, key: key, rows: rows, err: err}
	}
}

func (v *albumsView) open(r libRow, i int) tea.Cmd {
	switch {
	case r.track != nil:
		return v.e.playFrom(rowTracks(v.rows), i)
	case r.album != nil:
		v.album = r.album
		return v.goTo("tracks\x00" + r.album.Artist + "\x00" + r.album.Name)
	}
	return nil
}

func (v *albumsView) back() tea.Cmd {
	if v.album == nil {
		return nil
	}
	v.album = nil
	return v.goTo("albums")
}

func (v *albumsView) queue(r libRow, next bool) tea.Cmd {
	if r.album == nil {
		return nil
	}
	return queueAlbum(&v.libPane, *r.album, next)
}
