package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/library"
)

// Songs reads the index a page at a time around the cursor.
const (
	songsPage = 200
	// songsQueue is the most songs enter puts in the queue: the song
	// and those after it in the list.
	songsQueue = 1000
)

// songsView is view 4, Songs: every track by artist, album, disc and
// track number, with its duration when known. Rows are read a page at a
// time as the cursor goes.
type songsView struct {
	libPane
	epoch uint64       // a full reload; pages of an older one are dropped
	pages map[int]bool // pages read or being read
}

// songsPageMsg is a page of Songs (reset: a new count, all pages forgotten).
type songsPageMsg struct {
	to     *songsView
	epoch  uint64
	reset  bool
	count  int
	offset int
	tracks []library.Track
	err    error
}

func newSongs(e *env, k KeyMap, f filterInput) *songsView {
	v := &songsView{libPane: newLibPane(e, k, f), pages: map[int]bool{}}
	v.level, v.key = v, "songs"
	return v
}

func (v *songsView) title() (string, string) { return "Songs", "song" }
func (v *songsView) back() tea.Cmd           { return nil }
func (v *songsView) queue(libRow, bool) tea.Cmd {
	return nil // every row is a track: the pane queues it
}

func (v *songsView) update(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(songsPageMsg); ok {
		if m.to == v {
			return v.onPage(m)
		}
		return nil
	}
	return v.libPane.update(msg)
}

func (v *songsView) updateKey(k tea.KeyPressMsg, page int) (tea.Cmd, bool) {
	cmd, ok := v.libPane.updateKey(k, page)
	return tea.Batch(cmd, v.ensure()), ok
}

// load counts the songs and reads the page under the cursor.
func (v *songsView) load() tea.Cmd {
	v.epoch++
	idx, ctx, epoch, cur := v.e.lib.idx, v.e.ctx, v.epoch, v.l.cursor
	if v.searching() {
		cur = v.l.kept
	}
	return func() tea.Msg {
		n, err := idx.Count(ctx)
		if err != nil {
			return songsPageMsg{to: v, epoch: epoch, reset: true, err: err}
		}
		off := 0
		if cur < n {
			off = cur / songsPage * songsPage
		}
		ts, err := idx.Songs(ctx, off, songsPage)
		return songsPageMsg{to: v, epoch: epoch, reset: true, count: n, offset: off, tracks: ts, err: err}
	}
}

func (v *songsView) onPage(m songsPageMsg) tea.Cmd {
	if m.epoch != v.epoch {
		return nil
	}
	if m.reset {
		v.loading = false
		if m.err != nil {
			v.err = sentence(m.err)
			return v.again()
		}
		v.err = ""
		v.rows = make([]libRow, m.count)
		v.pages = map[int]bool{}
		if !v.searching() {
			v.l.setTexts(make([]string, m.count))
		}
	} else if m.err != nil {
		delete(v.pages, m.offset/songsPage)
		return notice("Couldn't read the songs: "+sentence(m.err), true)
	}
	for i := range m.tracks {
		if j := m.offset + i; j < len(v.rows) {
			v.rows[j] = trackRow(&m.tracks[i], true)
		}
	}
	v.pages[m.offset/songsPage] = true
	return tea.Batch(v.again(), v.ensure())
}

// again reads everything again when the index changed during a read.
func (v *songsView) again() tea.Cmd {
	if v.stale {
		return v.reload()
	}
	return nil
}

// ensure reads the pages around the cursor not read yet.
func (v *songsView) ensure() tea.Cmd {
	if v.searching() || v.loading || len(v.rows) == 0 || v.e.lib.idx == nil {
		return nil
	}
	var cmds []tea.Cmd
	c := v.l.cursor
	for _, r := range []int{c - songsPage/2, c, c + songsPage/2} {
		if r < 0 || r >= len(v.rows) || v.pages[r/songsPage] {
			continue
		}
		pg := r / songsPage
		v.pages[pg] = true
		idx, ctx, epoch := v.e.lib.idx, v.e.ctx, v.epoch
		cmds = append(cmds, func() tea.Msg {
			ts, err := idx.Songs(ctx, pg*songsPage, songsPage)
			return songsPageMsg{to: v, epoch: epoch, offset: pg * songsPage, tracks: ts, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// open plays the song and those after it in the list (read in a Cmd: they
// may not all be on the pages read).
func (v *songsView) open(_ libRow, i int) tea.Cmd {
	idx, ctx, p := v.e.lib.idx, v.e.ctx, &v.libPane
	return func() tea.Msg {
		ts, err := idx.Songs(ctx, i, songsQueue)
		return libPlayMsg{to: p, tracks: ts, err: err}
	}
}
