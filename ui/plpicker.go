package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/playlist"
)

// pickPlaylistMsg asks the top model to add tracks to a playlist the
// person picks (A): what names them in sentences.
type pickPlaylistMsg struct {
	what   string
	tracks []playlist.Track
	err    error
}

// playlistDoneMsg is the end of a change to the playlists (an add, a new
// playlist, a rename, ...): text for the status line, or err; view 5
// reloads when changed.
type playlistDoneMsg struct {
	text    string
	err     error
	changed bool
}

// pickerListMsg is the playlists listed for the picker.
type pickerListMsg struct {
	lists []playlist.Playlist
	err   error
}

// playlistPicker is the overlay of A: a new playlist, or one of the
// playlists that can be changed.
type playlistPicker struct {
	e       *env
	keys    pickerKeyMap
	open    bool
	loading bool
	err     string
	what    string
	tracks  []playlist.Track
	rows    []playlist.Playlist // writable playlists; row 0 is "new playlist"
	at      int
}

func newPlaylistPicker(e *env, k KeyMap) playlistPicker {
	km := newPickerKeys(k)
	km.Close = k.AddToPlaylist
	return playlistPicker{e: e, keys: km}
}

// show opens the picker for msg's tracks and lists the playlists.
func (p *playlistPicker) show(msg pickPlaylistMsg) tea.Cmd {
	store := p.e.o.Playlists
	switch {
	case msg.err != nil:
		return notice("Couldn't read "+msg.what+": "+sentence(msg.err), true)
	case store == nil:
		return notice("There are no playlists here (no playlist store).", true)
	case len(msg.tracks) == 0:
		return notice(msg.what+" has nothing playable to add.", true)
	}
	*p = playlistPicker{e: p.e, keys: p.keys, open: true, loading: true, what: msg.what, tracks: msg.tracks}
	ctx := p.e.ctx
	return func() tea.Msg {
		lists, err := store.List(ctx)
		return pickerListMsg{lists, err}
	}
}

func (p *playlistPicker) onList(msg pickerListMsg) {
	p.loading = false
	p.rows = p.rows[:0]
	for _, pl := range msg.lists {
		if !pl.ReadOnly && pl.Problem == "" {
			p.rows = append(p.rows, pl)
		}
	}
	if msg.err != nil {
		p.err = playlist.Sentence(msg.err)
	}
}

// update handles a key while the picker is open.
func (p *playlistPicker) update(k tea.KeyPressMsg) tea.Cmd {
	km := p.keys
	// Row 0 is "a new playlist", then the playlists.
	if at, moved := km.move(k, p.at, len(p.rows)+1); moved {
		p.at = at
		return nil
	}
	switch {
	case key.Matches(k, km.Cancel), key.Matches(k, km.Close):
		p.open = false
	case key.Matches(k, km.Pick):
		p.open = false
		tracks, what := p.tracks, p.what
		if p.at == 0 {
			e := p.e
			return ask("Name of the new playlist for "+what, "", func(name string) tea.Cmd {
				return createPlaylist(e, name, tracks, what)
			})
		}
		return addToPlaylist(p.e, p.rows[p.at-1], tracks)
	}
	return nil
}

// createPlaylist makes a playlist of tracks (S, and A's new playlist);
// from names what they are ("the queue").
func createPlaylist(e *env, name string, tracks []playlist.Track, from string) tea.Cmd {
	store, ctx := e.o.Playlists, e.ctx
	if store == nil {
		return notice("There are no playlists here (no playlist store).", true)
	}
	return tea.Batch(notice("Making playlist “"+name+"”…", false), func() tea.Msg {
		pl, res, err := store.Create(ctx, name, tracks)
		if err != nil {
			return playlistDoneMsg{err: err, changed: true}
		}
		text := "Made playlist “" + pl.Name + "”: " + madeSentence(res, tracks, from)
		if pl.Local {
			text += " It is kept on this machine."
		}
		return playlistDoneMsg{text: text, changed: true}
	})
}

// madeSentence says what a new playlist made of tracks (from) got. The
// store counts a track given twice as one already in the playlist: in a
// new playlist, that is a track that was in from more than once.
func madeSentence(res playlist.AddResult, tracks []playlist.Track, from string) string {
	count := map[uint64]int{}
	for _, t := range tracks {
		if t.FileID != 0 {
			count[t.FileID]++
		}
	}
	repeated, most := 0, 0
	for _, n := range count {
		if n > 1 {
			repeated++
			most = max(most, n)
		}
	}
	if res.Duplicates == 0 || repeated == 0 {
		return res.Sentence()
	}
	res.Duplicates = 0
	times := "twice"
	if most > 2 {
		times = "more than once"
	}
	if repeated == 1 {
		return fmt.Sprintf("%s 1 track was in %s %s; it is in the playlist once.", res.Sentence(), from, times)
	}
	return fmt.Sprintf("%s %d tracks were in %s %s; each is in the playlist once.", res.Sentence(), repeated, from, times)
}

// addToPlaylist adds tracks to pl.
func addToPlaylist(e *env, pl playlist.Playlist, tracks []playlist.Track) tea.Cmd {
	store, ctx := e.o.Playlists, e.ctx
	return func() tea.Msg {
		res, err := store.Add(ctx, pl.ID, tracks)
		if err != nil {
			return playlistDoneMsg{err: err, changed: true}
		}
		s := res.Sentence()
		return playlistDoneMsg{text: s[:len(s)-1] + " to “" + pl.Name + "”.", changed: true}
	}
}

// view draws the picker in w×h cells.
func (p *playlistPicker) view(w, h int) []string {
	km := p.keys
	hint := keyName(km.Pick) + " picks · " + keyName(km.Cancel) + " " + km.Cancel.Help().Desc
	out := []string{stTitle.Render(leftRight("Add "+shown(p.what)+" to…", hint, w))}
	rows := append([]string{"+ a new playlist…"}, make([]string, len(p.rows))...)
	for i, pl := range p.rows {
		rows[i+1] = fmt.Sprintf("%s  (%s)", shown(pl.Name), plural(pl.Tracks, "track"))
	}
	first := max(0, p.at-(h-4))
	for i := first; i < len(rows) && len(out) < h-1; i++ {
		mark := "  "
		if i == p.at {
			mark = "› "
		}
		line := fit(mark+rows[i], w)
		if i == p.at {
			line = stCursor.Render(line)
		}
		out = append(out, line)
	}
	switch {
	case p.loading:
		out = append(out, stDim.Render(fit("  Loading the playlists…", w)))
	case p.err != "":
		out = append(out, stErr.Render(fit("  ✗ "+shown(p.err), w)))
	}
	return pad(out, w, h)
}
