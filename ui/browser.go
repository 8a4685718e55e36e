package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/player"
)

// browserKeyMap is the Folders view's keys beyond every view's.
type browserKeyMap struct {
	PlayNext, AddToPlaylist key.Binding
}

// browser is the Folders view: pCloud's folders, one at a time, with
// breadcrumbs. It owns the folders it listed, the way down to the one shown
// and the cursor it left in each.
type browser struct {
	e      *env
	keys   viewKeyMap
	more   browserKeyMap
	tab    key.Binding // named in the narrow title's hint
	filter filterInput

	stack   []*folder          // breadcrumbs; the last is shown
	cache   map[uint64]*folder // listed folders, for the session
	cursors map[uint64]int     // remembered cursor (original index) per folder

	wait    *listWait        // a listing waiting for pCloud (retry.go), or nil
	adding  *addWait         // a folder to add waiting for pCloud, or nil
	waitGen uint64           // the generation of the last wait
	now     func() time.Time // time.Now; tests may set a clock
}

type listingMsg struct {
	id      uint64 // folder asked for (pathID: by path)
	meta    *api.Metadata
	err     error
	refresh bool
	gen     uint64 // the wait this try belongs to (retry.go); 0: none
}

type addMsg struct {
	name   string
	tracks []player.Track
	err    error
	next   bool   // E: after the playing track
	pick   bool   // A: to a playlist the person picks, not to the queue
	id     uint64 // the folder listed; 0 for a file
	gen    uint64 // the wait this try belongs to (browser_addwait.go); 0: none
}

func newBrowser(e *env, k KeyMap, f filterInput) *browser {
	return &browser{
		e: e, keys: newViewKeys(k), more: browserKeyMap{PlayNext: k.PlayNext, AddToPlaylist: k.AddToPlaylist}, tab: k.Tab, filter: f,
		cache:   map[uint64]*folder{},
		cursors: map[uint64]int{},
		stack:   []*folder{{loading: true}},
		now:     time.Now,
	}
}

func (b *browser) list() *list        { return &b.cur().list }
func (b *browser) keyMap() viewKeyMap { return b.keys }

// update handles listings and folders added to the queue.
func (b *browser) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case listingMsg:
		return b.onListing(msg)
	case retryTickMsg:
		return b.onTick(msg)
	case addMsg:
		return b.onAdd(msg)
	}
	return nil
}

// updateKey handles the browser's keys.
func (b *browser) updateKey(k tea.KeyPressMsg, page int) (tea.Cmd, bool) {
	km := b.keys
	if km.update(k, b.list(), page) {
		return nil, true
	}
	switch {
	case key.Matches(k, km.Open):
		return b.open(), true
	case key.Matches(k, km.Parent):
		return b.parent(), true
	case key.Matches(k, km.Add):
		return b.add(false), true
	case key.Matches(k, b.more.PlayNext):
		return b.add(true), true
	case key.Matches(k, b.more.AddToPlaylist):
		return b.pickPlaylist(), true
	case key.Matches(k, km.Refresh): // and a waiting add tries at once
		return tea.Batch(b.refresh(), b.adding.retry()), true
	}
	return nil, false
}

func (b *browser) cur() *folder { return b.stack[len(b.stack)-1] }

// start lists the first folder.
func (b *browser) start() tea.Cmd {
	b.cancelWait()
	if _, ok := b.e.o.Library.(PathLister); ok && strings.Trim(b.e.o.StartPath, "/") != "" {
		path := "/" + strings.Trim(b.e.o.StartPath, "/")
		b.stack = []*folder{{id: pathID, name: baseName(path), path: path, loading: true}}
		return b.listPath(path, 0)
	}
	b.stack = []*folder{{id: b.e.o.StartFolder, name: topFolderName(b.e.o.StartFolder), path: topFolderPath(b.e.o.StartFolder), loading: true}}
	return b.load(b.e.o.StartFolder, false)
}

// listPath lists the start path (a try of wait gen, or 0).
func (b *browser) listPath(path string, gen uint64) tea.Cmd {
	pl, ok := b.e.o.Library.(PathLister)
	if !ok {
		return nil
	}
	ctx := b.e.ctx
	return func() tea.Msg {
		m, err := pl.ListPath(ctx, path, false)
		return listingMsg{id: pathID, meta: m, err: err, gen: gen}
	}
}

func (b *browser) load(id uint64, refresh bool) tea.Cmd { return b.loadGen(id, refresh, 0) }

// loadGen lists a folder (a try of wait gen, or 0).
func (b *browser) loadGen(id uint64, refresh bool, gen uint64) tea.Cmd {
	lib := b.e.o.Library
	if lib == nil {
		return func() tea.Msg {
			return listingMsg{id: id, err: fmt.Errorf("no library to browse")}
		}
	}
	ctx := b.e.ctx
	return func() tea.Msg {
		m, err := lib.ListFolder(ctx, id, false)
		return listingMsg{id: id, meta: m, err: err, refresh: refresh, gen: gen}
	}
}

func (b *browser) onListing(msg listingMsg) tea.Cmd {
	if msg.gen != 0 && (b.wait == nil || msg.gen != b.wait.gen) {
		return nil // a try of a wait that ended
	}
	if msg.err != nil && transient(msg.err) {
		return b.waitFor(msg)
	}
	if msg.gen != 0 {
		b.endWait()
	}
	cur := b.cur()
	var f *folder
	if msg.id == pathID || cur.id == msg.id {
		f = cur
	} else if c, ok := b.cache[msg.id]; ok {
		f = c
	} else {
		// A folder we already left: cache it for later unless it failed.
		if msg.err != nil || msg.meta == nil {
			return nil
		}
		f = &folder{id: msg.id}
	}
	f.loading, f.from = false, nil // listed or failed: opened now
	if msg.err != nil || msg.meta == nil {
		if msg.err == nil {
			msg.err = fmt.Errorf("empty answer")
		}
		f.err = sentence(msg.err)
		if msg.id == pathID {
			f.name = baseName(f.path)
		}
		if f == cur {
			return notice(f.err, true)
		}
		return nil
	}
	f.err = ""
	if msg.id == pathID {
		f.id = msg.meta.FolderID
	}
	b.fill(f, msg.meta)
	b.cache[f.id] = f
	if f == cur && !msg.refresh {
		if c, ok := b.cursors[f.id]; ok {
			f.list.selectOrig(c)
		}
		if f.wantChild != 0 {
			f.selectChild(f.wantChild)
			f.wantChild = 0
		}
	}
	return nil
}

// fill sets a folder's rows from its listing.
func (b *browser) fill(f *folder, m *api.Metadata) {
	f.meta = m
	switch {
	case f.id == 0:
		f.name = "pCloud"
	case f.name == "":
		f.name = m.Name
	}
	items := make([]*api.Metadata, 0, len(m.Contents))
	for _, c := range m.Contents {
		if c != nil {
			items = append(items, c)
		}
	}
	player.SortListing(items)
	f.items = items
	f.texts = make([]string, len(items))
	ids := make([]string, len(items))
	for i, it := range items {
		f.texts[i] = itemText(it)
		if it.IsFolder {
			ids[i] = "d" + strconv.FormatUint(it.FolderID, 10)
		} else {
			ids[i] = "f" + strconv.FormatUint(it.FileID, 10)
		}
	}
	f.list.setRows(f.texts, ids) // R, or a wait ended: the cursor stays on its item
	f.count = countText(items)
}

func (b *browser) selected() *api.Metadata {
	f := b.cur()
	i := f.list.selected()
	if i < 0 || i >= len(f.items) {
		return nil
	}
	return f.items[i]
}

// enter goes into a folder (from the cache when listed before).
func (b *browser) enter(id uint64, name string) tea.Cmd {
	cur := b.cur()
	if i := cur.list.selected(); i >= 0 {
		b.cursors[cur.id] = i
	}
	cur.list.typing = false
	b.cancelWait()
	if f, ok := b.cache[id]; ok {
		f.list.setFilter("")
		if c, ok := b.cursors[id]; ok {
			f.list.selectOrig(c)
		}
		b.stack = append(b.stack, f)
		return nil
	}
	from := b.stack
	b.stack = append(b.stack[:len(b.stack):len(b.stack)], &folder{id: id, name: name, path: childPath(cur.path, name), loading: true, from: from})
	return b.load(id, false)
}

// open is enter: into a folder, or play a file with the queue becoming
// its folder's playable files, from that one (u brings the old queue back).
func (b *browser) open() tea.Cmd {
	it := b.selected()
	if it == nil {
		return nil
	}
	if it.IsFolder {
		return b.enter(it.FolderID, it.Name)
	}
	if !it.Playable() {
		return notice(it.Name+" is not audio or video; it can't be played", true)
	}
	var tracks []player.Track
	start := 0
	for _, c := range b.cur().items {
		if c == it {
			start = len(tracks)
		}
		if c.Playable() {
			tracks = append(tracks, player.TrackOf(c))
		}
	}
	return b.e.player.call(func(p player.Controller) { p.Replace(tracks, start) })
}

// parent goes up one folder, remembering the cursor.
func (b *browser) parent() tea.Cmd {
	cur := b.cur()
	if i := cur.list.selected(); i >= 0 {
		b.cursors[cur.id] = i
	}
	cur.list.typing = false
	if len(b.stack) > 1 {
		b.cancelWait()
		b.stack = b.stack[:len(b.stack)-1]
		p := b.cur()
		if c, ok := b.cursors[p.id]; ok && p.list.filter == "" {
			p.list.selectOrig(c)
		}
		return nil
	}
	if cur.id == pathID && cur.meta == nil {
		// The start path could not be opened: go to the top folder instead.
		b.cancelWait()
		b.stack = []*folder{{id: 0, name: topFolderName(0), path: "/", loading: true}}
		return b.load(0, false)
	}
	if cur.meta == nil || cur.id == 0 || cur.id == pathID {
		return nil
	}
	b.cancelWait()
	// Opened in the middle of the tree: the parent is listed by id; its
	// path is known when this folder's is.
	pid, child := cur.meta.ParentFolderID, cur.id
	ppath := parentPath(cur.path)
	if pid == 0 {
		ppath = "/"
	}
	if f, ok := b.cache[pid]; ok {
		if f.path == "" {
			f.path = ppath
		}
		b.stack = []*folder{f}
		f.list.setFilter("")
		f.selectChild(child)
		return nil
	}
	name := topFolderName(pid)
	if name == "" && ppath != "" {
		name = baseName(ppath)
	}
	b.stack = []*folder{{id: pid, name: name, path: ppath, loading: true, wantChild: child, from: b.stack}}
	return b.load(pid, false)
}

// refresh re-reads the shown folder.
func (b *browser) refresh() tea.Cmd {
	if w := b.wait; w != nil && (w.f == b.cur() || w.back == b.cur()) {
		return b.retryNow() // R during a wait: try at once
	}
	b.cancelWait()
	f := b.cur()
	if f.id == pathID { // the start path failed: try it again
		return b.start()
	}
	f.loading = true
	return tea.Batch(b.load(f.id, true), notice("Reloading "+f.title(), false))
}

// breadcrumbs is the path of the shown folder, as shown: "pCloud", then a
// name per folder. A folder opened in the middle of the tree (a start
// path, or its parent reached with backspace) brings its known ancestors
// by name.
func (b *browser) breadcrumbs() []string {
	out := make([]string, 0, len(b.stack)+4)
	if p := strings.Trim(b.stack[0].path, "/"); p != "" {
		out = append(out, topFolderName(0))
		parts := strings.Split(p, "/")
		for _, n := range parts[:len(parts)-1] {
			if n != "" {
				out = append(out, shown(n))
			}
		}
	}
	for _, f := range b.stack {
		n := f.name
		if n == "" {
			n = "…"
		}
		out = append(out, shown(n))
	}
	return out
}

// shown is the folder the browser shows, for [Model.Folder].
func (b *browser) shown() Folder {
	f := b.cur()
	id := f.id
	if id == pathID {
		id = 0
	}
	return Folder{ID: id, Path: f.path, Name: f.name}
}
