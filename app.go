package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/ui"
)

// outputRate is the one rate the output runs at; tracks of another rate are
// resampled (the speaker can be opened once per process).
const outputRate = 44100

// runPlayer opens the TUI on the player: the demo library or the account.
//
// explicitBitrate says the bitrate came from a flag or the environment: it
// then wins over the saved session's.
func runPlayer(ctx context.Context, s config.Settings, std stdio, explicitBitrate bool, logger *slog.Logger) int {
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

	out, err := openOutput(s, logger)
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	p, err := player.New(player.Config{
		Links:   player.LinksFromAPI(client),
		Output:  out,
		Bitrate: s.Bitrate,
		Volume:  s.Volume,
		Logger:  logger,
	})
	if err != nil {
		out.Close()
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
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

	keys := ui.DefaultKeyMap()
	for action, ks := range s.Keys {
		if err := keys.Rebind(action, ks); err != nil {
			fmt.Fprintf(std.err, "pcplay: %s: [keys] %s: %v\n", s.ConfigPath, action, err)
			return config.ExitUsage
		}
	}
	needLogin := !s.Demo && s.Token == ""
	var auth ui.Authenticator
	if needLogin {
		auth = client
	}
	m := ui.New(ui.Options{
		Library:   client,
		Auth:      auth,
		NeedLogin: needLogin,
		OnLogin: func(u api.UserInfo) {
			if err := saveLogin(client, u.Email); err != nil {
				logger.Error("saving the login failed", "err", err)
			}
		},
		Player:    p,
		StartPath: startPath,
		Keys:      keys,
	})
	defer m.Close()

	// SIGHUP (the terminal went away) and SIGTERM end the UI cleanly, so the
	// session is saved.
	sctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP, syscall.SIGTERM)
	defer stop()
	prog := tea.NewProgram(m, tea.WithContext(sctx), tea.WithInput(std.in), tea.WithOutput(std.out))
	final, err := prog.Run()
	if fm, ok := final.(ui.Model); ok {
		saveSession(sessionPath, p, fm.Folder(), logger)
		if msg := fm.QuitMessage(); msg != "" && err == nil {
			fmt.Fprintln(std.out, msg)
		}
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	return 0
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
func saveSession(path string, p *player.Player, folder ui.Folder, logger *slog.Logger) {
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
