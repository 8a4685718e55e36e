// Package ui is pcplay's terminal user interface, built on bubbletea v2: a
// login screen, a folder browser, the queue, a now-playing bar, a help
// overlay, a fuzzy filter and a bitrate picker.
//
// Nothing in Update blocks: listings and logins run as tea.Cmds and come back
// as messages; player events arrive through a re-armed read of the player's
// Subscribe channel. Calls on player.Controller are made from Update directly
// (the Controller promises they never block on the network), so that their
// order is the order of the keys.
package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/player"
)

// Library lists folders; *api.Client satisfies it.
type Library interface {
	ListFolder(ctx context.Context, folderID uint64, recursive bool) (*api.Metadata, error)
}

// PathLister is optionally implemented by a Library (*api.Client does) to
// open Options.StartPath.
type PathLister interface {
	ListPath(ctx context.Context, path string, recursive bool) (*api.Metadata, error)
}

// Authenticator logs in; *api.Client satisfies it. LoginIn's region is
// api.RegionUS or api.RegionEU (that region only) or api.RegionAuto (the
// client's region, then the other one), as on the login screen.
type Authenticator interface {
	LoginIn(ctx context.Context, region api.Region, email, password string) (api.UserInfo, error)
	TFALogin(ctx context.Context, tfaToken, code string, trustDevice bool) (api.UserInfo, error)
}

// Options configure the UI.
type Options struct {
	Library Library
	// Auth logs in when NeedLogin is set; nil when already logged in.
	Auth      Authenticator
	NeedLogin bool
	// Region is the login screen's region at first: "us", "eu", or "auto"
	// / "" (US, then EU); any case. Anything else counts as auto. The
	// person can change it on the screen.
	Region string
	// OnLogin is called from a Cmd after a successful login (main saves the
	// token there). It must not block for long.
	OnLogin func(api.UserInfo)
	Player  player.Controller
	// StartFolder is the folder shown first (0: the root). StartPath, when
	// set and the Library implements PathLister, wins over it.
	StartFolder uint64
	StartPath   string
	// Keys are the key bindings; the zero value means DefaultKeyMap().
	Keys KeyMap
	// Bitrates are the choices of the bitrate picker (kbit/s); nil means
	// 64, 128, 192, 256, 320.
	Bitrates []int
	// Detach: q leaves the music playing in the background engine.
	Detach bool
	// StatusTimeout is how long a status message stays (0: 5 s).
	StatusTimeout time.Duration
}

// DefaultBitrates are the bitrate picker's choices when Options.Bitrates is nil.
var DefaultBitrates = []int{64, 128, 192, 256, 320}

// Model is the root bubbletea model. It is a handle: copies share state.
type Model struct{ s *state }

type screen int

const (
	screenLogin screen = iota
	screenTFA
	screenMain
)

type pane int

const (
	paneBrowser pane = iota
	paneQueue
)

// Layout limits.
const (
	MinWidth  = 30 // below this, "terminal too small"
	MinHeight = 8
	WideWidth = 100 // from this width on, browser and queue side by side
)

const (
	seekShort  = 5 * time.Second
	seekLong   = 30 * time.Second
	volumeStep = 5
)

type state struct {
	o      Options
	keys   KeyMap
	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	screen        screen
	focus         pane
	login         loginState
	br            browser
	ql            list // queue pane

	st       player.Status
	queue    []player.Track
	queueGen uint64
	lastErr  string

	msg    string
	msgErr bool
	msgGen int

	help       bool
	helpOffset int
	picker     bool
	pickerAt   int

	quitting bool
	stop     bool // Q: stop playback too

	// deferBlocking makes blocking Cmds (timers, channel reads) come back as
	// a deferredMsg at once instead; tests run them when they choose.
	deferBlocking bool
}

// New makes the UI model.
func New(o Options) Model {
	s := &state{o: o, keys: o.Keys, width: 80, height: 24}
	if isZeroKeys(s.keys) {
		s.keys = DefaultKeyMap()
	}
	if o.Detach {
		s.keys.Quit.SetHelp(s.keys.Quit.Help().Key, "leave (music plays on)")
	}
	if len(s.o.Bitrates) == 0 {
		s.o.Bitrates = DefaultBitrates
	}
	if s.o.StatusTimeout <= 0 {
		s.o.StatusTimeout = 5 * time.Second
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.st.Index = -1
	s.screen = screenMain
	if o.NeedLogin && o.Auth != nil {
		s.screen = screenLogin
		s.login = newLogin(o.Region)
	}
	s.br.init()
	return Model{s}
}

func isZeroKeys(k KeyMap) bool {
	return len(k.Quit.Keys()) == 0 && len(k.Open.Keys()) == 0 && len(k.Up.Keys()) == 0
}

// Init starts the player subscription and, unless a login comes first, the
// first listing.
func (m Model) Init() tea.Cmd {
	s := m.s
	cmds := []tea.Cmd{s.subscribeCmd()}
	if s.screen == screenMain {
		cmds = append(cmds, s.br.start(s))
	}
	return tea.Batch(cmds...)
}

// StopRequested reports whether the person left with Q (stop playback and
// quit): the caller then shuts the background engine down too.
func (m Model) StopRequested() bool { return m.s.stop }

// QuitMessage is a line for the caller to print after the program ends, or "".
func (m Model) QuitMessage() string {
	if m.s.quitting && !m.s.stop && m.s.o.Detach && m.s.st.State != player.Stopped && m.s.st.Index >= 0 {
		return "pcplay: the music keeps playing (pcplay stop ends it)"
	}
	return ""
}

// Close ends the player subscription and pending commands.
func (m Model) Close() { m.s.cancel() }

// ---- messages ----

type statusMsg struct {
	st     player.Status
	queue  []player.Track
	fresh  bool // queue was read for this status
	ch     <-chan player.Status
	closed bool
}

type clearMsg struct{ gen int }

type deferredMsg struct {
	kind string
	cmd  tea.Cmd
}

func (s *state) blocking(kind string, c tea.Cmd) tea.Cmd {
	if s.deferBlocking {
		return func() tea.Msg { return deferredMsg{kind, c} }
	}
	return c
}

func (s *state) subscribeCmd() tea.Cmd {
	p := s.o.Player
	if p == nil {
		return nil
	}
	ctx := s.ctx
	return func() tea.Msg {
		ch := p.Subscribe(ctx)
		st := p.Status()
		return statusMsg{st: st, queue: p.Queue(), fresh: true, ch: ch}
	}
}

// waitStatus reads the next Status (the glow pattern: one read per Cmd,
// re-armed after each message). The queue is read in the same Cmd when its
// generation changed, so Update never calls out for it.
func (s *state) waitStatus(ch <-chan player.Status, gen uint64) tea.Cmd {
	p := s.o.Player
	return s.blocking("status", func() tea.Msg {
		st, ok := <-ch
		if !ok {
			return statusMsg{closed: true}
		}
		msg := statusMsg{st: st, ch: ch}
		if st.QueueGen != gen {
			msg.queue, msg.fresh = p.Queue(), true
		}
		return msg
	})
}

// setMsg shows a line in the status bar and arms the timer that clears it.
func (s *state) setMsg(text string, isErr bool) tea.Cmd {
	s.msg, s.msgErr = text, isErr
	s.msgGen++
	gen := s.msgGen
	return s.blocking("clear", tea.Tick(s.o.StatusTimeout, func(time.Time) tea.Msg { return clearMsg{gen} }))
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	s := m.s
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.width, s.height = msg.Width, msg.Height
		return m, nil
	case statusMsg:
		return m, s.onStatus(msg)
	case clearMsg:
		if msg.gen == s.msgGen {
			s.msg, s.msgErr = "", false
		}
		return m, nil
	case listingMsg:
		return m, s.br.onListing(s, msg)
	case addMsg:
		return m, s.onAdd(msg)
	case loginMsg:
		return m, s.onLogin(msg)
	case tea.PasteMsg:
		return m, s.onPaste(msg.Content)
	case tea.KeyPressMsg:
		return m, s.onKey(msg)
	}
	return m, nil
}

func (s *state) onStatus(msg statusMsg) tea.Cmd {
	if msg.closed {
		return nil
	}
	s.st = msg.st
	if msg.fresh {
		s.queue = msg.queue
		s.queueGen = msg.st.QueueGen
		s.ql.setTexts(queueTexts(s.queue))
	}
	var cmds []tea.Cmd
	if msg.st.Err != s.lastErr {
		s.lastErr = msg.st.Err
		if msg.st.Err != "" {
			cmds = append(cmds, s.setMsg(msg.st.Err, true))
		}
	}
	if msg.ch != nil {
		cmds = append(cmds, s.waitStatus(msg.ch, s.queueGen))
	}
	return tea.Batch(cmds...)
}

func queueTexts(q []player.Track) []string {
	out := make([]string, len(q))
	for i, t := range q {
		out[i] = trackText(t)
	}
	return out
}

func trackText(t player.Track) string {
	switch {
	case t.Title != "" && t.Artist != "":
		return t.Artist + " – " + t.Title
	case t.Title != "":
		return t.Title
	}
	return t.Name
}

func (s *state) quit(stop bool) tea.Cmd {
	s.quitting = true
	s.stop = stop
	if stop && s.o.Player != nil {
		s.o.Player.Stop()
	}
	s.cancel()
	return tea.Quit
}
