package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// topKeyMap is the keys the top model handles itself.
type topKeyMap struct {
	ForceQuit       key.Binding // ctrl+c, on every screen whatever the bindings
	Quit, StopQuit  key.Binding
	Help, Tab       key.Binding
	Filter          key.Binding
	Bitrate         key.Binding
	Undo, SaveQueue key.Binding   // the queue's, from any pane
	NowPlaying      key.Binding   // i: the now-playing panel (nowplaying.go)
	Lyrics          key.Binding   // the lyrics pane
	Views           []key.Binding // the number keys, one per view kind
	// Elsewhere are keys that work in some panes only, and where: a key
	// no pane took says so in the status line (d in Folders did nothing).
	Elsewhere []elsewhere
}

// elsewhere is a key that works in some panes only.
type elsewhere struct {
	key   key.Binding
	where string // "in the queue (tab) and in an open playlist"
}

func newTopKeys(k KeyMap) topKeyMap {
	return topKeyMap{
		ForceQuit: newBinding("ctrl+c", "quit", "ctrl+c"),
		Quit:      k.Quit, StopQuit: k.StopQuit, Help: k.Help, Tab: k.Tab,
		Filter: k.Filter, Bitrate: k.Bitrate, Undo: k.Undo, SaveQueue: k.SaveQueue,
		NowPlaying: k.NowPlaying, Lyrics: k.Lyrics,
		Views: switchKeys(),
		Elsewhere: []elsewhere{
			{k.Remove, "in the queue (" + keyName(k.Tab) + ") and in an open playlist"},
			{k.MoveDown, "in the queue (" + keyName(k.Tab) + ") and in an open playlist"},
			{k.MoveUp, "in the queue (" + keyName(k.Tab) + ") and in an open playlist"},
			{k.Jump, "in the queue (" + keyName(k.Tab) + ")"},
			{k.Rename, "in the playlists view (5)"},
			{k.Delete, "in the playlists view (5)"},
			{k.Push, "in the playlists view (5)"},
		},
	}
}

// notHere says, for a key no pane took that works elsewhere, where it
// works; nil for any other key.
func (km topKeyMap) notHere(k tea.KeyPressMsg) tea.Cmd {
	for _, e := range km.Elsewhere {
		if key.Matches(k, e.key) {
			what, _, _ := strings.Cut(e.key.Help().Desc, " (")
			return notice(k.String()+" ("+what+") works "+e.where+", not here.", false)
		}
	}
	return nil
}

// onKey routes a key of the main screen: to the open overlay, the open
// filter input, the top's own keys, the focused pane, then the play keys.
func (m *model) onKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	switch {
	case m.prompt.open:
		return m.prompt.update(k)
	case m.plPick.open:
		return m.plPick.update(k)
	case m.help.open:
		return m.helpKey(k)
	case m.picker.open:
		if key.Matches(k, km.Quit) {
			return m.quit(false)
		}
		return m.picker.update(k)
	case m.np.open:
		return m.nowKey(k)
	case m.lyrics.open:
		return m.lyricsKey(k)
	}
	l := m.focused()
	page := max(1, m.listHeight()-1)
	if l.typing {
		before := l.filter
		m.filter.update(k, l, page)
		return m.queryMoved(l, before)
	}
	if m.filter.clears(k) {
		if before := l.filter; before != "" {
			l.setFilter("")
			return m.queryMoved(l, before)
		}
		return nil
	}
	if cmd, ok := m.topKey(k); ok {
		return cmd
	}
	var cmd tea.Cmd
	handled := false
	if m.focus == paneQueue {
		cmd, handled = m.queue.updateKey(k, page)
	} else {
		cmd, handled = m.views[m.cur].updateKey(k, page)
	}
	if handled {
		return cmd
	}
	if cmd, handled = m.bar.updateKey(k); !handled {
		return m.keys.notHere(k)
	}
	return cmd
}

func (m *model) helpKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit(false)
	case key.Matches(k, m.keys.StopQuit):
		return m.quit(true)
	}
	m.help.update(k, m.height/2)
	return nil
}

// topKey handles the keys that belong to no pane.
func (m *model) topKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	km := m.keys
	switch {
	case key.Matches(k, km.Quit):
		return m.quit(false), true
	case key.Matches(k, km.StopQuit):
		return m.quit(true), true
	case key.Matches(k, km.Help):
		m.help.show(m.helpGroups())
	case key.Matches(k, km.Tab):
		m.focus = 1 - m.focus
	case key.Matches(k, km.Filter):
		l := m.focused()
		l.typing = true
		l.edit.set(l.filter) // the cursor at the end
	case key.Matches(k, km.Bitrate):
		m.picker.show(m.bar.st.Bitrate)
	case key.Matches(k, km.Undo):
		return m.undo(), true
	case key.Matches(k, km.SaveQueue):
		return m.saveQueue(), true
	case key.Matches(k, km.NowPlaying):
		return m.toggleNow(), true
	case key.Matches(k, km.Lyrics):
		return m.lyrics.toggle(m.bar.st), true
	default:
		for i, b := range km.Views {
			if key.Matches(k, b) {
				return m.switchView(i), true
			}
		}
		return nil, false
	}
	return nil, true
}

// switchView shows view i and gives it the keys; the view shown already
// stays as it is.
func (m *model) switchView(i int) tea.Cmd {
	if i == m.cur {
		return nil
	}
	m.cur, m.focus = i, paneView
	return m.startView()
}

// focused is the list that has the keys.
func (m *model) focused() *list {
	if m.focus == paneQueue {
		return &m.queue.list
	}
	return m.views[m.cur].list()
}

// onKeyPress routes a key: ForceQuit always, the login screen's keys to it,
// and the main screen's once the engine is up (a lost engine is reattached).
func (m *model) onKeyPress(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.ForceQuit) {
		return m.quit(false)
	}
	if m.screen == screenLogin {
		return m.loginKey(msg)
	}
	m.bar.keyPressed()
	if m.bar.engine != engineUp && !key.Matches(msg, m.keys.Quit, m.keys.StopQuit) {
		if m.bar.engine == engineLost {
			return m.reattach()
		}
		return nil // starting: the keys wait
	}
	return m.onKey(msg)
}

// loginKey routes a key of the login screen: to the help overlay when it
// is open; the help key opens it where no text field takes the keys (the
// list of ways, the wait for the other device, the region row); any other
// key is the login screen's.
func (m *model) loginKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.help.open:
		return m.helpKey(k)
	case key.Matches(k, m.keys.Help) && m.login.active() == nil:
		m.help.show(m.loginHelpGroups())
		return nil
	}
	return m.login.update(k)
}

// onPaste sends pasted text to the login screen, the open prompt or the
// focused list's filter.
func (m *model) onPaste(msg tea.PasteMsg) tea.Cmd {
	if m.screen == screenLogin {
		return m.login.update(msg)
	}
	if m.prompt.open {
		m.prompt.paste(msg.Content)
		return nil
	}
	l := m.focused()
	before := l.filter
	m.filter.paste(l, msg.Content)
	return m.queryMoved(l, before)
}
