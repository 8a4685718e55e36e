package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
)

// runCtl is `pcplay ctl COMMAND`: connect to the running engine, act, print
// the status. No engine, or a pCloud error, is exit status 1 with a
// sentence; a mistake in the command line is 2.
func runCtl(ctx context.Context, s config.Settings, args []string, std stdio, logger *slog.Logger) int {
	if len(args) == 0 {
		fmt.Fprintln(std.err, "pcplay: ctl needs a command: "+engine.CtlUsage)
		return config.ExitUsage
	}
	c, code := findEngine(ctx, std)
	if c == nil {
		return code
	}
	defer c.Close()
	if err := engine.CtlWith(ctx, c, args, std.out, ctlResolver(s, logger)); err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		if engine.IsUsage(err) {
			return config.ExitUsage
		}
		logger.Error("ctl", "args", args, "err", err)
		return 1
	}
	return 0
}

// findEngine connects to the running engine, or says why not and gives the
// exit status.
func findEngine(ctx context.Context, std stdio) (*engine.Client, int) {
	c, err := engine.Find(ctx)
	if err == nil {
		return c, 0
	}
	if errors.Is(err, engine.ErrNoEngine) {
		fmt.Fprintln(std.err, "pcplay: no pcplay engine is running (start one with pcplay)")
	} else {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
	}
	return nil, 1
}

// runStop is `pcplay stop`: the engine saves the session and exits. No
// engine is fine (exit 0, with a note). An engine of another protocol is
// sent SIGTERM, which saves and exits the same way.
func runStop(ctx context.Context, std stdio, logger *slog.Logger) int {
	c, err := engine.Find(ctx)
	var me *engine.MismatchError
	switch {
	case errors.Is(err, engine.ErrNoEngine):
		fmt.Fprintln(std.out, "pcplay: no engine running")
		return 0
	case errors.As(err, &me) && me.PID > 0:
		logger.Info("stopping an engine of another protocol", "pid", me.PID)
		if err := engine.Terminate(me.PID, 15*time.Second); err != nil {
			fmt.Fprintln(std.err, "pcplay: "+err.Error())
			return 1
		}
		fmt.Fprintln(std.out, "pcplay: stopped")
		return 0
	case err != nil:
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := c.Shutdown(sctx); err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	fmt.Fprintln(std.out, "pcplay: stopped")
	return 0
}
