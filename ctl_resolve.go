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
// folder in browsing order, or playlist:NAME). It gives up as `pcplay
// playlist` does when pCloud keeps silent (PCPLAY_CLI_WAIT, 15 s), and
// says so.
func ctlResolver(s config.Settings, logger *slog.Logger) ctl.Resolver {
	return func(ctx context.Context, target string) ([]player.Track, error) {
		pc, err := playlistcmd.Open(s, logger)
		if err != nil {
			return nil, err
		}
		ctx, stop := pc.Bind(ctx)
		defer stop()
		var tracks []player.Track
		if pc.Client == nil {
			tracks, err = host.Tracks(ctx, nil, pc.Store, target)
		} else {
			tracks, err = host.Tracks(ctx, pc.Client, pc.Store, target)
		}
		if na := pc.NoAnswer(); err != nil && na != nil {
			return nil, na
		}
		return tracks, err
	}
}
