package ui

import (
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/library"
)

// libKeyMap is the keys of the library views (Artists, Albums, Songs).
type libKeyMap struct {
	viewKeyMap
	PlayNext key.Binding
}

func newLibKeys(k KeyMap) libKeyMap {
	v := newViewKeys(k)
	v.Refresh.SetHelp(v.Refresh.Help().Key, "rescan the library")
	v.Parent.SetHelp(v.Parent.Help().Key, "back")
	return libKeyMap{viewKeyMap: v, PlayNext: k.PlayNext}
}

// libRow is one row of a library view: an artist, an album or a track.
type libRow struct {
	text, right string         // the row as shown: names, and a count or duration
	artist      string         // an artist row: the album artist
	album       *library.Album // an album row
	track       *library.Track // a track row
	loaded      bool           // Songs: the page of this row has been read
}

// libLevel is what a library view does with its own rows (the search's
// rows are the pane's).
type libLevel interface {
	load() tea.Cmd                       // read the rows shown again
	open(row libRow, i int) tea.Cmd      // enter on a row
	back() tea.Cmd                       // backspace; nil at the top
	queue(row libRow, next bool) tea.Cmd // a / E on a row
	title() (left, noun string)          // the title line: its left, and what a row is
}

// libRowsMsg is rows read for a view's level (key says which).
type libRowsMsg struct {
	to   *libPane
	key  string
	rows []libRow
	err  error
}

// libQueueMsg is tracks read to be queued (a / E on an album or artist).
type libQueueMsg struct {
	to     *libPane
	what   string
	tracks []library.Track
	next   bool
	err    error
}

// libPlayMsg is tracks read to be played from the first (enter in Songs).
type libPlayMsg struct {
	to     *libPane
	tracks []library.Track
	err    error
}

// libPane is what the library views share: the list and its rows, the
// search that stands in for the rows while "/" has a query, the scan's
// progress and the drawing.
type libPane struct {
	e      *env
	keys   libKeyMap
	tab    key.Binding
	filter filterInput
	level  libLevel

	l       list
	key     string   // the level shown: rows read for another are dropped
	rows    []libRow // the level's rows
	search  libSearch
	hits    []libRow       // the search's rows while l.filter is a query
	cursors map[string]int // the cursor left in each level, by key
	restore bool           // put the remembered cursor back at the next rows
	started bool
	loading bool
	stale   bool   // the index changed while a read was under way
	gen     uint64 // the generation the rows were read at
	err     string
	bar     progress.Model
}

func newLibPane(e *env, k KeyMap, f filterInput) libPane {
	p := libPane{e: e, keys: newLibKeys(k), tab: k.Tab, filter: f,
		bar: progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'))}
	p.l.query = true
	p.search.e = e
	p.cursors = map[string]int{}
	return p
}

func (p *libPane) list() *list { return &p.l }

// searching reports whether the search's rows are shown.
func (p *libPane) searching() bool { return p.l.filter != "" }

// shown is the rows on screen.
func (p *libPane) shown() []libRow {
	if p.searching() {
		return p.hits
	}
	return p.rows
}

// start, keyMap and view are the view methods the library views (2, 3
// and 4) share: what differs between them is their level.
func (p *libPane) start() tea.Cmd     { return p.begin() }
func (p *libPane) keyMap() viewKeyMap { return p.keys.viewKeyMap }
func (p *libPane) view(w, h int, focused, narrow bool) []string {
	return p.draw(w, h, focused, narrow)
}

// begin makes the first load: the index is opened first when needed.
func (p *libPane) begin() tea.Cmd {
	p.started = true
	if p.e.o.Index == nil {
		return nil
	}
	if p.e.lib.idx == nil {
		return p.e.openIndex()
	}
	return p.reload()
}

// reload reads the level again (once at a time; a change meanwhile reads
// again after).
func (p *libPane) reload() tea.Cmd {
	if !p.started || p.e.lib.idx == nil {
		return nil
	}
	if p.loading {
		p.stale = true
		return nil
	}
	p.loading, p.stale = true, false
	p.gen = p.e.lib.st.Gen
	return p.level.load()
}

// goTo shows another level (key) and reads it.
func (p *libPane) goTo(key string) tea.Cmd {
	p.cursors[p.key] = p.l.cursor
	p.key, p.rows, p.err, p.restore = key, nil, "", true
	p.l.setTexts(nil)
	p.loading = false
	return p.reload()
}

// update handles the messages every library view hears.
func (p *libPane) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case libOpenMsg:
		if msg.err == nil && p.started {
			cmds := []tea.Cmd{p.reload()}
			if p.searching() { // typed before the index was open
				cmds = append(cmds, p.search.ask(p, p.l.filter))
			}
			return tea.Batch(cmds...)
		}
	case libStateMsg:
		if p.started && msg.st.Gen != p.gen {
			cmds := []tea.Cmd{p.reload()}
			if p.searching() {
				cmds = append(cmds, p.search.ask(p, p.l.filter))
			}
			return tea.Batch(cmds...)
		}
	case libRowsMsg:
		if msg.to == p {
			return p.onRows(msg)
		}
	case libSearchMsg:
		if msg.to == p {
			p.onSearch(msg)
		}
	case libQueueMsg:
		if msg.to == p {
			return onQueue(p.e, msg)
		}
	case libPlayMsg:
		if msg.to == p {
			if msg.err != nil {
				return notice("Couldn't read the songs: "+sentence(msg.err), true)
			}
			return p.e.playFrom(msg.tracks, 0)
		}
	}
	return nil
}

func (p *libPane) onRows(msg libRowsMsg) tea.Cmd {
	p.loading = false
	if msg.key != p.key {
		return p.reload()
	}
	if msg.err != nil {
		p.err = sentence(msg.err)
	} else {
		p.err, p.rows = "", msg.rows
		if !p.searching() {
			p.l.setRows(textsAndIDs(p.rows)) // read anew: the cursor stays on its row
			if p.restore {
				p.l.cursor, p.restore = p.cursors[p.key], false
				p.l.clamp()
			}
		}
	}
	if p.stale {
		return p.reload()
	}
	return p.measure()
}

// id is what a row stands for, to find it again among rows read anew.
func (r libRow) id() string {
	switch {
	case r.track != nil:
		return "t" + strconv.FormatUint(r.track.FileID, 10)
	case r.album != nil:
		return "a" + r.album.Artist + "\x00" + r.album.Name
	case r.artist != "":
		return "r" + r.artist
	}
	return "" // a Songs row whose page is not read yet
}

// measure asks the keeper for the durations the rows' tracks lack (an
// album's: a few tracks).
func (p *libPane) measure() tea.Cmd {
	k := p.e.o.Keeper
	if k == nil {
		return nil
	}
	var ids []uint64
	for _, r := range p.rows {
		if r.track != nil && r.track.Duration == 0 {
			ids = append(ids, r.track.FileID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return func() tea.Msg { k.Measure(ids); return nil }
}

// textsAndIDs is the rows' texts and ids (for setRows).
func textsAndIDs(rows []libRow) (texts, ids []string) {
	texts, ids = make([]string, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		texts[i], ids[i] = r.text, r.id()
	}
	return texts, ids
}

// queryChanged follows the "/" input: a query searches the whole
// library; none brings the level's rows back where the cursor was.
func (p *libPane) queryChanged() tea.Cmd {
	if p.l.filter == "" {
		p.search.drop()
		p.hits = nil
		p.l.setRows(textsAndIDs(p.rows))
		p.l.cursor = p.l.kept
		p.l.clamp()
		return nil
	}
	return p.search.ask(p, p.l.filter)
}

func (p *libPane) onSearch(msg libSearchMsg) {
	if !p.search.take(msg) || !p.searching() {
		return
	}
	p.hits = make([]libRow, len(msg.tracks))
	for i := range msg.tracks {
		p.hits[i] = trackRow(&msg.tracks[i], true)
	}
	p.l.setRows(textsAndIDs(p.hits))
	p.l.cursor, p.l.offset = 0, 0
}

// updateKey handles the keys of a library view.
func (p *libPane) updateKey(k tea.KeyPressMsg, page int) (tea.Cmd, bool) {
	km := p.keys
	if km.update(k, &p.l, page) {
		return nil, true
	}
	rows := p.shown()
	i := p.l.selected()
	var row *libRow
	if i >= 0 && i < len(rows) {
		row = &rows[i]
	}
	switch {
	case key.Matches(k, km.Open):
		if row == nil {
			return nil, true
		}
		if p.searching() {
			return p.e.playFrom(rowTracks(p.hits), i), true
		}
		return p.level.open(*row, i), true
	case key.Matches(k, km.Parent):
		if p.searching() {
			return nil, false
		}
		return p.level.back(), true
	case key.Matches(k, km.Add), key.Matches(k, km.PlayNext):
		if row == nil {
			return nil, true
		}
		next := key.Matches(k, km.PlayNext)
		if row.track != nil {
			return p.queueOne(*row.track, next), true
		}
		return p.level.queue(*row, next), true
	case key.Matches(k, km.Refresh):
		return p.rescan(), true
	}
	return nil, false
}

// queueOne appends a track (or plays it next) with a line saying so.
func (p *libPane) queueOne(t library.Track, next bool) tea.Cmd {
	return onQueue(p.e, libQueueMsg{what: trackTitle(t), tracks: []library.Track{t}, next: next})
}

// onQueue queues tracks read for a / E.
func onQueue(e *env, msg libQueueMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		return notice("Couldn't add "+msg.what+": "+sentence(msg.err), true)
	case len(msg.tracks) == 0:
		return notice(msg.what+" has no tracks", false)
	}
	what := msg.what
	if len(msg.tracks) > 1 {
		what = fmt.Sprintf("%s (%s)", what, plural(len(msg.tracks), "track"))
	}
	text := "Added " + what + " to the queue"
	if msg.next {
		text = "Playing " + what + " next"
	}
	return tea.Batch(e.queueTracks(msg.tracks, msg.next), notice(text, false))
}

// rescan asks the keeper to scan the library again (R).
func (p *libPane) rescan() tea.Cmd {
	k := p.e.o.Keeper
	if k == nil {
		return notice("There is no music library to rescan.", true)
	}
	return tea.Batch(func() tea.Msg { k.Rescan(); return nil },
		notice("Rescanning the library…", false))
}

// rowTracks is the tracks of rows, in order.
func rowTracks(rows []libRow) []library.Track {
	out := make([]library.Track, 0, len(rows))
	for _, r := range rows {
		if r.track != nil {
			out = append(out, *r.track)
		}
	}
	return out
}

// playingMark is the mark of a track row: the playing one stands out.
func (p *libPane) playing(r libRow) bool {
	return r.track != nil && p.e.isPlaying(r.track.FileID)
}
