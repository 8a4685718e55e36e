package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/lyrics"
	"github.com/pcplay/pcplay/player"
)

// LyricsFeed is the playing track's lyrics as a host keeps them; the host
// and the engine's client satisfy it.
type LyricsFeed interface {
	// LyricsState is the current state and a channel closed at its next
	// change.
	LyricsState() (lyrics.State, <-chan struct{})
	// WantLyrics has the host look the playing track's lyrics up (and
	// each next track's).
	WantLyrics()
}

// lyricsTick is how often the open pane moves with the music.
const lyricsTick = 200 * time.Millisecond

// lyricsKeyMap is the keys of the lyrics pane: it closes with its own key
// or esc; the movement keys scroll unsynced text. The play keys work on.
type lyricsKeyMap struct {
	Close, Esc                              key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

func newLyricsKeys(k KeyMap) lyricsKeyMap {
	return lyricsKeyMap{
		Close: k.Lyrics, Esc: newBinding("esc", "closes", "esc"),
		Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom,
	}
}

// lyricsPane shows the playing track's lyrics: synced lines follow the
// music, the current one marked and kept in view; plain text scrolls.
type lyricsPane struct {
	e    *env
	keys lyricsKeyMap
	open bool

	st       lyrics.State
	watching bool // a watch Cmd is out
	ticking  bool // a tick Cmd is out
	offset   int  // the first line of unsynced text shown

	// The position as the player last said it, and when the pane saw it:
	// between two statuses the pane counts on from there.
	pos    time.Duration
	posAt  time.Time
	now    func() time.Time
	lastID uint64
	// shownPos is the position the view shows (settle sets it).
	shownPos time.Duration
}

func newLyricsPane(e *env, k KeyMap) lyricsPane {
	return lyricsPane{e: e, keys: newLyricsKeys(k), now: time.Now}
}

// lyricsStateMsg is a new lyrics state; next is closed at the one after.
type lyricsStateMsg struct {
	st   lyrics.State
	next <-chan struct{}
}

type lyricsTickMsg struct{}

// lyricsMsg is a message of the lyrics pane.
type lyricsMsg interface{ isLyricsMsg() }

func (lyricsStateMsg) isLyricsMsg() {}
func (lyricsTickMsg) isLyricsMsg()  {}

// toggle opens the pane (asking the host for the lyrics) or closes it.
func (p *lyricsPane) toggle(st player.Status) tea.Cmd {
	if p.open {
		p.open = false
		return nil
	}
	p.open = true
	p.offset = 0
	feed := p.e.o.Lyrics
	if feed == nil {
		return nil
	}
	cmds := []tea.Cmd{func() tea.Msg { feed.WantLyrics(); return nil }, p.watch(nil), p.tick(st)}
	return tea.Batch(cmds...)
}

// watch waits for the next lyrics state (re-armed after each, once).
func (p *lyricsPane) watch(next <-chan struct{}) tea.Cmd {
	feed := p.e.o.Lyrics
	if feed == nil || (p.watching && next == nil) {
		return nil
	}
	p.watching = true
	ctx := p.e.ctx
	return p.e.blocking("lyrics", func() tea.Msg {
		if next != nil {
			select {
			case <-next:
			case <-ctx.Done():
				return nil
			}
		}
		st, n := feed.LyricsState()
		return lyricsStateMsg{st, n}
	})
}

// tick re-draws the open pane while the music plays.
func (p *lyricsPane) tick(st player.Status) tea.Cmd {
	if !p.open || p.ticking || st.State != player.Playing || !p.st.Lyrics.Synced() {
		return nil
	}
	p.ticking = true
	return p.e.blocking("lyrics tick", tea.Tick(lyricsTick, func(time.Time) tea.Msg { return lyricsTickMsg{} }))
}

// onMsg takes a lyrics message; st is the player's last status.
func (p *lyricsPane) onMsg(msg lyricsMsg, st player.Status) tea.Cmd {
	switch msg := msg.(type) {
	case lyricsStateMsg:
		if msg.st.FileID != p.st.FileID {
			p.offset = 0
		}
		p.st = msg.st
		return tea.Batch(p.watch(msg.next), p.tick(st))
	case lyricsTickMsg:
		p.ticking = false
		return p.tick(st)
	}
	return nil
}

// settle notes the player's position for the view (called after each
// message while the pane is open): the player's last position, counted on
// while it plays (at most 2 s past it: a status comes every second).
func (p *lyricsPane) settle(st player.Status) {
	now := p.now()
	if st.Position != p.pos || st.Track.FileID != p.lastID {
		p.pos, p.posAt, p.lastID = st.Position, now, st.Track.FileID
	}
	p.shownPos = st.Position
	if st.State == player.Playing {
		p.shownPos += min(now.Sub(p.posAt), 2*time.Second)
	}
}

// update handles a key while the pane is open; handled false leaves it to
// the play keys.
func (p *lyricsPane) update(k tea.KeyPressMsg, page int) bool {
	km := p.keys
	switch {
	case key.Matches(k, km.Close), key.Matches(k, km.Esc):
		p.open = false
	case key.Matches(k, km.Up):
		p.offset--
	case key.Matches(k, km.Down):
		p.offset++
	case key.Matches(k, km.PageUp):
		p.offset -= page
	case key.Matches(k, km.PageDown):
		p.offset += page
	case key.Matches(k, km.Top):
		p.offset = 0
	case key.Matches(k, km.Bottom):
		p.offset = len(p.st.Lyrics.TextLines())
	default:
		return false
	}
	p.offset = max(0, min(p.offset, len(p.st.Lyrics.TextLines())-1))
	return true
}

// lyricsKey routes a key while the lyrics pane is open: quit, the pane's
// own keys, then the play keys (space, seek, next...) as anywhere.
func (m *model) lyricsKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit(false)
	case key.Matches(k, m.keys.StopQuit):
		return m.quit(true)
	case key.Matches(k, m.keys.Help):
		m.help.show(m.helpGroups())
		return nil
	}
	if m.lyrics.update(k, max(1, m.height-m.bar.lines(m.width)-3)) {
		return nil
	}
	cmd, _ := m.bar.updateKey(k)
	return tea.Batch(cmd, m.lyrics.tick(m.bar.st))
}
