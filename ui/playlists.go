package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// playlistKeyMap is the Playlists view's keys beyond every view's.
type playlistKeyMap struct {
	viewKeyMap
	PlayNext, AddToPlaylist, Remove key.Binding
	MoveDown, MoveUp                key.Binding
	Rename, Delete, Push            key.Binding
	SaveQueue                       key.Binding // named in the empty list's hint
}

func newPlaylistKeys(k KeyMap) playlistKeyMap {
	return playlistKeyMap{
		viewKeyMap: newViewKeys(k), PlayNext: k.PlayNext, AddToPlaylist: k.AddToPlaylist,
		Remove: k.Remove, MoveDown: k.MoveDown, MoveUp: k.MoveUp,
		Rename: k.Rename, Delete: k.Delete, Push: k.Push, SaveQueue: k.SaveQueue,
	}
}

// playlistsView is view 5: the playlists (pCloud's and the local ones),
// and one of them opened. It owns the listing, the open playlist's tracks
// and their cursors; every store call runs in a Cmd.
type playlistsView struct {
	e      *env
	keys   playlistKeyMap
	tab    key.Binding
	filter filterInput

	lists   []playlist.Playlist
	notice  string // the store's [Playlists.Notice] after the last listing
	err     string
	loaded  bool
	loading bool
	l       list

	open *openPlaylist // nil: the list is shown

	wait    *outage  // the listing waits for pCloud (playlists_wait.go), or nil
	adding  *addWait // a playlist to add (a, E, A) waits for pCloud, or nil
	waitGen uint64
}

// openPlaylist is a playlist opened in the view.
type openPlaylist struct {
	pl      playlist.Playlist
	tracks  []playlist.Track
	loading bool
	err     string
	l       list
	wait    *outage // the reading waits for pCloud (playlists_wait.go), or nil
}

type plListMsg struct {
	lists  []playlist.Playlist
	notice string
	err    error
	gen    uint64 // the wait this try belongs to (playlists_wait.go); 0: none
}

type plOpenMsg struct {
	id     string
	tracks []playlist.Track
	err    error
	gen    uint64 // the wait this try belongs to (playlists_wait.go); 0: none
}

// plQueueMsg is a whole playlist read for a or E, or for A (pick).
type plQueueMsg struct {
	pl     playlist.Playlist
	tracks []playlist.Track
	next   bool // E: after the playing track
	pick   bool // A: to a playlist the person picks, not to the queue
	err    error
	gen    uint64 // the wait this try belongs to (playlists_wait.go); 0: none
}

func newPlaylistsView(e *env, k KeyMap, f filterInput) *playlistsView {
	return &playlistsView{e: e, keys: newPlaylistKeys(k), tab: k.Tab, filter: f}
}

func (v *playlistsView) keyMap() viewKeyMap { return v.keys.viewKeyMap }

func (v *playlistsView) list() *list {
	if v.open != nil {
		return &v.open.l
	}
	return &v.l
}

func (v *playlistsView) start() tea.Cmd { return v.reload() }

// reload lists the playlists again (and re-reads the open one).
func (v *playlistsView) reload() tea.Cmd {
	store := v.e.o.Playlists
	if store == nil {
		v.loaded, v.err = true, "There are no playlists here (no playlist store)."
		return nil
	}
	v.loading = true
	ctx := v.e.ctx
	var gen uint64
	if v.wait != nil { // R or the countdown: the wait's next try
		v.wait.trying()
		gen = v.wait.gen
	}
	cmds := []tea.Cmd{func() tea.Msg {
		lists, err := store.List(ctx)
		return plListMsg{lists: lists, notice: store.Notice(), err: err, gen: gen}
	}}
	if v.open != nil {
		cmds = append(cmds, v.read(v.open.pl.ID))
	}
	return tea.Batch(cmds...)
}

// read reads the open playlist's tracks (id): the wait's next try when it
// waits for pCloud.
func (v *playlistsView) read(id string) tea.Cmd {
	store, ctx := v.e.o.Playlists, v.e.ctx
	var gen uint64
	if o := v.open; o != nil && o.pl.ID == id && o.wait != nil {
		o.wait.trying()
		gen = o.wait.gen
	}
	return func() tea.Msg {
		tracks, err := store.Open(ctx, id)
		return plOpenMsg{id: id, tracks: tracks, err: err, gen: gen}
	}
}

// update handles the view's messages.
func (v *playlistsView) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case plListMsg:
		if msg.gen != 0 && (v.wait == nil || msg.gen != v.wait.gen) {
			return nil // a try of a wait that ended
		}
		if msg.err != nil && transient(msg.err) {
			return v.waitFor(msg)
		}
		v.wait = nil
		v.onList(msg)
	case retryTickMsg:
		return v.onTick(msg)
	case plOpenMsg:
		return v.onOpen(msg)
	case plQueueMsg:
		return v.onQueue(msg)
	case playlistDoneMsg:
		if msg.changed && v.loaded {
			return v.reload()
		}
	}
	return nil
}

func (v *playlistsView) onList(msg plListMsg) {
	v.loading, v.loaded = false, true
	v.lists, v.notice, v.err = msg.lists, msg.notice, ""
	if msg.err != nil {
		v.err = playlist.Sentence(msg.err)
	}
	texts := make([]string, len(v.lists))
	ids := make([]string, len(v.lists))
	for i, pl := range v.lists {
		texts[i], ids[i] = shown(pl.Name), pl.ID
	}
	v.l.setRows(texts, ids) // one deleted or made above: the cursor stays on its own
}

func (v *playlistsView) onOpen(msg plOpenMsg) tea.Cmd {
	o := v.open
	if o == nil || o.pl.ID != msg.id {
		return nil
	}
	if msg.gen != 0 && (o.wait == nil || msg.gen != o.wait.gen) {
		return nil // a try of a wait that ended
	}
	o.loading = false
	if msg.err != nil && transient(msg.err) {
		return v.waitOpen(msg)
	}
	o.wait = nil
	if msg.err != nil {
		o.err = playlist.Sentence(msg.err)
		return notice(o.err, true)
	}
	o.err, o.tracks = "", msg.tracks
	o.pl.Tracks = len(msg.tracks)
	v.setOpenTexts()
	return nil
}

// onQueue queues a whole playlist read for a or E, or offers the
// playlists for A; it waits when pCloud can't be reached.
func (v *playlistsView) onQueue(msg plQueueMsg) tea.Cmd {
	if msg.gen != 0 {
		if v.adding == nil || msg.gen != v.adding.gen {
			return nil // a wait that was given up
		}
		if msg.err == nil || !transient(msg.err) {
			v.adding = nil
		}
	}
	name := "“" + msg.pl.Name + "”"
	switch {
	case msg.err != nil && transient(msg.err):
		return v.waitAdd(msg)
	case msg.pick:
		pick := pickPlaylistMsg{what: name, tracks: msg.tracks, err: msg.err}
		return func() tea.Msg { return pick }
	case msg.err != nil:
		return notice("Couldn't read "+name+": "+playlist.Sentence(msg.err), true)
	case len(msg.tracks) == 0:
		return notice(name+" is empty.", false)
	}
	return v.queue(name, playlist.Queued(msg.tracks), msg.next)
}

// queue appends tracks (a) or puts them after the playing track (E).
func (v *playlistsView) queue(what string, tracks []player.Track, next bool) tea.Cmd {
	if next {
		return tea.Batch(v.e.player.call(func(p player.Controller) { p.InsertNext(tracks) }),
			notice(fmt.Sprintf("%s plays next (%s)", what, plural(len(tracks), "track")), false))
	}
	return tea.Batch(v.e.player.call(func(p player.Controller) { p.Enqueue(tracks) }),
		notice(fmt.Sprintf("Added %s from %s to the queue", plural(len(tracks), "track"), what), false))
}

// plTrackText is how a playlist's track reads, as shown.
func plTrackText(t playlist.Track) string {
	return trackLabel(player.Track{Name: t.Name, Title: t.Title, Artist: t.Artist})
}

// selectedList is the playlist under the cursor in the list (nil: none).
func (v *playlistsView) selectedList() *playlist.Playlist {
	i := v.l.selected()
	if v.open != nil || i < 0 || i >= len(v.lists) {
		return nil
	}
	return &v.lists[i]
}

// updateKey handles the view's keys.
func (v *playlistsView) updateKey(k tea.KeyPressMsg, page int) (tea.Cmd, bool) {
	km := v.keys
	if km.update(k, v.list(), page) {
		return nil, true
	}
	if v.open != nil {
		return v.openKey(k)
	}
	pl := v.selectedList()
	switch {
	case key.Matches(k, km.Refresh): // and a waiting add tries at once
		return tea.Batch(v.reload(), v.adding.retry(), notice("Reloading the playlists", false)), true
	case pl == nil:
		return nil, matchesAny(k, km.Open, km.Add, km.PlayNext, km.AddToPlaylist, km.Rename, km.Delete, km.Push)
	case key.Matches(k, km.Open):
		if pl.Problem != "" {
			return notice(pl.Problem, true), true
		}
		v.open = &openPlaylist{pl: *pl, loading: true}
		return v.read(pl.ID), true
	case key.Matches(k, km.Add), key.Matches(k, km.PlayNext):
		return v.readAll(plQueueMsg{pl: *pl, next: key.Matches(k, km.PlayNext)}), true
	case key.Matches(k, km.AddToPlaylist):
		return v.readAll(plQueueMsg{pl: *pl, pick: true}), true
	case key.Matches(k, km.Rename):
		return v.rename(*pl), true
	case key.Matches(k, km.Delete):
		return v.delete(*pl), true
	case key.Matches(k, km.Push):
		return v.push(*pl), true
	}
	return nil, false
}

func matchesAny(k tea.KeyPressMsg, bs ...key.Binding) bool {
	for _, b := range bs {
		if key.Matches(k, b) {
			return true
		}
	}
	return false
}

// readAll reads a whole playlist (to: it, and next or pick) for a
// (append), E (play next) or A (to another playlist): a try of the wait
// to.gen, or 0. onQueue takes the answer.
func (v *playlistsView) readAll(to plQueueMsg) tea.Cmd {
	store, ctx := v.e.o.Playlists, v.e.ctx
	return func() tea.Msg {
		msg := to
		msg.tracks, msg.err = store.Open(ctx, to.pl.ID)
		return msg
	}
}

// change runs a change of the store in a Cmd and reports it.
func (v *playlistsView) change(done string, f func(playlist.Store) error) tea.Cmd {
	store := v.e.o.Playlists
	return func() tea.Msg {
		if err := f(store); err != nil {
			return playlistDoneMsg{err: err, changed: true}
		}
		return playlistDoneMsg{text: done, changed: true}
	}
}

func readOnly(pl playlist.Playlist) tea.Cmd {
	return notice("“"+pl.Name+"” is one of pCloud's own playlists: it can't be changed.", true)
}

func (v *playlistsView) rename(pl playlist.Playlist) tea.Cmd {
	if pl.ReadOnly {
		return readOnly(pl)
	}
	ctx := v.e.ctx
	return ask("New name for “"+pl.Name+"”", pl.Name, func(name string) tea.Cmd {
		if name == pl.Name {
			return nil
		}
		return v.change("Renamed “"+pl.Name+"” to “"+name+"”.", func(s playlist.Store) error {
			return s.Rename(ctx, pl.ID, name)
		})
	})
}

func (v *playlistsView) delete(pl playlist.Playlist) tea.Cmd {
	if pl.ReadOnly {
		return readOnly(pl)
	}
	ctx := v.e.ctx
	return confirm(fmt.Sprintf("Delete the playlist “%s” (%s)?", pl.Name, plural(pl.Tracks, "track")), func() tea.Cmd {
		return v.change("Deleted “"+pl.Name+"”.", func(s playlist.Store) error { return s.Delete(ctx, pl.ID) })
	})
}

func (v *playlistsView) push(pl playlist.Playlist) tea.Cmd {
	if !pl.Local {
		return notice("“"+pl.Name+"” is in pCloud already.", false)
	}
	store, ctx := v.e.o.Playlists, v.e.ctx
	return tea.Batch(notice("Pushing “"+pl.Name+"” to pCloud…", false), func() tea.Msg {
		got, res, err := store.Push(ctx, pl.ID)
		if err != nil {
			return playlistDoneMsg{err: err, changed: true}
		}
		return playlistDoneMsg{text: "Pushed “" + got.Name + "” to pCloud: " + res.Sentence(), changed: true}
	})
}
