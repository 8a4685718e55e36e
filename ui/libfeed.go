package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

// LibraryFeed is the music library's keeper as the UI sees it: its state
// (scan progress, a generation that moves with every change of the index)
// and the rescan of the R key. [*library.Keeper] and the engine's client
// satisfy it.
type LibraryFeed interface {
	LibraryState() (library.State, <-chan struct{})
	Rescan()
	// Measure measures the missing durations of tracks in the background
	// (the album on screen); the state's generation moves as they come.
	Measure(fileIDs []uint64)
}

// libShared is what the library views share: the index (opened read only
// in a Cmd) and the keeper's last state.
type libShared struct {
	st      library.State
	idx     *library.Library
	opening bool
	openErr string
	notice  string // the last notice shown (a damaged index rebuilt)
	lastErr string
}

// libStateMsg is a new state of the keeper; next is closed at the one after.
type libStateMsg struct {
	st   library.State
	next <-chan struct{}
}

// libOpenMsg is the index opened for reading (or why not).
type libOpenMsg struct {
	idx *library.Library
	err error
}

// libMsg is a message every library view hears (routed by onLib).
type libMsg interface{ isLibMsg() }

func (libStateMsg) isLibMsg() {}
func (libOpenMsg) isLibMsg()  {}

// watchLibrary waits for the keeper's next state (re-armed after each).
func (e *env) watchLibrary(next <-chan struct{}) tea.Cmd {
	k := e.o.Keeper
	if k == nil {
		return nil
	}
	ctx := e.ctx
	return e.blocking("library", func() tea.Msg {
		if next != nil {
			select {
			case <-next:
			case <-ctx.Done():
				return nil
			}
		}
		st, n := k.LibraryState()
		return libStateMsg{st, n}
	})
}

// openIndex opens the index in a Cmd, once at a time; nil when it is open,
// being opened, or there is none.
func (e *env) openIndex() tea.Cmd {
	s := e.lib
	if s.idx != nil || s.opening || e.o.Index == nil {
		return nil
	}
	s.opening = true
	open := e.o.Index
	return func() tea.Msg {
		idx, err := open()
		return libOpenMsg{idx, err}
	}
}

// onLib takes a library message for the views that show the library.
func (m *model) onLib(msg libMsg) tea.Cmd {
	s := m.e.lib
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case libStateMsg:
		gen := s.st.Gen
		s.st = msg.st
		if n := msg.st.Notice; n != "" && n != s.notice {
			s.notice = n
			cmds = append(cmds, m.bar.show(n, true))
		}
		if e := msg.st.Err; e != s.lastErr {
			s.lastErr = e
			if e != "" {
				cmds = append(cmds, m.bar.show(e, true))
			}
		}
		if s.idx != nil && msg.st.Gen != gen {
			s.idx.Reload()
		}
		if s.idx == nil && s.openErr != "" {
			s.openErr = ""
			cmds = append(cmds, m.e.openIndex()) // the engine may have made it meanwhile
		}
		cmds = append(cmds, m.e.watchLibrary(msg.next))
	case libOpenMsg:
		s.opening = false
		if msg.err != nil {
			s.openErr = sentence(msg.err)
		} else {
			s.idx, s.openErr = msg.idx, ""
		}
	}
	for _, v := range m.views {
		cmds = append(cmds, v.update(msg))
	}
	return tea.Batch(cmds...)
}

// playFrom makes tracks the queue and plays tracks[i] (the previous queue
// stays one undo away): the one place the library views start playback
// (enter on a track).
func (e *env) playFrom(tracks []library.Track, i int) tea.Cmd {
	if i < 0 || i >= len(tracks) {
		return nil
	}
	pts := library.Queued(tracks)
	return e.player.call(func(p player.Controller) { p.Replace(pts, i) })
}

// queueTracks appends tracks to the queue, or with next plays them after
// the playing track (a, E).
func (e *env) queueTracks(tracks []library.Track, next bool) tea.Cmd {
	pts := library.Queued(tracks)
	if next {
		return e.player.call(func(p player.Controller) { p.InsertNext(pts) })
	}
	return e.player.call(func(p player.Controller) { p.Enqueue(pts) })
}

// queryView is a view whose filter is a query it answers itself (the
// library's search).
type queryView interface {
	queryChanged() tea.Cmd
}

// queryMoved tells the shown view that its query changed (l being its list).
func (m *model) queryMoved(l *list, before string) tea.Cmd {
	if l.filter == before || m.focus != paneView {
		return nil
	}
	if q, ok := m.views[m.cur].(queryView); ok {
		return q.queryChanged()
	}
	return nil
}
