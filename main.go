// Command pcplay is a terminal audio player for the music kept in pCloud.
//
// The package is dispatch and wiring only: main.go reads the settings and
// runs the sub-command; app.go runs the UI on a host in this process
// (--foreground, --demo) or attached to the background engine's;
// engine_cmd.go is the hidden `pcplay engine`, which serves a host on its
// socket; ctl.go, login.go and signin.go are `pcplay ctl`/`stop` and
// `login`/`logout`. The work is done by the packages: config (settings and
// files), api (pCloud), player (playback and the queue), host (what a
// running pcplay is: player, session, account, library, playlists), engine
// (the background process and its socket), playlistcmd (`pcplay
// playlist`) and ui (the terminal).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/buildinfo"
	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/internal/logfile"
	"github.com/pcplay/pcplay/playlistcmd"
	"github.com/pcplay/pcplay/scrobble"
	"github.com/pcplay/pcplay/service"
	"github.com/pcplay/pcplay/snapcast"
	"github.com/pcplay/pcplay/ui"
)

// version is set at build time with -ldflags "-X main.version=..."; without
// it, the Go toolchain's record says which pcplay this is
// (buildinfo.Version).
var version = "dev"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv))
}

// run is the whole program; it returns the exit status. 2 is a usage error.
func run(ctx context.Context, args []string, std cli.Stdio, getenv func(string) string) int {
	version = buildinfo.Version(version)
	if len(args) == 1 && (args[0] == "help" || args[0] == "version") {
		args = []string{"--" + args[0]} // `pcplay help`, `pcplay version`
	}
	s, rest, err := config.Load(args, getenv)
	if err != nil {
		if len(rest) == 0 || !needsNoSettings(rest[0]) {
			fmt.Fprintln(std.Err, "pcplay: "+err.Error())
			var ue *config.UsageError
			if errors.As(err, &ue) {
				return config.ExitUsage
			}
			return 1
		}
		// Load gives the sub-command only when the config file is at
		// fault: ctl and stop need nothing of it.
		fmt.Fprintln(std.Err, "pcplay: the config file is ignored: "+err.Error())
	}
	if s.Help {
		fmt.Fprint(std.Out, usage())
		return 0
	}
	if s.Version {
		fmt.Fprintln(std.Out, "pcplay", version)
		return 0
	}
	engine.Version = version
	scrobble.Version = version
	cmd := ""
	if len(rest) > 0 {
		cmd = rest[0]
	}
	var maxLog int64
	if cmd == "engine" && s.LogPath == "" {
		// The engine never writes to a terminal: its log is a file, kept
		// bounded.
		if dir, err := config.StateDir(); err == nil {
			s.LogPath, maxLog = logfile.Engine(dir), logfile.MaxEngine
		}
	}
	logger, closeLog, err := logfile.OpenRotating(s.LogPath, maxLog)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return config.ExitUsage
	}
	defer closeLog()
	for _, w := range s.Warnings {
		fmt.Fprintln(std.Err, "pcplay: "+w)
	}
	logger.Info("start", "version", version, "settings", s)
	return dispatch(ctx, s, args[:len(args)-len(rest)], rest, std, logger)
}

// dispatch runs the sub-command rest[0] (none: the player) with its
// arguments; flags are the global flags it was given.
func dispatch(ctx context.Context, s config.Settings, flags, rest []string, std cli.Stdio, logger *slog.Logger) int {
	cmd := ""
	if len(rest) > 0 {
		cmd = rest[0]
	}
	if help, ok := simpleHelp[cmd]; ok {
		// The commands without arguments: --help says what they do, and an
		// argument is refused before anything is done (`logout --help`
		// logged out).
		switch {
		case len(rest) == 2 && isHelpArg(rest[1]):
			fmt.Fprint(std.Out, help)
			return 0
		case len(rest) > 1:
			fmt.Fprintf(std.Err, "pcplay: %s takes no argument (%q); see pcplay %s --help\n", cmd, clipArg(rest[1]), cmd)
			return config.ExitUsage
		}
	}
	switch cmd {
	case "":
		return runPlayer(ctx, s, std, flags, logger)
	case "engine":
		return runEngine(ctx, s, std, logger)
	case "ctl":
		return runCtl(ctx, s, rest[1:], std, logger)
	case "help":
		if len(rest) == 2 && rest[1] != "help" {
			// pcplay help COMMAND is pcplay COMMAND --help.
			return dispatch(ctx, s, flags, []string{rest[1], "--help"}, std, logger)
		}
		fmt.Fprint(std.Out, usage())
		return 0
	case "version":
		fmt.Fprintln(std.Out, "pcplay", version)
		return 0
	case "stop":
		return runStop(ctx, std, logger)
	case "login":
		return runLogin(ctx, s, rest[1:], std, logger)
	case "logout":
		return runLogout(ctx, s, std, logger)
	case "playlist":
		return playlistcmd.Run(ctx, s, rest[1:], std, logger)
	case "service":
		return service.Run(ctx, flags, rest[1:], std, logger)
	case "scrobble":
		return runScrobble(ctx, s, rest[1:], std, logger)
	case "snapcast-plugin":
		return snapcast.Run(ctx, rest[1:], std, logger)
	default:
		fmt.Fprintf(std.Err, "pcplay: unknown command %q: the commands are login, logout, ctl, stop, playlist, service, scrobble, snapcast-plugin, help and version (see pcplay --help)\n", clipArg(cmd))
		return config.ExitUsage
	}
}

// simpleHelp is the help of the commands that take no argument.
var simpleHelp = map[string]string{
	"logout":  "usage: pcplay logout\nRevoke the saved pCloud login with pCloud and delete it from this machine.\n",
	"stop":    "usage: pcplay stop\nSave the session, stop playback and end the background engine.\n",
	"version": "usage: pcplay version\nPrint the version (also pcplay --version).\n",
	"engine":  "usage: pcplay engine\nThe background engine, as pcplay starts it: it plays, keeps the session and the\nlibrary, and serves pcplay and pcplay ctl on its socket until pcplay stop.\n",
}

// isHelpArg reports whether a is a way of asking for help.
func isHelpArg(a string) bool { return a == "--help" || a == "-h" || a == "-help" || a == "help" }

// needsNoSettings reports whether the sub-command cmd works without the
// config file (it only finds the engine): a broken file must not keep a
// running engine from being controlled or stopped.
func needsNoSettings(cmd string) bool {
	return cmd == "ctl" || cmd == "stop" || cmd == "snapcast-plugin"
}

// usage is the --help text: config's (flags, environment, file) and the
// default keys, from the UI's key map.
func usage() string {
	return config.Usage(command.CtlList()) + "\nKeys (rebind them in [keys]):\n" + ui.KeyTable(ui.DefaultKeyMap())
}
