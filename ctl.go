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

// ctlHelp is `pcplay ctl --help`.
const ctlHelp = `Usage: pcplay ctl COMMAND
Control the running pcplay engine from a shell; each command prints the
status after it (one line; status --json: a JSON object).

Commands:
  ` + engine.CtlUsage + `
  stop: stop playback; the engine keeps running (pcplay stop ends it)

Exit status: 0 done, 1 no engine running (or it failed), 2 a mistake in
the command.
`

// runCtl is `pcplay ctl COMMAND`: connect to the running engine, act, print
// the status. A mistake in the command is found first (exit 2); no engine,
// or a pCloud error, is exit status 1 with a sentence.
func runCtl(ctx context.Context, s config.Settings, args []string, std stdio, logger *slog.Logger) int {
	if len(args) == 0 {
		fmt.Fprintln(std.err, "pcplay: ctl needs a command: "+engine.CtlUsage+" (pcplay ctl --help)")
		return config.ExitUsage
	}
	switch args[0] {
	case "--help", "-h", "-help", "help":
		fmt.Fprint(std.out, ctlHelp)
		return 0
	}
	if err := engine.CheckCtl(args); err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
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
	var ny *engine.NotYoursError
	switch {
	case errors.As(err, &ny):
		fmt.Fprintln(std.err, "pcplay: "+ny.Error())
	case errors.Is(err, engine.ErrNoEngine):
		fmt.Fprintln(std.err, "pcplay: no pcplay engine is running (start one with pcplay)")
	default:
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
	}
	return nil, 1
}

// runStop is `pcplay stop`: the engine saves the session and exits. No
// engine is fine (exit 0, with a note). An engine of another protocol is
// sent SIGTERM, which saves and exits the same way.
func runStop(ctx context.Context, std stdio, logger *slog.Logger) int {
	c, err := engine.Find(ctx)
	var (
		me *engine.MismatchError
		ny *engine.NotYoursError
	)
	switch {
	case errors.As(err, &ny):
		fmt.Fprintln(std.err, "pcplay: "+ny.Error())
		return 1
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
