package main

import (
	"context"
	"log/slog"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/ctl"
	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlistcmd"
)

// ctlResolver resolves the PATH of `ctl add|play PATH` with this process's
// own login, as `pcplay playlist` does (host.Tracks: a pCloud file, a
// folder in browsing order, or playlist:NAME).
func ctlResolver(s config.Settings, logger *slog.Logger) ctl.Resolver {
	return func(ctx context.Context, target string) ([]player.Track, error) {
		pc, err := playlistcmd.Open(s, logger)
		if err != nil {
			return nil, err
		}
		if pc.Client == nil {
			return host.Tracks(ctx, nil, pc.Store, target)
		}
		return host.Tracks(ctx, pc.Client, pc.Store, target)
	}
}
