package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/player"
)

// engineLogName is the engine's log in the state directory when --log is
// not given: the engine never writes to a terminal.
const engineLogName = "engine.log"

// maxEngineLog: a longer engine.log becomes engine.log.1 when an engine
// starts, so that a long-lived engine's log stays bounded.
const maxEngineLog = 4 << 20

// rotateLog moves path to path.1 when it is over max bytes.
func rotateLog(path string, max int64) {
	if fi, err := os.Stat(path); err == nil && fi.Size() > max {
		os.Rename(path, path+".1")
	}
}

// defaultEngineLog is StateDir()/engine.log.
func defaultEngineLog() (string, error) {
	dir, err := config.StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, engineLogName), nil
}

// runEngine is the hidden `pcplay engine`: the background engine, in this
// process. Ensure starts it in its own session with /dev/null for stdio; run
// by hand it works the same. It restores the session (paused), serves the
// player on the socket until `pcplay stop`, Q, SIGTERM or the idle time,
// and saves the session before it exits. SIGHUP, SIGINT and SIGPIPE are
// ignored: the terminal going away must not stop the music.
func runEngine(ctx context.Context, s config.Settings, std stdio, logger *slog.Logger) int {
	signal.Ignore(syscall.SIGHUP, syscall.SIGINT, syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()

	fail := func(msg string, err error) int {
		logger.Error(msg, "err", err)
		fmt.Fprintln(std.err, msg+": "+err.Error())
		return 1
	}
	if s.Demo {
		return fail("the demo library plays in the foreground", errors.New("run pcplay --demo"))
	}
	path, err := engine.SocketPath()
	if err != nil {
		return fail("no place for the socket", err)
	}
	links := &swapLinks{s: s, logger: logger}
	if err := links.login(s.Token, s.TokenKind, s.Region); err != nil {
		return fail("the pCloud client", err)
	}
	// The player (and the speaker) first: when it can't start, the reason
	// reaches the pcplay that started the engine.
	p, err := newPlayer(s, links, logger)
	if errors.Is(err, player.ErrNoDevice) {
		// One sentence, and the status the one-process program exits
		// with: the pcplay that started the engine says it as its own.
		logger.Error("no sound device", "err", err)
		fmt.Fprintln(std.err, noDeviceSentence(err))
		return exitNoDevice
	}
	if err != nil {
		return fail("the player did not start", err)
	}
	defer p.Close()
	ln, err := engine.Listen(path)
	if err != nil {
		return fail("cannot listen on "+path, err)
	}
	defer ln.Close()
	detach(logger)
	es := restoreEngineSession(p, s.ExplicitBitrate, std.err, logger)
	actx, stopSaving := context.WithCancel(ctx)
	saving := make(chan struct{})
	go func() {
		defer close(saving)
		autosave(actx, p.Subscribe(actx), p.Status(), saveEvery, saveSoon, es.save)
	}()
	defer func() { stopSaving(); <-saving }()
	lib, stopLib := engineLibrary(ctx, s, links, p, logger)
	defer stopLib()
	logger.Info("engine listening", "socket", path, "pid", os.Getpid(), "idle_exit", s.IdleExit)
	err = engine.Serve(ctx, ln, p, engine.Options{
		Logger:   logger,
		IdleExit: s.IdleExit,
		Save:     es.save,
		Login:    links.login,
		Folder:   es.setFolder,
		Library:  lib,
	})
	switch {
	case err == nil, errors.Is(err, engine.ErrIdle), errors.Is(err, context.Canceled):
		logger.Info("engine exits", "why", err)
		return 0
	default:
		return fail("the engine failed", err)
	}
}

// detach leaves the terminal's stderr and, files being open, the working
// directory (so that the engine does not keep a mount busy).
func detach(logger *slog.Logger) {
	if err := engine.QuietStderr(); err != nil {
		logger.Warn("stderr to /dev/null", "err", err)
	}
	if err := os.Chdir("/"); err != nil {
		logger.Warn("chdir /", "err", err)
	}
}

// swapLinks is the engine's link source: the pCloud client of the current
// login, replaced when a client sends a new one.
type swapLinks struct {
	s      config.Settings
	logger *slog.Logger

	mu    sync.Mutex
	c     *api.Client
	token string
}

// login makes the client for token (kind "auth" or "bearer"; region "us",
// "eu" or "" for the settings'). The same token again changes nothing.
func (l *swapLinks) login(token, kind, region string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c != nil && token == l.token {
		return nil
	}
	s := l.s
	s.Token, s.TokenKind = token, kind
	if region == "us" || region == "eu" {
		s.Region = region
	}
	c, err := newClient(s, l.logger)
	if err != nil {
		return err
	}
	l.c, l.token = c, token
	return nil
}

func (l *swapLinks) AudioLink(ctx context.Context, fileID uint64, bitrate int) (player.Link, error) {
	l.mu.Lock()
	c := l.c
	l.mu.Unlock()
	return player.LinksFromAPI(c).AudioLink(ctx, fileID, bitrate)
}
