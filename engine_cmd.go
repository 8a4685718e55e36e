package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/mpd"
	"github.com/pcplay/pcplay/player"
)

// runEngine is the hidden `pcplay engine`: the background engine, in this
// process. Ensure starts it in its own session with /dev/null for stdio; run
// by hand it works the same. It restores the session (paused), serves the
// player on the socket until `pcplay stop`, Q, SIGTERM or the idle time,
// and saves the session before it exits. SIGHUP, SIGINT and SIGPIPE are
// ignored: the terminal going away must not stop the music.
func runEngine(ctx context.Context, s config.Settings, std cli.Stdio, logger *slog.Logger) int {
	signal.Ignore(syscall.SIGHUP, syscall.SIGINT, syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()

	fail := func(msg string, err error) int {
		logger.Error(msg, "err", err)
		fmt.Fprintln(std.Err, msg+": "+err.Error())
		return 1
	}
	if s.Demo {
		return fail("the demo library plays in the foreground", errors.New("run pcplay --demo"))
	}
	path, err := engine.SocketPath()
	if err != nil {
		return fail("no place for the socket", err)
	}
	// The host (the player and the speaker first): when it can't start,
	// the reason reaches the pcplay that started the engine. A problem with
	// the saved session is logged only (stderr is the starter's until the
	// engine serves).
	h, err := host.Open(ctx, s, host.Options{Logger: logger})
	if errors.Is(err, player.ErrNoDevice) {
		// One sentence, and the status the one-process program exits
		// with: the pcplay that started the engine says it as its own.
		logger.Error("no sound device", "err", err)
		fmt.Fprintln(std.Err, noDeviceSentence(err))
		return exitNoDevice
	}
	if err != nil {
		return fail("the player did not start", err)
	}
	defer h.Close()
	ln, err := engine.Listen(path)
	if err != nil {
		return fail("cannot listen on "+path, err)
	}
	defer ln.Close()
	detach(logger)
	var lib engine.LibraryKeeper
	if k := h.Keeper(); k != nil {
		lib = k
	}
	logger.Info("engine listening", "socket", path, "pid", os.Getpid(), "idle_exit", s.IdleExit)
	stopMPD := serveMPD(ctx, s, h, logger)
	defer stopMPD()
	err = engine.Serve(ctx, ln, h.Player, engine.Options{
		Logger:   logger,
		IdleExit: s.IdleExit,
		Save:     h.Save,
		Target:   h,
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

// serveMPD serves MPD clients on the host at s.MPDListen (nothing when it
// is off) until the returned stop is called. An address that can't be
// listened on (a port taken) is one log line and a note in the player's
// status (ctl status): the engine goes on without.
func serveMPD(ctx context.Context, s config.Settings, h *host.Host, logger *slog.Logger) (stop func()) {
	if s.MPDListen == "" || s.MPDListen == config.MPDOff {
		return func() {}
	}
	if msg := config.MPDExposed(s.MPDListen, s.MPDPassword); msg != "" {
		logger.Error("no MPD server: " + msg)
		return func() {}
	}
	ln, err := mpd.Listen(s.MPDListen)
	if err != nil {
		logger.Error("no MPD server: cannot listen on "+s.MPDListen+" (another MPD server there? set mpd_listen to another address, or \"off\")", "err", err)
		// Said where a person looks too: ctl status and the UIs' status
		// line (until a track plays).
		h.Tell("No MPD server: " + s.MPDListen + " is taken (another MPD server?); set mpd_listen to another address, or \"off\".")
		return func() {}
	}
	logger.Info("MPD server listening", "addr", ln.Addr().String())
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	srv := mpd.New(h, mpd.Options{Password: s.MPDPassword, Logger: logger})
	go func() {
		defer close(done)
		if err := srv.Serve(ctx, ln); err != nil {
			logger.Error("the MPD server stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }
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
