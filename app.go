package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/pcplay/pcplay/art"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/internal/screen"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/ui"
)

// exitNoDevice is the exit status when the speaker can't be opened (make
// demo then plays to the null output instead).
const exitNoDevice = 3

// noDeviceSentence is the one sentence for a speaker that can't play
// (err wraps player.ErrNoDevice), with where the fix is told.
func noDeviceSentence(err error) string {
	return err.Error() + " (see Running over SSH in the README)"
}

// ensureFailed says why no engine could be reached or started, and gives
// the exit status: the engine's own when it said why it could not start
// (3: no sound device), as the one-process program would.
func ensureFailed(err error, std cli.Stdio) int {
	var se *engine.StartError
	if errors.As(err, &se) && se.Code == exitNoDevice {
		fmt.Fprintln(std.Err, "pcplay: "+se.Said)
		return exitNoDevice
	}
	fmt.Fprintln(std.Err, "pcplay: "+err.Error())
	return 1
}

// runPlayer opens the TUI on the player: the demo library or the account.
// Unless --foreground (or the config's foreground) or --demo, the player
// is the background engine's (started if none runs), and the TUI only
// attaches to it; flags are the global flags the engine is started with.
func runPlayer(ctx context.Context, s config.Settings, std cli.Stdio, flags []string, logger *slog.Logger) int {
	if !isTerminal(std.In) || !isTerminal(std.Out) {
		fmt.Fprintln(std.Err, "pcplay: the player needs a terminal to run in (stdin and stdout); from a script use pcplay ctl.")
		return 1
	}
	// The keys are checked before an engine starts for them.
	keys, err := keyMap(s)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return config.ExitUsage
	}

	if !s.Demo && !s.Foreground && engine.Supported {
		return runAttached(ctx, s, std, flags, keys, logger)
	}
	return runForeground(ctx, s, std, keys, logger)
}

// runForeground is the one-process program: the UI on a host in this
// process (the same host the engine serves), which restores, autosaves and
// saves the session.
func runForeground(ctx context.Context, s config.Settings, std cli.Stdio, keys ui.KeyMap, logger *slog.Logger) int {
	pre := newPreUI(std.Err)
	h, err := host.Open(ctx, s, host.Options{Logger: logger, Stderr: pre})
	if err != nil {
		pre.flush()
	}
	if errors.Is(err, player.ErrNoDevice) {
		fmt.Fprintln(std.Err, "pcplay: "+noDeviceSentence(err))
		return exitNoDevice
	}
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	defer h.Close()
	client := h.Client()
	o := ui.Options{
		Library: client,
		OnLogin: onLogin(client, logger, func(l config.SavedLogin) {
			h.Login(l.Token, l.Kind, l.Region) // the player plays with it too
		}),
		Player:    h.Player,
		Lyrics:    h,
		History:   h,
		Covers:    h.Covers(), // one finder and one cache in this process (MPD's too)
		StartPath: h.StartFolder(s.StartFolder),
		Region:    s.Region,
		Keys:      keys,
	}
	if pl := h.Playlists(); pl != nil {
		o.Playlists = pl
	}
	if k := h.Keeper(); k != nil {
		o.Keeper = k
		o.Index = func() (*library.Library, error) { return k.Library(), nil }
	}
	final, code := runUI(ctx, s, std, o, pre, logger)
	if final != nil {
		f := final.Folder()
		h.SetFolder(f.Path, f.ID)
		if msg := final.QuitMessage(); msg != "" && code == 0 {
			fmt.Fprintln(std.Out, msg)
		}
	}
	return code
}

// runAttached is pcplay with the background engine: find or start the
// engine, attach the TUI to it, and on q detach (the music goes on) or on
// Q stop the engine. Folder browsing stays in this process.
func runAttached(ctx context.Context, s config.Settings, std cli.Stdio, flags []string, keys ui.KeyMap, logger *slog.Logger) int {
	client, err := host.NewClient(s, logger)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	ec, err := engine.Ensure(ctx, engine.EnsureOptions{Args: flags})
	if err != nil {
		return ensureFailed(err, std)
	}
	defer ec.Close()
	logger.Info("attached to the engine", "version", ec.EngineVersion(), "pid", ec.EnginePID(), "started", ec.Started())
	pre := newPreUI(std.Err)
	if !ec.Started() {
		applyToRunningEngine(ec, s, flags, pre)
	}
	switch {
	case s.Token != "" && s.TokenSource != "env":
		// The engine plays with the saved login too (it may have been
		// started before a `pcplay login`).
		ec.ReloadLogin()
	case s.Token != "" && !ec.Started():
		// A one-run token never reaches a running engine: a bad one broke
		// the music for everyone, and a good one outlived the run.
		pre.say(config.EnvToken + " is used by this pcplay for browsing; the running engine plays with its own login (pcplay stop, then start again, to play with it)")
	}

	sess, ok := host.LoadSession(pre, logger)
	o := ui.Options{
		Library: client,
		OnLogin: onLogin(client, logger, func(config.SavedLogin) {
			ec.ReloadLogin() // the engine plays with the login just saved too
		}),
		Player:    ec,
		Lyrics:    ec,
		History:   ec,
		StartPath: host.SavedFolder(sess, ok, s.StartFolder),
		Region:    s.Region,
		Detach:    true,
		Keys:      keys,
	}
	if pl := host.NewPlaylists(client, logger); pl != nil {
		o.Playlists = pl
	}
	if index, err := host.IndexReader(); err == nil {
		// The engine keeps the index; this UI reads it, read only.
		o.Keeper, o.Index = ec, index
	}
	final, code := runUI(ctx, s, std, o, pre, logger)
	if final == nil {
		return code
	}
	tellFolder(ctx, ec, final.Folder(), logger)
	if final.StopRequested() {
		sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := ec.Shutdown(sctx); err != nil {
			fmt.Fprintln(std.Err, "pcplay: "+err.Error())
			return 1
		}
	}
	if msg := final.QuitMessage(); msg != "" && code == 0 {
		fmt.Fprintln(std.Out, msg)
	}
	return code
}

// tellFolder gives the engine, the session's writer, the folder this UI
// leaves on; the engine saves the session then, and Sync waits for it.
func tellFolder(ctx context.Context, ec *engine.Client, f ui.Folder, logger *slog.Logger) {
	ec.SetFolder(f.Path, f.ID)
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := ec.Sync(sctx); err != nil {
		logger.Warn("the engine did not take the folder", "err", err)
	}
}

// keyMap is the default keys with the config file's [keys]; a key bound
// to two actions is refused.
func keyMap(s config.Settings) (ui.KeyMap, error) {
	keys := ui.DefaultKeyMap()
	rebound := make([]string, 0, len(s.Keys))
	for action, ks := range s.Keys {
		if err := keys.Rebind(action, ks); err != nil {
			return keys, fmt.Errorf("%s: [keys] %s: %v", s.ConfigPath, action, err)
		}
		rebound = append(rebound, action)
	}
	if err := keys.Conflict(rebound); err != nil {
		return keys, fmt.Errorf("%s: [keys]: %v", s.ConfigPath, err)
	}
	return keys, nil
}

// runUI runs the TUI with o (the login and terminal from s and std)
// until the person leaves or SIGHUP/SIGTERM; final is nil when it did not
// start. What was said before it (the config's warnings, and pre) shows
// in its status line; pre's lines go to stderr if it fails.
func runUI(ctx context.Context, s config.Settings, std cli.Stdio, o ui.Options, pre *preUI, logger *slog.Logger) (final *ui.Model, code int) {
	o.NeedLogin = !s.Demo && s.Token == ""
	for _, w := range s.Warnings { // main printed them; the alternate screen wipes them
		if o.NeedLogin && w == s.LoginProblem {
			continue // the login screen says it (LoginNote)
		}
		o.Notices = append(o.Notices, w)
	}
	o.Notices = append(o.Notices, pre.start()...)
	o.Notices = append(o.Notices, scrobbleNotices(s)...) // a refused scrobbling token
	if o.NeedLogin && s.LoginProblem != "" {
		o.LoginNote = "The saved login could not be read: " + s.LoginProblem
	}
	if a, ok := o.Library.(ui.Authenticator); ok && !s.Demo {
		o.Auth = a // also for a login pCloud refuses while browsing
	}
	o.ClientID, o.NoClientID, o.TokenFrom = s.ClientID, config.NoClientIDSentence, host.TokenFrom(s)
	o.Art = s.Art
	if c, ok := o.Library.(host.CoverAPI); ok && s.Art != "off" {
		if o.Covers == nil { // attached: the UI's own client fetches covers, as it lists folders
			o.Covers = host.NewCovers(func() host.CoverAPI { return c }, "")
		}
		o.ArtEnv = art.Where(os.Getenv)
	}
	m := ui.New(o)
	defer m.Close()

	// SIGHUP (the terminal went away) and SIGTERM end the UI cleanly, so the
	// session is saved.
	sctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP, syscall.SIGTERM)
	defer stop()
	// screen.Run, not tea.Program: it draws only when the view changes
	// (bubbletea's Program wakes 60 times a second for its whole life).
	in, _ := std.In.(*os.File)
	out, _ := std.Out.(*os.File)
	fm, err := screen.Run(sctx, m, in, out, os.Environ())
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		pre.flush()
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		code = 1
	}
	if f, ok := fm.(ui.Model); ok {
		return &f, code
	}
	return &m, code
}

// isTerminal reports whether f is a terminal (the UI needs one for input and
// output).
func isTerminal(f any) bool {
	t, ok := f.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(t.Fd())
}

// engineFlags are the global flags that set up an engine as it starts
// (the others apply to this pcplay too); --bitrate is applied to a
// running engine.
var engineFlags = []string{"output", "api-url", "region"}

// applyToRunningEngine applies to an engine that was running already what
// of the flags can be (the bitrate), and says in one line which flags it
// does not take.
func applyToRunningEngine(ec *engine.Client, s config.Settings, flags []string, pre *preUI) {
	if s.ExplicitBitrate {
		ec.SetBitrate(s.Bitrate)
	}
	var ignored []string
	for _, a := range flags {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && slices.Contains(engineFlags, name) && !slices.Contains(ignored, "--"+name) {
			ignored = append(ignored, "--"+name)
		}
	}
	if len(ignored) > 0 {
		verb := "applies"
		if len(ignored) > 1 {
			verb = "apply"
		}
		pre.say(fmt.Sprintf("the engine was running already: %s %s only as an engine starts (pcplay stop, then pcplay again)", strings.Join(ignored, " and "), verb))
	}
}

// preUI is what pcplay says before the UI starts: the lines are shown in
// the UI's status line (the alternate screen would wipe them from the
// terminal), or go to stderr when the UI does not start. It is also the
// host's stderr (a problem with the saved session), a line at a time;
// once the UI has started, what is written to it goes to stderr as before.
type preUI struct {
	mu      sync.Mutex
	stderr  io.Writer
	lines   []string // without the "pcplay: " the terminal gets
	partial []byte   // a line being written
	started bool
}

func newPreUI(stderr io.Writer) *preUI { return &preUI{stderr: stderr} }

// say is one line to tell.
func (p *preUI) say(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines = append(p.lines, line)
}

// Write takes lines as a lower package writes them to stderr.
func (p *preUI) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started {
		return p.stderr.Write(b)
	}
	p.partial = append(p.partial, b...)
	for {
		i := bytes.IndexByte(p.partial, '\n')
		if i < 0 {
			return len(b), nil
		}
		p.lines = append(p.lines, strings.TrimPrefix(string(p.partial[:i]), "pcplay: "))
		p.partial = p.partial[i+1:]
	}
}

// start is the lines for the UI as it starts; from then on, what is
// written goes to stderr.
func (p *preUI) start() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.started = true
	if len(p.partial) > 0 {
		p.lines = append(p.lines, strings.TrimPrefix(string(p.partial), "pcplay: "))
		p.partial = nil
	}
	return slices.Clone(p.lines)
}

// flush writes the lines to stderr: the UI did not start.
func (p *preUI) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.partial) > 0 {
		p.lines = append(p.lines, strings.TrimPrefix(string(p.partial), "pcplay: "))
		p.partial = nil
	}
	for _, l := range p.lines {
		fmt.Fprintln(p.stderr, "pcplay: "+l)
	}
	p.lines = nil
}
