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
	// After a write pCloud may not have taken (again): what may have
	// happened and why, the playlist to put the cursor on ("": the new
	// playlist row), the name of the new playlist to offer.
	note, why, at, name string
}

// playlistDoneMsg is the end of a change to the playlists (an add, a new
// playlist, a rename, ...): text for the status line, or err; view 5
// reloads when changed.
type playlistDoneMsg struct {
	text    string
	err     error
	changed bool
	// again: the change could not reach pCloud, it may have been made in
	// part; the picker opens again on it, saying so (plpicker_wait.go).
	again *pickPlaylistMsg
}

// pickerListMsg is the playlists listed for the picker.
type pickerListMsg struct {
	lists []playlist.Playlist
	err   error
	gen   uint64 // the wait this try belongs to (plpicker_wait.go); 0: none
}

// playlistPicker is the overlay of A: a new playlist, or one of the
// playlists that can be changed.
type playlistPicker struct {
	e       *env
	keys    pickerKeyMap
	refresh key.Binding // R: the list's next try at once while it waits
	open    bool
	loading bool
	err     string
	what    string
	tracks  []playlist.Track
	rows    []playlist.Playlist // writable playlists; row 0 is "new playlist"
	at      int
	again   *pickPlaylistMsg // the write that may not have been made, or nil
	want    string           // the playlist for the cursor once listed, until it moves

	wait    *outage // the list waits for pCloud (plpicker_wait.go), or nil
	waitGen uint64
}

func newPlaylistPicker(e *env, k KeyMap) playlistPicker {
	km := newPickerKeys(k)
	km.Close = k.AddToPlaylist
	return playlistPicker{e: e, keys: km, refresh: k.Refresh}
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
	*p = playlistPicker{e: p.e, keys: p.keys, refresh: p.refresh, waitGen: p.waitGen, open: true, loading: true, what: msg.what, tracks: msg.tracks, want: msg.at}
	if msg.note != "" {
		p.again = &msg
	}
	return p.list()
}

// list lists the playlists: the wait's next try when it waits for pCloud.
func (p *playlistPicker) list() tea.Cmd {
	store, ctx := p.e.o.Playlists, p.e.ctx
	var gen uint64
	if p.wait != nil {
		p.wait.trying()
		gen = p.wait.gen
	}
	return func() tea.Msg {
		lists, err := store.List(ctx)
		return pickerListMsg{lists: lists, err: err, gen: gen}
	}
}

func (p *playlistPicker) onList(msg pickerListMsg) tea.Cmd {
	if !p.open || (msg.gen != 0 && (p.wait == nil || msg.gen != p.wait.gen)) {
		return nil // a try of a wait that ended
	}
	p.loading = false
	// The cursor stays on its playlist when the rows change.
	at := p.want
	if p.at > 0 && p.at <= len(p.rows) {
		at = p.rows[p.at-1].ID
	}
	p.rows = p.rows[:0]
	for _, pl := range msg.lists {
		if !pl.ReadOnly && pl.Problem == "" {
			p.rows = append(p.rows, pl)
			if pl.ID == at {
				p.at, p.want = len(p.rows), ""
			}
		}
	}
	p.at = min(p.at, len(p.rows))
	if msg.err != nil && transient(msg.err) {
		return p.waitFor(msg)
	}
	p.wait, p.err = nil, ""
	if msg.err != nil {
		p.err = playlist.Sentence(msg.err)
	}
	return nil
}

// update handles a key while the picker is open.
func (p *playlistPicker) update(k tea.KeyPressMsg) tea.Cmd {
	km := p.keys
	// Row 0 is "a new playlist", then the playlists.
	if at, moved := km.move(k, p.at, len(p.rows)+1); moved {
		p.at, p.want = at, ""
		return nil
	}
	switch {
	case key.Matches(k, km.Cancel), key.Matches(k, km.Close):
		p.close()
	case key.Matches(k, p.refresh) && p.wait != nil:
		return p.list()
	case key.Matches(k, km.Pick):
		p.close()
		tracks, what := p.tracks, p.what
		if p.at == 0 {
			e := p.e
			name := ""
			if p.again != nil {
				name = p.again.name
			}
			return ask("Name of the new playlist for "+what, name, func(name string) tea.Cmd {
				return createPlaylist(e, name, tracks, what)
			})
		}
		return addToPlaylist(p.e, p.rows[p.at-1], tracks, what)
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
			return playlistDoneMsg{err: err, changed: true, again: createAgain(err, pl, name, tracks, from)}
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

// addToPlaylist adds tracks (what) to pl.
func addToPlaylist(e *env, pl playlist.Playlist, tracks []playlist.Track, what string) tea.Cmd {
	store, ctx := e.o.Playlists, e.ctx
	return func() tea.Msg {
		res, err := store.Add(ctx, pl.ID, tracks)
		if err != nil {
			return playlistDoneMsg{err: err, changed: true, again: addAgain(err, pl, tracks, what)}
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
	out = append(out, p.noteLines(w)...)
	var tail []string // below the rows
	switch {
	case p.wait != nil:
		lines := wrap("↻ "+shown(p.wait.text(p.now())), w-4)
		for _, l := range lines[:min(len(lines), 2)] {
			tail = append(tail, stErr.Render(fit("  "+l, w)))
		}
		tail = append(tail, stDim.Render(fit("  "+keyName(p.refresh)+" tries again", w)))
	case p.loading:
		tail = append(tail, stDim.Render(fit("  Loading the playlists…", w)))
	case p.err != "":
		tail = append(tail, stErr.Render(fit("  ✗ "+shown(p.err), w)))
	}
	rows := append([]string{"+ a new playlist…"}, make([]string, len(p.rows))...)
	for i, pl := range p.rows {
		rows[i+1] = fmt.Sprintf("%s  (%s)", shown(pl.Name), plural(pl.Tracks, "track"))
	}
	room := max(1, h-len(out)-len(tail))
	first := max(0, p.at-room+1)
	for i := first; i < len(rows) && i < first+room; i++ {
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
	return pad(append(out, tail...), w, h)
}
