package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/player"
)

// CtlUsage lists the ctl commands.
const CtlUsage = "pause, play, toggle, next, prev, seek +10|-10|1:30, vol 70|+5|-5, mute, status [--json], queue [--json], clear, add PATH, play PATH (PATH: a pCloud file or folder, or playlist:NAME)"

// CtlError is a mistake in a ctl command line (exit status 2).
type CtlError struct{ Msg string }

func (e *CtlError) Error() string { return e.Msg }

// Ctl carries out one `pcplay ctl` command on the engine and prints the
// status after it: one line, or a JSON object for `status --json`. It
// takes no PATH (add, play PATH): CtlWith does.
func Ctl(ctx context.Context, c *Client, args []string, out io.Writer) error {
	return CtlWith(ctx, c, args, out, nil)
}

// CtlWith is Ctl with resolve to turn the PATH of `add PATH` and `play
// PATH` into tracks (nil: those commands are refused).
func CtlWith(ctx context.Context, c *Client, args []string, out io.Writer, resolve Resolver) error {
	if done, err := ctlQueueCmd(ctx, c, args, out, resolve); done {
		return err
	}
	act, asJSON, err := parseCtl(args, c.Status())
	if err != nil {
		return err
	}
	if act != nil {
		act(c)
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := c.Sync(sctx); err != nil {
			return err
		}
	}
	st := c.Status()
	if asJSON {
		b, err := json.Marshal(StatusJSON(st, len(c.Queue())))
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "%s\n", b)
		return err
	}
	_, err = fmt.Fprintln(out, StatusLine(st))
	return err
}

// parseCtl turns a ctl command line into an action (nil for status).
// cur is the status before the action (for relative volume).
func parseCtl(args []string, cur player.Status) (act func(player.Controller), asJSON bool, err error) {
	if len(args) == 0 {
		return nil, false, &CtlError{"ctl needs a command: " + CtlUsage}
	}
	name, rest := args[0], args[1:]
	want := func(n int) error {
		if len(rest) != n {
			if n == 0 {
				return &CtlError{fmt.Sprintf("ctl %s takes no argument", name)}
			}
			return &CtlError{fmt.Sprintf("ctl %s takes one argument", name)}
		}
		return nil
	}
	switch name {
	case "status":
		switch {
		case len(rest) == 0:
			return nil, false, nil
		case len(rest) == 1 && (rest[0] == "--json" || rest[0] == "-json"):
			return nil, true, nil
		}
		return nil, false, &CtlError{"ctl status takes only --json"}
	case "pause", "play", "toggle", "next", "prev", "stop", "mute", "clear":
		if err := want(0); err != nil {
			return nil, false, err
		}
		return map[string]func(player.Controller){
			"pause":  player.Controller.Pause,
			"play":   player.Controller.Play,
			"toggle": player.Controller.Toggle,
			"next":   player.Controller.Next,
			"prev":   player.Controller.Prev,
			"stop":   player.Controller.Stop,
			"mute":   player.Controller.ToggleMute,
			"clear":  player.Controller.Clear,
		}[name], false, nil
	case "seek":
		if err := want(1); err != nil {
			return nil, false, err
		}
		arg, sign := rest[0], 0
		switch {
		case strings.HasPrefix(arg, "+"):
			arg, sign = arg[1:], 1
		case strings.HasPrefix(arg, "-"):
			arg, sign = arg[1:], -1
		}
		d, ok := parseClock(arg)
		if !ok {
			return nil, false, &CtlError{fmt.Sprintf("ctl seek %s: give seconds (+10, -10, 90) or a time (1:30)", clip(rest[0]))}
		}
		if sign != 0 {
			return func(p player.Controller) { p.SeekBy(time.Duration(sign) * d) }, false, nil
		}
		return func(p player.Controller) { p.Seek(d) }, false, nil
	case "vol", "volume":
		if err := want(1); err != nil {
			return nil, false, err
		}
		arg := rest[0]
		n, err := strconv.Atoi(arg)
		if err != nil || len(arg) > 4 {
			return nil, false, &CtlError{fmt.Sprintf("ctl vol %s: give a volume 0..100, or +N / -N", clip(arg))}
		}
		v := n
		if strings.HasPrefix(arg, "+") || strings.HasPrefix(arg, "-") {
			v = cur.Volume + n
		}
		if v < 0 || v > 100 {
			if arg[0] != '+' && arg[0] != '-' {
				return nil, false, &CtlError{fmt.Sprintf("ctl vol %s: the volume is 0..100", clip(arg))}
			}
			v = max(0, min(100, v))
		}
		return func(p player.Controller) { p.SetVolume(v) }, false, nil
	}
	return nil, false, &CtlError{fmt.Sprintf("unknown ctl command %q: the commands are %s", clip(name), CtlUsage)}
}

// parseClock reads 90, 1:30 or 1:02:03 (whole seconds).
func parseClock(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, false
	}
	var total int64
	for i, p := range parts {
		if p == "" || len(p) > 6 {
			return 0, false
		}
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil || (i > 0 && n >= 60) {
			return 0, false
		}
		total = total*60 + int64(n)
	}
	if total > int64(MaxSeek/time.Second) {
		return 0, false
	}
	return time.Duration(total) * time.Second, true
}

// StatusLine is the status as one line, as the README's `pcplay ctl` table
// shows it (a test holds the two together): the state, the track
// (TrackLabel) and the clock, two spaces apart:
// "playing  Title – Artist  1:23 / 4:56".
func StatusLine(st player.Status) string {
	parts := []string{st.State.String()}
	if st.Index >= 0 {
		parts = append(parts, oneLine(TrackLabel(st.Track)))
		pos := player.Clock(st.Position)
		if st.Duration > 0 {
			pos += " / " + player.Clock(st.Duration)
		}
		parts = append(parts, pos)
	}
	if st.Err != "" {
		parts = append(parts, "("+oneLine(st.Err)+")")
	}
	return strings.Join(parts, "  ")
}

// TrackLabel is how ctl names a track: "Title – Artist", the title alone,
// or the file name when there is no title.
func TrackLabel(t player.Track) string {
	name := t.Title
	if name == "" {
		name = t.Name
	}
	if t.Artist != "" {
		name += " – " + t.Artist
	}
	return name
}

// oneLine keeps control characters of a file name off the terminal.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// StatusObject is `ctl status --json`.
type StatusObject struct {
	State           string        `json:"state"`
	Track           *player.Track `json:"track"` // null when none
	PositionSeconds float64       `json:"position_seconds"`
	DurationSeconds float64       `json:"duration_seconds"` // 0 when unknown
	Volume          int           `json:"volume"`
	Muted           bool          `json:"muted"`
	Shuffle         bool          `json:"shuffle"`
	Repeat          string        `json:"repeat"` // off, all, one
	Index           int           `json:"index"`  // -1 when none
	QueueLength     int           `json:"queue_length"`
	Bitrate         int           `json:"bitrate"`
	Error           string        `json:"error,omitempty"`
}

// StatusJSON is the status as `ctl status --json` prints it.
func StatusJSON(st player.Status, queueLen int) StatusObject {
	o := StatusObject{
		State:           st.State.String(),
		PositionSeconds: st.Position.Seconds(),
		DurationSeconds: st.Duration.Seconds(),
		Volume:          st.Volume,
		Muted:           st.Muted,
		Shuffle:         st.Shuffle,
		Repeat:          st.Repeat.String(),
		Index:           st.Index,
		QueueLength:     queueLen,
		Bitrate:         st.Bitrate,
		Error:           st.Err,
	}
	if st.Index >= 0 {
		t := st.Track
		o.Track = &t
	}
	return o
}

// IsUsage reports whether err is a mistake in the ctl command line.
func IsUsage(err error) bool {
	var ce *CtlError
	return errors.As(err, &ce)
}
