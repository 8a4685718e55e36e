package main

import (
	"context"
	"log/slog"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/ctl"
	"github.com/pcplay/pcplay/internal/cli"
)

// runCtl is `pcplay ctl COMMAND` (package ctl), resolving a PATH with this
// process's own login (ctlResolver).
func runCtl(ctx context.Context, s config.Settings, args []string, std cli.Stdio, logger *slog.Logger) int {
	return ctl.Main(ctx, args, std.Out, std.Err, ctlResolver(s, logger), logger)
}

// runStop is `pcplay stop` (package ctl).
func runStop(ctx context.Context, std cli.Stdio, logger *slog.Logger) int {
	return ctl.Stop(ctx, std.Out, std.Err, logger)
}
