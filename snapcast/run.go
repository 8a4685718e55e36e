package snapcast

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/player"
)

// Usage is `pcplay snapcast-plugin --help`.
const Usage = `usage: pcplay snapcast-plugin [--stream=ID] [--snapcast-port=PORT] [--snapcast-host=HOST]
A Snapcast stream plugin: snapserver starts it as the controlscript of the
pipe source that pcplay --output pipe:PATH feeds, and talks JSON-RPC with it
on stdin and stdout. Snapweb and Snapdroid then show the track pcplay plays,
and their play, pause, next, previous and seek reach pcplay's engine. It runs
as the user of the engine, and waits for one while none runs. In
snapserver.conf (one line; the script is pcplay's packaging/pcplay-snapcast-plugin):
  source = pipe:///tmp/snapfifo?name=pcplay&sampleformat=44100:16:2&controlscript=/usr/local/bin/pcplay-snapcast-plugin
The flags are snapserver's; pcplay does not need them.
`

// Run is `pcplay snapcast-plugin ARGS`; it returns the exit status: 0 when
// snapserver closed its stdin, 1 on a failure, 2 on a usage error.
func Run(ctx context.Context, args []string, std cli.Stdio, logger *slog.Logger) int {
	fs := flag.NewFlagSet("snapcast-plugin", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	stream := fs.String("stream", "", "")
	port := fs.String("snapcast-port", "", "")
	host := fs.String("snapcast-host", "", "")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(std.Out, Usage)
		return 0
	case err != nil:
		msg := err.Error()
		if f, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			msg = "unknown flag --" + clip(strings.TrimPrefix(f, "-"))
		}
		fmt.Fprintf(std.Err, "pcplay snapcast-plugin: %s; see pcplay snapcast-plugin --help\n", msg)
		return config.ExitUsage
	case fs.NArg() > 0:
		if a := fs.Arg(0); a == "help" {
			fmt.Fprint(std.Out, Usage)
			return 0
		}
		fmt.Fprintf(std.Err, "pcplay snapcast-plugin takes no argument (%q); see pcplay snapcast-plugin --help\n", clip(fs.Arg(0)))
		return config.ExitUsage
	}
	logger.Info("snapcast plugin", "stream", *stream, "snapcast_port", *port, "snapcast_host", *host)
	say := func(s string) { fmt.Fprintln(std.Err, "pcplay snapcast-plugin: "+s) }
	err = Serve(ctx, std.In, std.Out, Options{
		Connect: func(ctx context.Context) (player.Controller, error) {
			c, err := engine.Find(ctx)
			if err != nil {
				return nil, err
			}
			return c, nil
		},
		Say:    say,
		Logger: logger,
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("snapcast plugin", "err", err)
		say(err.Error())
		return 1
	}
	return 0
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
