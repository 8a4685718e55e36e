package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/screen"
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
func ensureFailed(err error, std stdio) int {
	var se *engine.StartError
	if errors.As(err, &se) && se.Code == exitNoDevice {
		fmt.Fprintln(std.err, "pcplay: "+se.Said)
		return exitNoDevice
	}
	fmt.Fprintln(std.err, "pcplay: "+err.Error())
	return 1
}

// outputRate is the one rate the output runs at; tracks of another rate are
// resampled (the speaker can be opened once per process).
const outputRate = 44100

// runPlayer opens the TUI on the player: the demo library or the account.
// Unless --foreground (or the config's foreground) or --demo, the player
// is the background engine's (started if none runs), and the TUI only
// attaches to it; flags are the global flags the engine is started with.
func runPlayer(ctx context.Context, s config.Settings, std stdio, flags []string, logger *slog.Logger) int {
	if !isTerminal(std.in) || !isTerminal(std.out) {
		fmt.Fprintln(std.err, "pcplay: the player needs a terminal to run in (stdin and stdout); from a script use pcplay ctl.")
		return 1
	}
	// The keys are checked before an engine starts for them.
	keys, err := keyMap(s)
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return config.ExitUsage
	}

	if !s.Demo && !s.Foreground && engine.Supported {
		return runAttached(ctx, s, std, flags, keys, logger)
	}
	return runForeground(ctx, s, std, keys, logger)
}

// runForeground is the one-process program: the player is in this
// process, and it is the session's one writer.
func runForeground(ctx context.Context, s config.Settings, std stdio, keys ui.KeyMap, logger *slog.Logger) int {
	client, closeLib, plDir, err := openLibrary(s, logger)
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	defer closeLib()
	p, err := newPlayer(s, player.LinksFromAPI(client), logger)
	if errors.Is(err, player.ErrNoDevice) {
		fmt.Fprintln(std.err, "pcplay: "+noDeviceSentence(err))
		return exitNoDevice
	}
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	defer p.Close()

	sf := newSessionFile(s.Demo, std.err, logger)
	sess, ok := sf.load()
	if ok {
		restoreSession(p, sess, s.ExplicitBitrate)
	}
	o := ui.Options{
		Library:   client,
		OnLogin:   onLogin(client, logger, nil),
		Player:    p,
		StartPath: startFolder(sess, ok, s.StartFolder),
		Region:    s.Region,
		Keys:      keys,
		Playlists: uiPlaylists(client, plDir, logger),
	}
	defer foregroundLibrary(ctx, s, client, p, &o, logger)()
	final, code := runUI(ctx, s, std, o, logger)
	if final != nil {
		sf.save(p, uiFolder(final))
		if msg := final.QuitMessage(); msg != "" && code == 0 {
			fmt.Fprintln(std.out, msg)
		}
	}
	return code
}

// localPlaylistsDir is the local playlists' directory; "" (and a log
// line) when there is no state directory.
func localPlaylistsDir(logger *slog.Logger) string {
	dir, err := playlistsDir()
	if err != nil {
		logger.Warn("no local playlists: no state directory", "err", err)
	}
	return dir
}

// openLibrary is the pCloud client of the account, or of the demo library
// (started here; close stops it), and the directory of the local
// playlists: the state directory's, or for the demo a temporary one that
// close removes (the demo leaves nothing behind).
func openLibrary(s config.Settings, logger *slog.Logger) (c *api.Client, closeLib func(), plDir string, err error) {
	if !s.Demo {
		c, err := newClient(s, logger)
		return c, func() {}, localPlaylistsDir(logger), err
	}
	d, err := startDemo(logger)
	if err != nil {
		return nil, nil, "", fmt.Errorf("the demo library did not start: %w", err)
	}
	return d.client, d.Close, d.playlists, nil
}

// runAttached is pcplay with the background engine: find or start the
// engine, attach the TUI to it, and on q detach (the music goes on) or on
// Q stop the engine. Folder browsing stays in this process.
func runAttached(ctx context.Context, s config.Settings, std stdio, flags []string, keys ui.KeyMap, logger *slog.Logger) int {
	client, err := newClient(s, logger)
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	ec, err := engine.Ensure(ctx, engine.EnsureOptions{Args: flags})
	if err != nil {
		return ensureFailed(err, std)
	}
	defer ec.Close()
	logger.Info("attached to the engine", "version", ec.EngineVersion(), "pid", ec.EnginePID(), "started", ec.Started())
	if !ec.Started() {
		applyToRunningEngine(ec, s, flags, std)
	}
	if s.Token != "" {
		// The engine plays with this login too (it may have been started
		// before a `pcplay login`).
		ec.Login(s.Token, s.TokenKind, s.Region)
	}

	sess, ok := newSessionFile(false, std.err, logger).load()
	o := ui.Options{
		Library: client,
		OnLogin: onLogin(client, logger, func(l config.SavedLogin) {
			ec.Login(l.Token, l.Kind, l.Region) // the engine plays with it too
		}),
		Player:    ec,
		StartPath: startFolder(sess, ok, s.StartFolder),
		Region:    s.Region,
		Detach:    true,
		Keys:      keys,
		Playlists: uiPlaylists(client, localPlaylistsDir(logger), logger),
	}
	attachedLibrary(ec, &o)
	final, code := runUI(ctx, s, std, o, logger)
	if final == nil {
		return code
	}
	tellFolder(ctx, ec, uiFolder(final), logger)
	if final.StopRequested() {
		sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := ec.Shutdown(sctx); err != nil {
			fmt.Fprintln(std.err, "pcplay: "+err.Error())
			return 1
		}
	}
	if msg := final.QuitMessage(); msg != "" && code == 0 {
		fmt.Fprintln(std.out, msg)
	}
	return code
}

// tellFolder gives the engine, the session's writer, the folder this UI
// leaves on; the engine saves the session then, and Sync waits for it.
func tellFolder(ctx context.Context, ec *engine.Client, f config.Folder, logger *slog.Logger) {
	ec.SetFolder(f.Path, f.ID)
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := ec.Sync(sctx); err != nil {
		logger.Warn("the engine did not take the folder", "err", err)
	}
}

// uiFolder is the folder the UI m shows, as the session keeps it.
func uiFolder(m *ui.Model) config.Folder {
	f := m.Folder()
	return config.Folder{Path: f.Path, ID: f.ID}
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
// start.
func runUI(ctx context.Context, s config.Settings, std stdio, o ui.Options, logger *slog.Logger) (final *ui.Model, code int) {
	o.NeedLogin = !s.Demo && s.Token == ""
	if o.NeedLogin && s.LoginProblem != "" {
		o.LoginNote = "The saved login could not be read: " + s.LoginProblem
	}
	if a, ok := o.Library.(ui.Authenticator); ok && !s.Demo {
		o.Auth = a // also for a login pCloud refuses while browsing
	}
	o.ClientID, o.NoClientID, o.TokenFrom = s.ClientID, config.NoClientIDSentence, tokenFrom(s)
	m := ui.New(o)
	defer m.Close()

	// SIGHUP (the terminal went away) and SIGTERM end the UI cleanly, so the
	// session is saved.
	sctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP, syscall.SIGTERM)
	defer stop()
	// screen.Run, not tea.Program: it draws only when the view changes
	// (bubbletea's Program wakes 60 times a second for its whole life).
	in, _ := std.in.(*os.File)
	out, _ := std.out.(*os.File)
	fm, err := screen.Run(sctx, m, in, out, os.Environ())
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		code = 1
	}
	if f, ok := fm.(ui.Model); ok {
		return &f, code
	}
	return &m, code
}

// playerGCPercent is the GC target of the process that plays ($GOGC, when
// set, wins). go-mp3 allocates about 2 MB a second, so the heap sits near
// its GC target: bench/players.sh measured the engine's RSS 26.0 → 23.4 MB
// at 50 (anon 11.8 → 9.1 MB), and its CPU within the run-to-run noise.
const playerGCPercent = 50

// newPlayer opens the output and makes the player on it: the one player
// of the in-process program and of the background engine.
func newPlayer(s config.Settings, links player.LinkSource, logger *slog.Logger) (*player.Player, error) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(playerGCPercent)
	}
	out, err := openOutput(s, logger)
	if err != nil {
		return nil, err
	}
	p, err := player.New(player.Config{
		Links:       links,
		Output:      out,
		Bitrate:     s.Bitrate,
		AutoBitrate: s.AutoBitrate,
		Volume:      s.Volume,
		Logger:      logger,
	})
	if err != nil {
		out.Close()
		return nil, err
	}
	return p, nil
}

// openOutput opens where the sound goes. The speaker says in one sentence
// why it can't play (no device, or an SSH login with no sound session).
func openOutput(s config.Settings, logger *slog.Logger) (player.Output, error) {
	switch s.Output {
	case "null":
		return player.NewNull(outputRate), nil
	case "speaker", "":
		return player.NewSpeaker(outputRate, s.SpeakerBuffer, logger)
	default:
		return player.NewWAV(s.Output, outputRate)
	}
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
func applyToRunningEngine(ec *engine.Client, s config.Settings, flags []string, std stdio) {
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
		fmt.Fprintf(std.err, "pcplay: the engine was running already: %s %s only as an engine starts (pcplay stop, then pcplay again)\n", strings.Join(ignored, " and "), verb)
	}
}
