package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/player"
)

// pathID marks the folder opened by path before its id is known.
const pathID = ^uint64(0)

// folder is one listed (or loading) folder in the browser.
type folder struct {
	id      uint64
	name    string
	meta    *api.Metadata
	items   []*api.Metadata // folders first, then files, by name
	texts   []string
	loading bool
	err     string
	list    list

	wantChild uint64 // select this subfolder once listed
	path      string // the pCloud path, "/" for the root; "" when unknown
	count     string // "3 folders, 12 files"
}

type browser struct {
	stack   []*folder          // breadcrumbs; the last is shown
	cache   map[uint64]*folder // listed folders, for the session
	cursors map[uint64]int     // remembered cursor (original index) per folder
}

type listingMsg struct {
	id      uint64 // folder asked for (pathID: by path)
	meta    *api.Metadata
	err     error
	refresh bool
}

type addMsg struct {
	name   string
	tracks []player.Track
	err    error
}

func (b *browser) init() {
	b.cache = map[uint64]*folder{}
	b.cursors = map[uint64]int{}
	b.stack = []*folder{{loading: true}}
}

func (b *browser) cur() *folder { return b.stack[len(b.stack)-1] }

// start lists the first folder.
func (b *browser) start(s *state) tea.Cmd {
	if pl, ok := s.o.Library.(PathLister); ok && strings.Trim(s.o.StartPath, "/") != "" {
		path := "/" + strings.Trim(s.o.StartPath, "/")
		b.stack = []*folder{{id: pathID, name: baseName(path), path: path, loading: true}}
		ctx := s.ctx
		return func() tea.Msg {
			m, err := pl.ListPath(ctx, path, false)
			return listingMsg{id: pathID, meta: m, err: err}
		}
	}
	b.stack = []*folder{{id: s.o.StartFolder, name: rootName(s.o.StartFolder), path: rootPath(s.o.StartFolder), loading: true}}
	return b.load(s, s.o.StartFolder, false)
}

// rootPath is "/" for the root and "" (unknown) for any other folder id.
func rootPath(id uint64) string {
	if id == 0 {
		return "/"
	}
	return ""
}

func rootName(id uint64) string {
	if id == 0 {
		return "pCloud"
	}
	return ""
}

func (b *browser) load(s *state, id uint64, refresh bool) tea.Cmd {
	lib := s.o.Library
	if lib == nil {
		return func() tea.Msg {
			return listingMsg{id: id, err: fmt.Errorf("no library to browse")}
		}
	}
	ctx := s.ctx
	return func() tea.Msg {
		m, err := lib.ListFolder(ctx, id, false)
		return listingMsg{id: id, meta: m, err: err, refresh: refresh}
	}
}

func (b *browser) onListing(s *state, msg listingMsg) tea.Cmd {
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
	f.loading = false
	if msg.err != nil || msg.meta == nil {
		if msg.err == nil {
			msg.err = fmt.Errorf("empty answer")
		}
		f.err = sentence(msg.err)
		if msg.id == pathID {
			f.name = baseName(f.path)
		}
		if f == cur {
			return s.setMsg(f.err, true)
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
	sortItems(items)
	f.items = items
	f.texts = make([]string, len(items))
	for i, it := range items {
		f.texts[i] = itemText(it)
	}
	f.list.setTexts(f.texts)
	f.count = countText(items)
}

func sortItems(items []*api.Metadata) {
	type entry struct {
		it  *api.Metadata
		key string
	}
	es := make([]entry, len(items))
	for i, it := range items {
		es[i] = entry{it, lower(it.Name)}
	}
	slices.SortStableFunc(es, func(a, b entry) int {
		switch {
		case a.it.IsFolder != b.it.IsFolder:
			if a.it.IsFolder {
				return -1
			}
			return 1
		}
		return naturalCmp(a.key, b.key)
	})
	for i, e := range es {
		items[i] = e.it
	}
}

// naturalLess compares case-insensitively, numbers by value ("2" < "10").
func naturalLess(a, b string) bool { return naturalLessLower(lower(a), lower(b)) }

func naturalLessLower(a, b string) bool { return naturalCmp(a, b) < 0 }

// naturalCmp compares lower-cased names, runs of digits by value.
func naturalCmp(a, b string) int {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// itemText is how a row reads: folders by name, playable files as
// "artist – title" when tagged, else by file name.
func itemText(m *api.Metadata) string {
	if m.IsFolder {
		return m.Name
	}
	if m.Playable() {
		return trackText(trackOf(m))
	}
	return m.Name
}

func trackOf(m *api.Metadata) player.Track {
	return player.Track{FileID: m.FileID, Name: m.Name, Title: m.Title, Artist: m.Artist, Album: m.Album, TrackNo: m.TrackNo}
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
func (b *browser) enter(s *state, id uint64, name string) tea.Cmd {
	cur := b.cur()
	if i := cur.list.selected(); i >= 0 {
		b.cursors[cur.id] = i
	}
	cur.list.typing = false
	if f, ok := b.cache[id]; ok {
		f.list.setFilter("")
		if c, ok := b.cursors[id]; ok {
			f.list.selectOrig(c)
		}
		b.stack = append(b.stack, f)
		return nil
	}
	b.stack = append(b.stack, &folder{id: id, name: name, path: childPath(cur.path, name), loading: true})
	return b.load(s, id, false)
}

// open is enter: into a folder, or play a file and the rest of its folder.
func (b *browser) open(s *state) tea.Cmd {
	it := b.selected()
	if it == nil {
		return nil
	}
	if it.IsFolder {
		return b.enter(s, it.FolderID, it.Name)
	}
	if !it.Playable() {
		return s.setMsg(it.Name+" is not audio or video; it can't be played", true)
	}
	f := b.cur()
	tracks := []player.Track{trackOf(it)}
	after := false
	for _, c := range f.items {
		if c == it {
			after = true
			continue
		}
		if after && c.Playable() {
			tracks = append(tracks, trackOf(c))
		}
	}
	if s.o.Player != nil {
		s.o.Player.PlayNow(tracks)
	}
	return nil
}

// parent goes up one folder, remembering the cursor.
func (b *browser) parent(s *state) tea.Cmd {
	cur := b.cur()
	if i := cur.list.selected(); i >= 0 {
		b.cursors[cur.id] = i
	}
	cur.list.typing = false
	if len(b.stack) > 1 {
		b.stack = b.stack[:len(b.stack)-1]
		p := b.cur()
		if c, ok := b.cursors[p.id]; ok && p.list.filter == "" {
			p.list.selectOrig(c)
		}
		return nil
	}
	if cur.id == pathID && cur.meta == nil {
		// The start path could not be opened: go to the root instead.
		b.stack = []*folder{{id: 0, name: rootName(0), path: "/", loading: true}}
		return b.load(s, 0, false)
	}
	if cur.meta == nil || cur.id == 0 || cur.id == pathID {
		return nil
	}
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
	name := rootName(pid)
	if name == "" && ppath != "" {
		name = baseName(ppath)
	}
	b.stack = []*folder{{id: pid, name: name, path: ppath, loading: true, wantChild: child}}
	return b.load(s, pid, false)
}

func (f *folder) selectChild(id uint64) {
	for i, it := range f.items {
		if it.IsFolder && it.FolderID == id {
			f.list.selectOrig(i)
			return
		}
	}
}

// refresh re-reads the shown folder.
func (b *browser) refresh(s *state) tea.Cmd {
	f := b.cur()
	if f.id == pathID { // the start path failed: try it again
		return b.start(s)
	}
	f.loading = true
	return tea.Batch(b.load(s, f.id, true), s.setMsg("Reloading "+f.title(), false))
}

func (f *folder) title() string {
	if f.name == "" {
		return "folder"
	}
	return f.name
}

// add queues the file under the cursor, or the whole folder recursively.
func (b *browser) add(s *state) tea.Cmd {
	it := b.selected()
	if it == nil {
		return nil
	}
	if !it.IsFolder {
		if !it.Playable() {
			return s.setMsg(it.Name+" is not audio or video; it can't be queued", true)
		}
		if s.o.Player != nil {
			s.o.Player.Enqueue([]player.Track{trackOf(it)})
		}
		return s.setMsg("Added "+itemText(it)+" to the queue", false)
	}
	lib := s.o.Library
	if lib == nil {
		return nil
	}
	ctx, id, name := s.ctx, it.FolderID, it.Name
	return tea.Batch(s.setMsg("Adding "+name+"…", false), func() tea.Msg {
		m, err := lib.ListFolder(ctx, id, true)
		if err != nil {
			return addMsg{name: name, err: err}
		}
		if m == nil {
			return addMsg{name: name, err: fmt.Errorf("empty answer")}
		}
		var out []player.Track
		collect(m, &out, 0)
		return addMsg{name: name, tracks: out}
	})
}

// collect appends the playable files of a tree in browser order.
func collect(m *api.Metadata, out *[]player.Track, depth int) {
	if depth > 64 {
		return
	}
	items := make([]*api.Metadata, 0, len(m.Contents))
	for _, c := range m.Contents {
		if c != nil {
			items = append(items, c)
		}
	}
	sortItems(items)
	for _, c := range items {
		if c.IsFolder {
			collect(c, out, depth+1)
		} else if c.Playable() {
			*out = append(*out, trackOf(c))
		}
	}
}

func (s *state) onAdd(msg addMsg) tea.Cmd {
	if msg.err != nil {
		return s.setMsg("Couldn't add "+msg.name+": "+sentence(msg.err), true)
	}
	if len(msg.tracks) == 0 {
		return s.setMsg(msg.name+" has nothing playable", false)
	}
	if s.o.Player != nil {
		s.o.Player.Enqueue(msg.tracks)
	}
	return s.setMsg(fmt.Sprintf("Added %d tracks from %s", len(msg.tracks), msg.name), false)
}

// breadcrumbs is the path of the shown folder: "pCloud", then a name per
// folder. A folder opened in the middle of the tree (a start path, or its
// parent reached with backspace) brings its known ancestors by name.
func (b *browser) breadcrumbs() []string {
	out := make([]string, 0, len(b.stack)+4)
	if p := strings.Trim(b.stack[0].path, "/"); p != "" {
		out = append(out, rootName(0))
		parts := strings.Split(p, "/")
		for _, n := range parts[:len(parts)-1] {
			if n != "" {
				out = append(out, n)
			}
		}
	}
	for _, f := range b.stack {
		n := f.name
		if n == "" {
			n = "…"
		}
		out = append(out, n)
	}
	return out
}

// baseName is the last name of a pCloud path ("Album" for "/Music/Album";
// "pCloud" for the root).
func baseName(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return rootName(0)
	}
	return p[strings.LastIndexByte(p, '/')+1:]
}

// parentPath is the path of p's parent folder: "/Music" for "/Music/Album",
// "/" for "/Music", "" when p is "" (unknown) or the root.
func parentPath(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return ""
	}
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "/"
	}
	return "/" + p[:i]
}

func childPath(parent, name string) string {
	switch parent {
	case "":
		return ""
	case "/":
		return "/" + name
	}
	return parent + "/" + name
}

// Folder is the folder the browser shows, for the caller to reopen it next
// time (Options.StartPath or StartFolder).
type Folder struct {
	ID   uint64 // pCloud folder id (0: the root, or not known yet)
	Path string // pCloud path such as "/Music/Live"; "" when not known
	Name string
}

// Folder returns the folder the browser shows.
func (m Model) Folder() Folder {
	f := m.s.br.cur()
	id := f.id
	if id == pathID {
		id = 0
	}
	return Folder{ID: id, Path: f.path, Name: f.name}
}
