package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// openKey handles a key while a playlist is open.
func (v *playlistsView) openKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	km, o := v.keys, v.open
	i := o.l.selected()
	switch {
	case key.Matches(k, km.Parent):
		v.open = nil
		return nil, true
	case key.Matches(k, km.Refresh): // and a waiting add tries at once
		return tea.Batch(v.reload(), v.adding.retry(), notice("Reloading “"+o.pl.Name+"”", false)), true
	case i < 0 || i >= len(o.tracks):
		return nil, matchesAny(k, km.Open, km.Add, km.PlayNext, km.AddToPlaylist, km.Remove, km.MoveDown, km.MoveUp)
	case key.Matches(k, km.Open):
		tracks := playlist.Queued(o.tracks)
		return v.e.player.call(func(p player.Controller) { p.Replace(tracks, i) }), true
	case key.Matches(k, km.Add), key.Matches(k, km.PlayNext):
		t := playlist.Queued(o.tracks[i : i+1])
		return v.queue(t[0].Label(), t, key.Matches(k, km.PlayNext)), true
	case key.Matches(k, km.AddToPlaylist):
		t := o.tracks[i]
		return func() tea.Msg { return pickPlaylistMsg{what: plTrackText(t), tracks: []playlist.Track{t}} }, true
	case key.Matches(k, km.Remove):
		return v.askRemove(i), true
	case key.Matches(k, km.MoveDown):
		return v.moveBy(i, 1), true
	case key.Matches(k, km.MoveUp):
		return v.moveBy(i, -1), true
	}
	return nil, false
}

// askRemove asks before removing the open playlist's track i: a playlist
// has no undo (u is the queue's).
func (v *playlistsView) askRemove(i int) tea.Cmd {
	o := v.open
	if o.pl.ReadOnly {
		return readOnly(o.pl)
	}
	t := o.tracks[i]
	return confirm("Remove "+plTrackText(t)+" from “"+o.pl.Name+"”? (a playlist has no undo)", func() tea.Cmd {
		// The playlist may have been read again meanwhile: the same track,
		// where it was, or nothing.
		if v.open != o || i >= len(o.tracks) || o.tracks[i].FileID != t.FileID {
			return notice("The playlist changed meanwhile; nothing was removed.", true)
		}
		return v.removeAt(i)
	})
}

// removeAt removes the open playlist's track i.
func (v *playlistsView) removeAt(i int) tea.Cmd {
	o := v.open
	if o.pl.ReadOnly {
		return readOnly(o.pl)
	}
	id, ctx, text := o.pl.ID, v.e.ctx, plTrackText(o.tracks[i])
	o.tracks = slices.Delete(o.tracks, i, i+1)
	v.setOpenTexts()
	return v.change("Removed "+text+" from “"+o.pl.Name+"”.", func(s playlist.Store) error {
		return s.Remove(ctx, id, []int{i})
	})
}

// moveBy moves the open playlist's track i by d (±1), the cursor with it.
func (v *playlistsView) moveBy(i, d int) tea.Cmd {
	o := v.open
	to := i + d
	switch {
	case o.pl.ReadOnly:
		return readOnly(o.pl)
	case o.l.filter != "":
		return notice("Clear the filter (esc) to move tracks.", true)
	case to < 0 || to >= len(o.tracks):
		return nil
	}
	o.tracks[i], o.tracks[to] = o.tracks[to], o.tracks[i]
	v.setOpenTexts()
	o.l.selectOrig(to)
	id, ctx := o.pl.ID, v.e.ctx
	store := v.e.o.Playlists
	return func() tea.Msg {
		if err := store.Move(ctx, id, i, to); err != nil {
			return playlistDoneMsg{err: err, changed: true}
		}
		return nil
	}
}

func (v *playlistsView) setOpenTexts() {
	o := v.open
	texts := make([]string, len(o.tracks))
	for i, t := range o.tracks {
		texts[i] = plTrackText(t)
	}
	o.l.setTexts(texts)
}
