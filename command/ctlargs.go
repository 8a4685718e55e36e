package command

import (
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/defaults"
	"github.com/pcplay/pcplay/player"
)

// The parsing of ctl arguments the table's entries share. Each takes the
// command line with the name as typed first.

// args1 is the one argument of a command line, or a usage error.
func args1(line []string) (string, error) {
	if len(line) != 2 {
		return "", usagef("ctl %s takes one argument", line[0])
	}
	return line[1], nil
}

// send is a CtlCall sending cmd with r, then printing the status.
func send(cmd string, r Request) CtlCall { return CtlCall{Call: Call{Cmd: cmd, Request: r}} }

// jsonOrNot reads [--json]: print show, or its JSON form.
func jsonOrNot(show, asJSON Show) func([]string, player.Status) (CtlCall, error) {
	return func(line []string, _ player.Status) (CtlCall, error) {
		switch {
		case len(line) == 1:
			return CtlCall{Show: show}, nil
		case len(line) == 2 && (line[1] == "--json" || line[1] == "-json"):
			return CtlCall{Show: asJSON}, nil
		}
		return CtlCall{}, usagef("ctl %s takes only --json", line[0])
	}
}

// loadPath reads the PATH of add and play PATH: a pCloud path from the top
// or playlist:NAME. The tracks go in a cmd call with r.
func loadPath(line []string, cmd, verb string, r Request) (CtlCall, error) {
	if len(line) != 2 {
		return CtlCall{}, usagef("ctl %s takes one PATH: a pCloud file or folder (/Music/Album) or %sNAME", line[0], PlaylistPrefix)
	}
	target := strings.TrimSpace(line[1])
	list, isList := strings.CutPrefix(target, PlaylistPrefix)
	switch {
	case isList && strings.TrimSpace(list) == "":
		return CtlCall{}, usagef("%s needs a name: %sNAME", PlaylistPrefix, PlaylistPrefix)
	case !isList && !strings.HasPrefix(target, "/"):
		return CtlCall{}, usagef("%q is not a pCloud path: give one from the top, such as /Music/Album, or %sNAME", Clip(target), PlaylistPrefix)
	}
	c := send(cmd, r)
	c.Load = &Load{Path: target, Verb: verb}
	return c, nil
}

// parseSeek reads +10, -10 (by), 90 or 1:30 (to).
func parseSeek(line []string, _ player.Status) (CtlCall, error) {
	arg, err := args1(line)
	if err != nil {
		return CtlCall{}, err
	}
	sign := 0
	switch {
	case strings.HasPrefix(arg, "+"):
		arg, sign = arg[1:], 1
	case strings.HasPrefix(arg, "-"):
		arg, sign = arg[1:], -1
	}
	d, ok := parseClock(arg)
	if !ok {
		return CtlCall{}, usagef("ctl seek %s: give seconds (+10, -10, 90) or a time (1:30)", Clip(line[1]))
	}
	if sign != 0 {
		return send("seek_by", Request{Ms: (time.Duration(sign) * d).Milliseconds()}), nil
	}
	return send("seek", Request{Ms: d.Milliseconds()}), nil
}

// parseClock reads 90, 1:30 or 1:02:03 (whole seconds, at most MaxSeek).
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

// parseVolume reads 70, or +5 / -5 from now's volume (clamped).
func parseVolume(line []string, now player.Status) (CtlCall, error) {
	arg, err := args1(line)
	if err != nil {
		return CtlCall{}, err
	}
	n, err := strconv.Atoi(arg)
	if err != nil || len(arg) > 4 {
		return CtlCall{}, usagef("ctl vol %s: give a volume %d..%d, or +N / -N", Clip(arg), defaults.MinVolume, defaults.MaxVolume)
	}
	relative := arg[0] == '+' || arg[0] == '-'
	v := n
	if relative {
		v = now.Volume + n
	}
	if v < defaults.MinVolume || v > defaults.MaxVolume {
		if !relative {
			return CtlCall{}, usagef("ctl vol %s: the volume is %d..%d", Clip(arg), defaults.MinVolume, defaults.MaxVolume)
		}
		v = max(defaults.MinVolume, min(defaults.MaxVolume, v))
	}
	cc := send("volume", Request{Value: v})
	cc.Show = ShowVolume
	return cc, nil
}

// parseMute takes no argument; ctl says the volume after it.
func parseMute(line []string, _ player.Status) (CtlCall, error) {
	if len(line) > 1 {
		return CtlCall{}, usagef("ctl %s takes no argument", line[0])
	}
	cc := send("mute", Request{})
	cc.Show = ShowVolume
	return cc, nil
}

// parseShuffle reads on or off; nothing switches it.
func parseShuffle(line []string, now player.Status) (CtlCall, error) {
	if len(line) == 1 {
		return send("shuffle", Request{On: !now.Shuffle}), nil
	}
	arg, err := args1(line)
	if err != nil {
		return CtlCall{}, err
	}
	switch arg {
	case "on":
		return send("shuffle", Request{On: true}), nil
	case "off":
		return send("shuffle", Request{On: false}), nil
	}
	return CtlCall{}, usagef("ctl shuffle %s: give on or off (or nothing: switch it)", Clip(arg))
}

// parseRepeat reads off, all or one.
func parseRepeat(line []string, _ player.Status) (CtlCall, error) {
	arg, err := args1(line)
	if err != nil {
		return CtlCall{}, err
	}
	for r := player.RepeatOff; r <= player.RepeatOne; r++ {
		if arg == r.String() {
			return send("repeat", Request{Value: int(r)}), nil
		}
	}
	return CtlCall{}, usagef("ctl repeat %s: give off, all or one", Clip(arg))
}

// parseBitrate reads a bitrate in kbit/s.
func parseBitrate(line []string, _ player.Status) (CtlCall, error) {
	arg, err := args1(line)
	if err != nil {
		return CtlCall{}, err
	}
	n, err := strconv.ParseUint(arg, 10, 16) // no sign: a bitrate is not a step
	if err != nil || !defaults.ValidBitrate(int(n)) {
		return CtlCall{}, usagef("ctl bitrate %s: give a bitrate of %d to %d kbit/s", Clip(arg), defaults.MinBitrate, defaults.MaxBitrate)
	}
	return send("bitrate", Request{Value: int(n)}), nil
}

// position reads a queue position as `ctl queue` numbers it (from 1) and
// sends cmd with its index.
func position(cmd string) func([]string, player.Status) (CtlCall, error) {
	return func(line []string, _ player.Status) (CtlCall, error) {
		arg, err := args1(line)
		if err != nil {
			return CtlCall{}, err
		}
		n, err := strconv.ParseUint(arg, 10, 31)
		if err != nil || n == 0 {
			return CtlCall{}, usagef("ctl %s %s: give a position in the queue, 1 or more, as ctl queue numbers it", line[0], Clip(arg))
		}
		return send(cmd, Request{Index: int(n) - 1}), nil
	}
}
