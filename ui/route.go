package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

type screen int

const (
	screenLogin screen = iota
	screenMain
)

// pane is where the keys go on the main screen: the view or the queue.
type pane int

const (
	paneView pane = iota
	paneQueue
)

// model is the top model: it routes messages to the components and
// composes their views.
type model struct {
	e    *env
	keys topKeyMap

	width, height int
	screen        screen
	focus         pane

	login   login
	views   []view // one per viewKinds entry
	started []bool // views[i].start has been called
	cur     int    // the view shown
	queue   queuePane
	bar     statusBar
	help    helpOverlay
	picker  bitratePicker
	filter  filterInput
	plPick  playlistPicker // A
	prompt  prompt         // a name or a yes/no question
	np      nowPanel       // i: the now-playing panel
	lyrics  lyricsPane     // L (lyrics.go)

	quitting bool
	stop     bool // Q: stop playback too
}

// quitMsg asks the top model to quit (stop: stop playback too).
type quitMsg struct{ stop bool }

// statusMsg is a Status from the player, with the queue when it changed.
type statusMsg struct {
	st     player.Status
	queue  []player.Track
	fresh  bool // queue was read for this status
	ch     <-chan player.Status
	closed bool
	lost   bool // the player's process went away (see [Reattacher])
}

func newModel(e *env, k KeyMap) *model {
	m := &model{
		e: e, keys: newTopKeys(k), width: 80, height: 24, screen: screenMain,
		filter: filterInput{keys: newFilterKeys(k)},
		queue:  newQueuePane(e, k),
		bar:    newStatusBar(e, k),
		picker: bitratePicker{keys: newPickerKeys(k), bitrates: e.o.Bitrates},
		plPick: newPlaylistPicker(e, k),
		prompt: prompt{keys: newPromptKeys()},
		lyrics: newLyricsPane(e, k),
	}
	for _, vk := range viewKinds {
		m.views = append(m.views, vk.make(e, k, m.filter))
		m.started = append(m.started, false)
	}
	m.help = helpOverlay{keys: newHelpKeys(k), groups: m.helpGroups()}
	if e.o.NeedLogin && e.o.Auth != nil {
		m.screen = screenLogin
		m.login = newLogin(e, k.Quit)
	}
	return m
}

// helpGroups is the help overlay's content, from the components' KeyMaps.
func (m *model) helpGroups() []helpGroup {
	vk, pk, tk, qk := m.views[0].keyMap(), m.bar.keys, m.keys, m.queue.keys
	lk := m.playlists().keys
	return []helpGroup{
		{"Move", vk.bindings()},
		{"Browse", []key.Binding{vk.Open, vk.Parent, vk.Add, qk.PlayNext, tk.Tab, tk.Filter, vk.Refresh}},
		{"Views", append(viewsHelp(), tk.NowPlaying, tk.Lyrics)},
		{"Queue", []key.Binding{qk.Remove, qk.MoveDown, qk.MoveUp, qk.Jump, tk.Undo, tk.SaveQueue}},
		{"Playlists", []key.Binding{lk.AddToPlaylist, lk.Rename, lk.Delete, lk.Push}},
		{"Play", []key.Binding{pk.Toggle, pk.SeekBack, pk.SeekFwd, pk.SeekBackLong, pk.SeekFwdLong, pk.Next, pk.Prev}},
		{"Settings", []key.Binding{pk.VolUp, pk.VolDown, pk.Mute, pk.Shuffle, pk.Repeat, m.picker.keys.Close, pk.Sleep}},
		{"Filter (typing)", m.filter.keys.helpBindings()},
		{"Leave", []key.Binding{tk.Help, tk.Quit, tk.StopQuit}},
	}
}

// loginHelpGroups is the help overlay's content on the login screen.
func (m *model) loginHelpGroups() []helpGroup {
	tk, lk := m.keys, m.login.keys
	return []helpGroup{
		{"Log in", lk.helpBindings()},
		{"Leave", []key.Binding{tk.Help, described(lk.Quit, "quit (on the list of ways)"), tk.ForceQuit}},
	}
}

// folders is the Folders view.
func (m *model) folders() *browser { return m.views[0].(*browser) }

// playlists is the Playlists view.
func (m *model) playlists() *playlistsView {
	for _, v := range m.views {
		if p, ok := v.(*playlistsView); ok {
			return p
		}
	}
	return nil
}

func (m *model) init() tea.Cmd {
	cmds := []tea.Cmd{m.subscribe(), m.e.watchLibrary(nil), m.startArt()}
	if m.screen == screenMain {
		cmds = append(cmds, m.startView(), m.bar.nextNotice())
	}
	return tea.Batch(cmds...)
}

// startView makes the shown view's first load, once.
func (m *model) startView() tea.Cmd {
	if m.started[m.cur] {
		return nil
	}
	m.started[m.cur] = true
	return m.views[m.cur].start()
}

func (m *model) update(msg tea.Msg) tea.Cmd {
	cmd := m.route(msg)
	m.settle()
	cmd = tea.Batch(cmd, m.syncGraphics()) // the cover's picture, when it changed
	if m.screen == screenMain && !m.quitting {
		// The notices said before the UI started wait for a free status
		// line (not on the login screen, which has no status line).
		cmd = tea.Batch(cmd, m.bar.nextNotice(), m.lyrics.tick(m.bar.st))
	}
	return cmd
}

func (m *model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return nil
	case statusMsg:
		return tea.Batch(m.onStatus(msg), m.coverWanted())
	case coverMsg:
		m.onCover(msg)
		return nil
	case quitMsg:
		return m.quit(msg.stop)
	case loggedInMsg:
		return m.onLoggedIn(msg)
	case reattachedMsg:
		return m.onReattached(msg)
	case tea.KeyPressMsg:
		return m.onKeyPress(msg)
	case tea.PasteMsg:
		return m.onPaste(msg)
	case loginAnswer:
		return m.login.update(msg)
	case askMsg:
		m.prompt.show(msg)
		return nil
	case pickPlaylistMsg:
		return m.plPick.show(msg)
	case pickerListMsg:
		return tea.Batch(m.plPick.onList(msg), m.loginRefused(msg))
	case retryTickMsg:
		if msg.kind == waitPicker {
			return m.plPick.onTick(msg)
		}
	case playlistDoneMsg:
		cmds := []tea.Cmd{m.playlistDone(msg), m.loginRefused(msg)}
		for _, v := range m.views {
			cmds = append(cmds, v.update(msg))
		}
		return tea.Batch(cmds...)
	case libMsg:
		return m.onLib(msg)
	case lyricsMsg:
		return m.lyrics.onMsg(msg, m.bar.st)
	}
	if cmd, ok := m.onArtAnswer(msg); ok {
		return cmd
	}
	cmds := []tea.Cmd{m.bar.update(msg), m.loginRefused(msg)}
	for _, v := range m.views {
		cmds = append(cmds, v.update(msg))
	}
	return tea.Batch(cmds...)
}

func (m *model) onLoggedIn(msg loggedInMsg) tea.Cmd {
	m.screen = screenMain
	m.help.open = false        // the login screen's, opened during the wait
	for i := range m.started { // after a refused login: load again
		m.started[i] = false
	}
	who := "Logged in"
	if msg.info.Email != "" {
		who += " as " + msg.info.Email
	}
	cmds := []tea.Cmd{m.startView(), m.bar.show(who, false)}
	if cb := m.e.o.OnLogin; cb != nil {
		info := msg.info
		cmds = append(cmds, func() tea.Msg { cb(info); return nil })
	}
	return tea.Batch(cmds...)
}

func (m *model) onStatus(msg statusMsg) tea.Cmd {
	if msg.lost {
		return m.bar.engineGone(msg.st, msg.closed)
	}
	if msg.closed {
		return nil
	}
	m.e.now.set(msg.st)
	m.queue.setStatus(msg.st, msg.queue, msg.fresh)
	refused := msg.st.NeedLogin && msg.st.Err != m.bar.lastErr
	cmds := []tea.Cmd{m.bar.setStatus(msg.st)}
	if refused {
		cmds = append(cmds, m.loginRefused(playerRefused{}))
	}
	if msg.ch != nil {
		cmds = append(cmds, m.waitStatus(msg.ch, m.queue.gen))
	}
	return tea.Batch(cmds...)
}

func (m *model) subscribe() tea.Cmd {
	p := m.e.o.Player
	if p == nil {
		return nil
	}
	ctx := m.e.ctx
	return func() tea.Msg {
		ch := p.Subscribe(ctx)
		st := p.Status()
		return statusMsg{st: st, queue: p.Queue(), fresh: true, ch: ch}
	}
}

// waitStatus reads the next Status (the glow pattern: one read per Cmd,
// re-armed after each message). The queue is read in the same Cmd when its
// generation changed, so [Model.Update] never calls out for it.
func (m *model) waitStatus(ch <-chan player.Status, gen uint64) tea.Cmd {
	p := m.e.o.Player
	return m.e.blocking("status", func() tea.Msg {
		st, ok := <-ch
		if !ok {
			return statusMsg{closed: true, lost: isLost(p)}
		}
		msg := statusMsg{st: st, ch: ch, lost: isLost(p)}
		if st.QueueGen != gen {
			msg.queue, msg.fresh = p.Queue(), true
		}
		return msg
	})
}

// quit ends the program; with stop, playback stops first.
func (m *model) quit(stop bool) tea.Cmd {
	m.quitting = true
	m.stop = stop
	var stopCmd tea.Cmd
	if stop {
		stopCmd = m.e.player.call(player.Controller.Stop)
	}
	m.e.cancel()
	return func() tea.Msg {
		if stopCmd != nil {
			stopCmd()
		}
		return tea.Quit()
	}
}
