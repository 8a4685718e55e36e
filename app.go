package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/ui"
)

// exitNoDevice is the exit status when the speaker can't be opened (make
// demo then plays to the null output instead).
const exitNoDevice = 3

// outputRate is the one rate the output runs at; tracks of another rate are
// resampled (the speaker can be opened once per process).
const outputRate = 44100

// runPlayer opens the TUI on the player: the demo library or the account.
// Unless --foreground (or the config's foreground) or --demo, the player
// is the background engine's (started if none runs), and the TUI only
// attaches to it; flags are the global flags the engine is started with.
//
// explicitBitrate says the bitrate came from a flag or the environment: it
// then wins over the saved session's.
func runPlayer(ctx context.Context, s config.Settings, std stdio, explicitBitrate bool, flags []string, logger *slog.Logger) int {
	if !isTerminal(std.in) || !isTerminal(std.out) {
		fmt.Fprintln(std.err, "pcplay: the player needs a terminal to run in (stdin and stdout); from a script use pcplay ctl.")
		return 1
	}
	if !s.Demo && !s.Foreground && engine.Supported {
		return runAttached(ctx, s, std, flags, logger)
	}
	var client *api.Client
	if s.Demo {
		d, err := startDemo(logger)
		if err != nil {
			fmt.Fprintln(std.err, "pcplay: the demo library did not start: "+err.Error())
			return 1
		}
		defer d.Close()
		client = d.client
	} else {
		c, err := newClient(s, logger)
		if err != nil {
			fmt.Fprintln(std.err, "pcplay: "+err.Error())
			return 1
		}
		client = c
	}

	p, err := newPlayer(s, player.LinksFromAPI(client), logger)
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		if errors.Is(err, player.ErrNoDevice) {
			return exitNoDevice
		}
		return 1
	}
	defer p.Close()

	sessionPath := ""
	if !s.Demo { // the demo library is new every start: nothing to restore
		sessionPath, _ = config.SessionPath()
	}
	startPath := s.StartFolder
	if sess, ok := loadSession(sessionPath, std, logger); ok {
		restoreSession(p, sess, explicitBitrate)
		if sess.Folder != "" {
			startPath = sess.Folder
		}
	}
	final, code := runUI(ctx, s, std, ui.Options{
		Library:   client,
		OnLogin:   onLogin(client, logger, nil),
		Player:    p,
		StartPath: startPath,
		Region:    s.Region,
	}, logger)
	if final != nil {
		saveSession(sessionPath, p, final.Folder(), logger)
		if msg := final.QuitMessage(); msg != "" && code == 0 {
			fmt.Fprintln(std.out, msg)
		}
	}
	return code
}

// runAttached is pcplay with the background engine: find or start the
// engine, attach the TUI to it, and on q detach (the music goes on) or on
// Q stop the engine. Folder browsing stays in this process.
func runAttached(ctx context.Context, s config.Settings, std stdio, flags []string, logger *slog.Logger) int {
	client, err := newClient(s, logger)
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	ec, err := engine.Ensure(ctx, engine.EnsureOptions{Args: flags})
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	defer ec.Close()
	logger.Info("attached to the engine", "version", ec.EngineVersion(), "pid", ec.EnginePID())
	if s.Token != "" {
		// The engine plays with this login too (it may have been started
		// before a `pcplay login`).
		ec.Login(s.Token, s.TokenKind, s.Region)
	}

	sessionPath, _ := config.SessionPath()
	startPath := s.StartFolder
	if sess, ok := loadSession(sessionPath, std, logger); ok && sess.Folder != "" {
		startPath = sess.Folder
	}
	final, code := runUI(ctx, s, std, ui.Options{
		Library: client,
		OnLogin: onLogin(client, logger, func(l config.SavedLogin) {
			ec.Login(l.Token, l.Kind, l.Region) // the engine plays with it too
		}),
		Player:    ec,
		StartPath: startPath,
		Region:    s.Region,
		Detach:    true,
	}, logger)
	if final == nil {
		return code
	}
	// The session as the engine has it now, with this UI's folder (the
	// engine saves it again when it exits, keeping the folder).
	saveSession(sessionPath, ec, final.Folder(), logger)
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

// runUI runs the TUI with o (the keys, login and terminal from s and std)
// until the person leaves or SIGHUP/SIGTERM; final is nil when it did not
// start.
func runUI(ctx context.Context, s config.Settings, std stdio, o ui.Options, logger *slog.Logger) (final *ui.Model, code int) {
	keys := ui.DefaultKeyMap()
	for action, ks := range s.Keys {
		if err := keys.Rebind(action, ks); err != nil {
			fmt.Fprintf(std.err, "pcplay: %s: [keys] %s: %v\n", s.ConfigPath, action, err)
			return nil, config.ExitUsage
		}
	}
	o.Keys = keys
	o.NeedLogin = !s.Demo && s.Token == ""
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
	prog := tea.NewProgram(m, tea.WithContext(sctx), tea.WithInput(std.in), tea.WithOutput(std.out))
	fm, err := prog.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		code = 1
	}
	if f, ok := fm.(ui.Model); ok {
		return &f, code
	}
	return &m, code
}

// newPlayer opens the output and makes the player on it: the one player
// of the in-process program and of the background engine.
func newPlayer(s config.Settings, links player.LinkSource, logger *slog.Logger) (*player.Player, error) {
	out, err := openOutput(s, logger)
	if err != nil {
		return nil, err
	}
	p, err := player.New(player.Config{
		Links:   links,
		Output:  out,
		Bitrate: s.Bitrate,
		Volume:  s.Volume,
		Logger:  logger,
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

func loadSession(path string, std stdio, logger *slog.Logger) (config.Session, bool) {
	if path == "" {
		return config.Session{}, false
	}
	sess, err := config.LoadSession(path)
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: the saved session is ignored: "+err.Error())
		logger.Warn("session ignored", "err", err)
		return config.Session{}, false
	}
	return sess, sess.Version != 0
}

// restoreSession puts back the queue, the track and the second, paused; and
// the volume and modes. A bitrate given by flag or environment wins over
// the saved one.
func restoreSession(p *player.Player, sess config.Session, explicitBitrate bool) {
	p.SetVolume(sess.Volume)
	p.SetShuffle(sess.Shuffle)
	p.SetRepeat(player.Repeat(sess.Repeat))
	if sess.Bitrate != 0 && !explicitBitrate {
		p.SetBitrate(sess.Bitrate)
	}
	if len(sess.Queue) > 0 {
		p.Enqueue(sess.Queue)
		if sess.Index >= 0 {
			p.Cue(sess.Index, sess.Position)
		}
	}
}

// saveSession writes what the next start restores. It runs on quit and when
// a signal ends the UI.
func saveSession(path string, p player.Controller, folder ui.Folder, logger *slog.Logger) {
	if path == "" {
		return
	}
	st := p.Status()
	sess := config.Session{
		Version:  config.SessionVersion,
		Folder:   folder.Path,
		FolderID: folder.ID,
		Queue:    p.Queue(),
		Index:    st.Index,
		Position: st.Position,
		Volume:   st.Volume,
		Shuffle:  st.Shuffle,
		Repeat:   int(st.Repeat),
		Bitrate:  st.Bitrate,
	}
	if err := config.SaveSession(path, sess); err != nil {
		logger.Error("saving the session failed", "err", err)
		fmt.Fprintln(os.Stderr, "pcplay: the session could not be saved: "+err.Error())
	}
}

// isTerminal reports whether f is a terminal (the UI needs one for input and
// output).
func isTerminal(f any) bool {
	t, ok := f.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(t.Fd())
}
