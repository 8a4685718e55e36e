// Package ctl is `pcplay ctl` and `pcplay stop`: control the running
// engine from a shell. The commands, their arguments and their help come
// from the command table (package command); ctl finds the engine, sends
// the command, and prints the status after it.
package ctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/player"
)

// Resolver turns the PATH of `ctl add PATH` and `ctl play PATH` into
// tracks: a pCloud path ("/Music/Album", "/Music/a.mp3"; a folder counts
// recursively) or "playlist:NAME". The ctl process resolves it (with its
// own pCloud login) and sends the tracks. Its error is shown as it is.
type Resolver func(ctx context.Context, target string) ([]player.Track, error)

// PlaylistPrefix starts a ctl PATH that names a playlist.
const PlaylistPrefix = command.PlaylistPrefix

// syncTimeout bounds the wait for the engine to carry a command out.
const syncTimeout = 5 * time.Second

// Help is `pcplay ctl --help`: a command a line, from the command table.
func Help() string {
	var b strings.Builder
	b.WriteString(`Usage: pcplay ctl COMMAND
Control the running pcplay engine from a shell; each command prints the
status after it (one line; status --json: a JSON object).

Commands:
`)
	for _, u := range command.CtlUsage() {
		fmt.Fprintf(&b, "  %s: %s\n", u.Args, u.Help)
	}
	b.WriteString(`
PATH is a pCloud file or folder from the top (/Music/Album), or
` + PlaylistPrefix + `NAME (as pcplay playlist list shows them).

Exit status: 0 done, 1 no engine running (or it failed), 2 a mistake in
the command.
`)
	return b.String()
}

// Main is `pcplay ctl ARGS`: a mistake in the command is found first (exit
// 2); then it connects to the running engine, acts, and prints the status
// (exit 0); no engine, or a failure (pCloud, the engine), is exit 1 with a
// sentence on stderr. resolve looks a PATH up.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, resolve Resolver, logger *slog.Logger) int {
	if len(args) > 0 {
		switch args[0] {
		case "--help", "-h", "-help", "help":
			fmt.Fprint(stdout, Help())
			return 0
		}
	}
	if err := Check(args); err != nil {
		msg := err.Error()
		if len(args) == 0 {
			msg += " (pcplay ctl --help)"
		}
		fmt.Fprintln(stderr, "pcplay: "+msg)
		return config.ExitUsage
	}
	c, code := findEngine(ctx, stderr)
	if c == nil {
		return code
	}
	defer c.Close()
	if err := Run(ctx, c, args, stdout, resolve); err != nil {
		fmt.Fprintln(stderr, "pcplay: "+err.Error())
		if IsUsage(err) {
			return config.ExitUsage
		}
		logger.Error("ctl", "args", args, "err", err)
		return 1
	}
	return 0
}

// Check reports a mistake in a ctl command line (a usage error) without an
// engine: usage errors are found before looking for one.
func Check(args []string) error {
	_, err := command.ParseCtl(args, player.Status{})
	return err
}

// IsUsage reports whether err is a mistake in the ctl command line.
func IsUsage(err error) bool {
	var ue *command.UsageError
	return errors.As(err, &ue)
}

// Run carries out one `pcplay ctl` command on the engine c is connected to
// and prints what follows it: the status (one line, or a JSON object for
// `status --json`), or the queue. resolve looks the PATH of `add PATH` and
// `play PATH` up (nil: those are refused).
func Run(ctx context.Context, c *engine.Client, args []string, out io.Writer, resolve Resolver) error {
	cc, err := command.ParseCtl(args, c.Status())
	if err != nil {
		return err
	}
	if cc.Show == command.ShowHistory || cc.Show == command.ShowHistoryJSON {
		return history(ctx, c, cc, out)
	}
	var said string
	if cc.Load != nil {
		if said, err = load(ctx, &cc, resolve); err != nil {
			return err
		}
	}
	if cc.Cmd != "" {
		c.Call(cc.Cmd, cc.Request)
		sctx, cancel := context.WithTimeout(ctx, syncTimeout)
		defer cancel()
		if err := c.Sync(sctx); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(out, said); err != nil {
		return err
	}
	ly, err := lyricsFor(ctx, c, cc.Show)
	if err != nil {
		return err
	}
	st := c.Status()
	if cc.Show == command.ShowVolume {
		// vol and mute say what they did: the status line, then the volume.
		if err := show(out, command.ShowStatus, st, c, ly); err != nil {
			return err
		}
		muted := ""
		if st.Muted {
			muted = " (muted)"
		}
		_, err := fmt.Fprintf(out, "volume %d%%%s\n", st.Volume, muted)
		return err
	}
	return show(out, cc.Show, st, c, ly)
}

// load resolves cc.Load's PATH into cc's tracks; said is the sentence that
// says so ("Added 2 tracks from /Music.").
func load(ctx context.Context, cc *command.CtlCall, resolve Resolver) (said string, err error) {
	if resolve == nil {
		return "", errors.New("this pcplay can't look paths up in pCloud")
	}
	target := cc.Load.Path
	tracks, err := resolve(ctx, target)
	if err != nil {
		return "", err
	}
	if len(tracks) == 0 {
		return "", fmt.Errorf("%s has nothing playable", command.Clip(target))
	}
	cc.Tracks = tracks
	n := strconv.Itoa(len(tracks)) + " tracks"
	if len(tracks) == 1 {
		n = "1 track"
	}
	return fmt.Sprintf("%s %s from %s.\n", cc.Load.Verb, n, textsafe.Line(target)), nil
}

// findEngine connects to the running engine, or says why not and gives the
// exit status.
func findEngine(ctx context.Context, stderr io.Writer) (*engine.Client, int) {
	c, err := engine.Find(ctx)
	if err == nil {
		return c, 0
	}
	var ny *engine.NotYoursError
	switch {
	case errors.As(err, &ny):
		fmt.Fprintln(stderr, "pcplay: "+ny.Error())
	case errors.Is(err, engine.ErrNoEngine):
		fmt.Fprintln(stderr, "pcplay: no pcplay engine is running (start one with pcplay)")
	default:
		fmt.Fprintln(stderr, "pcplay: "+err.Error())
	}
	return nil, 1
}

// Stop is `pcplay stop`: the engine saves the session and exits. No engine
// is fine (exit 0, with a note). An engine of another protocol is sent
// SIGTERM, which saves and exits the same way.
func Stop(ctx context.Context, stdout, stderr io.Writer, logger *slog.Logger) int {
	c, err := engine.Find(ctx)
	var (
		me *engine.MismatchError
		ny *engine.NotYoursError
	)
	switch {
	case errors.As(err, &ny):
		fmt.Fprintln(stderr, "pcplay: "+ny.Error())
		return 1
	case errors.Is(err, engine.ErrNoEngine):
		fmt.Fprintln(stdout, "pcplay: no engine running.")
		return 0
	case errors.As(err, &me) && me.PID > 0:
		logger.Info("stopping an engine of another protocol", "pid", me.PID)
		if err := engine.Terminate(me.PID, 15*time.Second); err != nil {
			fmt.Fprintln(stderr, "pcplay: "+err.Error())
			return 1
		}
		fmt.Fprintln(stdout, "pcplay: stopped.")
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "pcplay: "+err.Error())
		return 1
	}
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := c.Shutdown(sctx); err != nil {
		fmt.Fprintln(stderr, "pcplay: "+err.Error())
		return 1
	}
	fmt.Fprintln(stdout, "pcplay: stopped.")
	return 0
}
