// Package ui is pcplay's terminal user interface, built on bubbletea v2. It
// owns what the person sees and the keys: the login screen; the six views
// (1 Folders, pCloud's folders one at a time; 2 Artists, 3 Albums and
// 4 Songs, the library index's lists and its search; 5 Playlists;
// 6 History, the listens the engine kept); the
// queue pane; the now-playing and status bar; the help overlay; the bitrate
// picker, the playlist picker and the prompt for a name or a yes/no; and
// the filter input. Each of those is a component with its own state,
// KeyMap, update and view; the top [Model] routes messages to them and
// composes their views. The keys are the person's [KeyMap] (see
// [DefaultKeyMap], [KeyMap.Rebind]); the help overlay and every hint on
// screen are made from the components' bindings.
//
// Nothing in [Model.Update] blocks: listings, library queries and logins
// run as tea.Cmds and come back as messages; player events arrive
// through a re-armed read of [player.Controller.Subscribe]'s channel; calls
// on [player.Controller] run in tea.Cmds too (one at a time, in the order
// of the keys: see playerCalls). A player in another process (the
// engine's client) that goes away is found again through [Reattacher].
// [Model.View] is a pure function of the model: scroll offsets are settled
// in [Model.Update].
package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/art"
	"github.com/pcplay/pcplay/internal/defaults"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// Library lists folders; [*api.Client] satisfies it.
type Library interface {
	ListFolder(ctx context.Context, folderID uint64, recursive bool) (*api.Metadata, error)
}

// PathLister is optionally implemented by a [Library] ([*api.Client] does) to
// open [Options.StartPath].
type PathLister interface {
	ListPath(ctx context.Context, path string, recursive bool) (*api.Metadata, error)
}

// Authenticator logs in, the three ways of the login screen; [*api.Client]
// satisfies it. [Authenticator.LoginIn]'s region is [api.RegionUS] or [api.RegionEU] (that
// region only) or [api.RegionAuto] (the client's region, then the other
// one), as on the login screen. [Authenticator.WaitSignIn] blocks until the person
// approves the sign-in on another device or ctx ends; [Authenticator.ProbeToken] finds
// out a pasted token's kind and region. On success the [Authenticator]
// holds the new login ([Options.OnLogin] then saves it).
type Authenticator interface {
	LoginIn(ctx context.Context, region api.Region, email, password string) (api.UserInfo, error)
	TFALogin(ctx context.Context, tfaToken, code string, trustDevice bool) (api.UserInfo, error)
	WaitSignIn(ctx context.Context, s api.SignIn) (api.UserInfo, error)
	ProbeToken(ctx context.Context, token string) (api.UserInfo, error)
}

// Playlists is the playlist store of view 5, of A (add to a playlist) and
// S (save the queue); [*playlist.Auto] satisfies it.
type Playlists interface {
	playlist.Store
	// Notice is "" while pCloud keeps the playlists, else a line saying
	// why they are kept on this machine.
	Notice() string
	// Push copies a playlist kept on this machine to pCloud.
	Push(ctx context.Context, id string) (playlist.Playlist, playlist.AddResult, error)
}

// Options configure the UI.
type Options struct {
	Library Library
	// Auth logs in: on the login screen when [Options.NeedLogin] is set, and again
	// when pCloud refuses the login while browsing (the login screen then
	// opens with a line saying so). Nil: no login screen.
	Auth      Authenticator
	NeedLogin bool
	// ClientID is the OAuth client_id for signing in on another device;
	// "" leaves that way out and shows [Options.NoClientID], the sentence that says
	// how to get one.
	ClientID   string
	NoClientID string
	// TokenFrom names the environment variable the token came from (""
	// when it is a saved login): a refusal of it names the variable.
	TokenFrom string
	// LoginNote is shown on the login screen until the first try (the
	// saved login could not be read); "" none.
	LoginNote string
	// Region is the login screen's region at first: "us", "eu", or "auto"
	// / "" (US, then EU); any case. Anything else counts as auto. The
	// person can change it on the screen.
	Region string
	// OnLogin is called from a Cmd after a successful login (main saves the
	// token there). It must not block for long.
	OnLogin func(api.UserInfo)
	Player  player.Controller
	// StartFolder is the folder shown first (0: pCloud's top folder).
	// StartPath, when set and the [Library] implements [PathLister], wins over
	// it.
	StartFolder uint64
	StartPath   string
	// Keys are the key bindings; the zero value means [DefaultKeyMap].
	Keys KeyMap
	// Bitrates are the choices of the bitrate picker (kbit/s); nil means
	// [defaults.Bitrates].
	Bitrates []int
	// Detach: q leaves the music playing in the background engine.
	Detach bool
	// StatusTimeout is how long a status message stays (0: 5 s).
	StatusTimeout time.Duration
	// Playlists is the playlist store; nil: view 5 says there is none.
	Playlists Playlists
	// Keeper is the music library's keeper (the engine's, through its
	// client, or one in this process); [Options.Index] opens the index it writes,
	// for reading (called in a Cmd). nil: views 2-4 say there is none.
	Keeper LibraryFeed
	Index  func() (*library.Library, error)
	// RetryBase is the first wait before a listing that pCloud could not
	// answer is tried again; it doubles up to 60 of them (0: 1 s).
	RetryBase time.Duration
	// Notices are what was said before the UI started (the alternate
	// screen wipes the terminal): warnings of the config and the token
	// file, flags a running engine does not take. Once the main screen is
	// up the status line shows them one after another, the first with
	// "(+N more)", each for a whole StatusTimeout: a key does not clear
	// one, and a message shown meanwhile puts it off until it is gone.
	// They are not shown as errors.
	Notices []string
	// Covers gives the now-playing panel (key i) its covers; nil: none.
	// Art is the config's art setting (auto, kitty, sixel, iterm2, blocks,
	// off; "" auto).
	Covers Covers
	Art    string
	// ArtEnv says whether the UI runs inside tmux and whether tmux passes
	// sequences through to the terminal outside.
	ArtEnv art.Env
	// Lyrics is the playing track's lyrics (the L pane); nil: none.
	Lyrics LyricsFeed
	// History is the listening history (view 6); nil: none.
	History HistoryFeed
}

// Layout limits.
const (
	MinWidth  = 30 // below this, "terminal too small"
	MinHeight = 8
	WideWidth = 100 // from this width on, browser and queue side by side
)

// env is what every component may use: the options, the context of the
// UI's commands and the ordered player calls. Components read it; none
// changes it after [New].
type env struct {
	o      Options
	ctx    context.Context
	cancel context.CancelFunc
	player *playerCalls
	// now is what plays, as the last player Status said: the top model
	// writes it, views read it to mark the playing track (isPlaying).
	now *nowPlaying
	lib *libShared // the music library's index and state (libfeed.go)

	// waits, when set, wraps each Cmd that waits (kind "status": the next
	// player Status; "clear": the status line's timer). Tests that run
	// Cmds one by one keep those aside with it.
	waits func(kind string, c tea.Cmd) tea.Cmd
	// newSignIn, when set, stands in for [api.NewSignIn] (tests fix the
	// request id with it).
	newSignIn func(clientID string) (api.SignIn, error)
}

// blocking marks a Cmd that waits (a timer, a channel read).
func (e *env) blocking(kind string, c tea.Cmd) tea.Cmd {
	if e.waits != nil {
		return e.waits(kind, c)
	}
	return c
}

// hasPlayer reports whether there is a player to drive.
func (e *env) hasPlayer() bool { return e.o.Player != nil }

// Model is the top bubbletea model (see model). It is a handle: copies share state.
type Model struct{ s *model }

// New makes the UI model.
func New(o Options) Model {
	keys := o.Keys
	if isZeroKeys(keys) {
		keys = DefaultKeyMap()
	}
	if o.Detach {
		keys.Quit.SetHelp(keys.Quit.Help().Key, "leave (music plays on)")
	}
	if len(o.Bitrates) == 0 {
		o.Bitrates = defaults.Bitrates
	}
	if o.StatusTimeout <= 0 {
		o.StatusTimeout = 5 * time.Second
	}
	e := &env{o: o, player: &playerCalls{p: o.Player}, now: &nowPlaying{}, lib: &libShared{}}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	return Model{newModel(e, keys)}
}

func isZeroKeys(k KeyMap) bool {
	return len(k.Quit.Keys()) == 0 && len(k.Open.Keys()) == 0 && len(k.Up.Keys()) == 0
}

// Init starts the player subscription and, unless a login comes first, the
// first listing.
func (m Model) Init() tea.Cmd { return m.s.init() }

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return m, m.s.update(msg) }

// View draws the screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.s.render())
	v.AltScreen = true
	return v
}

// StopRequested reports whether the person left with Q (stop playback and
// quit): the caller then shuts the background engine down too.
func (m Model) StopRequested() bool { return m.s.stop }

// QuitMessage is a line for the caller to print after the program ends, or
// "": Q says the music stopped; q, attached to the background engine, says
// what it goes on doing (nothing when it went away).
func (m Model) QuitMessage() string {
	s := m.s
	switch {
	case !s.quitting:
		return ""
	case s.stop:
		return "pcplay: stopped."
	case !s.e.o.Detach || s.bar.engine != engineUp:
		return ""
	}
	st := s.bar.st
	switch {
	case st.Index < 0 || st.State == player.Stopped || st.State == player.Errored:
		return "pcplay: the engine keeps running; nothing is playing (pcplay stop ends it)"
	case st.State == player.Paused:
		return "pcplay: the engine keeps running, paused (pcplay stop ends it)"
	}
	return "pcplay: the music keeps playing (pcplay stop ends it)"
}

// Close ends the player subscription and pending commands.
func (m Model) Close() { m.s.e.cancel() }

// Folder is the folder the browser shows, for the caller to reopen it next
// time ([Options.StartPath] or [Options.StartFolder]).
type Folder struct {
	ID   uint64 // pCloud folder id (0: the top folder, or not known yet)
	Path string // pCloud path such as "/Music/Live"; "" when not known
	Name string
}

// Folder returns the folder the browser shows.
func (m Model) Folder() Folder { return m.s.folders().shown() }
