package command

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/player"
)

// MinSleep is the shortest sleep timer ctl sets (the fade takes
// player.SleepFade of it; a shorter one fades over all of it).
const MinSleep = time.Second

// checkSleep: a sleep timer is 0 (none) or up to player.MaxSleep.
func checkSleep(_ string, r Request) error {
	if r.Ms < 0 || r.Ms > player.MaxSleep.Milliseconds() {
		return fmt.Errorf("sleep in %d ms: a sleep timer is 0 (none) to %d ms (%v)", r.Ms, player.MaxSleep.Milliseconds(), player.MaxSleep)
	}
	return nil
}

// parseSleep reads ctl sleep's argument: 30m, 90s, 1h, 1h30m, a bare
// number of minutes, or off (also 0); none: show the time left.
func parseSleep(line []string, _ player.Status) (CtlCall, error) {
	if len(line) == 1 {
		return CtlCall{Show: ShowSleep}, nil
	}
	arg, err := args1(line)
	if err != nil {
		return CtlCall{}, err
	}
	d, ok := ParseSleep(arg)
	if !ok {
		return CtlCall{}, usagef("ctl sleep %s: give a time such as 30m, 90s, 1h or 1h30m (a bare number: minutes), from %v to %v, or off", Clip(arg), MinSleep, player.MaxSleep)
	}
	c := send("sleep", Request{Ms: d.Milliseconds()})
	c.Show = ShowSleep
	return c, nil
}

// ParseSleep reads a sleep timer as a person writes it: "30m", "90s",
// "1h", "1h30m", "45" (minutes); "off" or "0" is 0, no sleep timer. ok is
// false for anything else, or for a time under MinSleep or over
// player.MaxSleep.
func ParseSleep(s string) (d time.Duration, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "off", "0", "none", "cancel":
		return 0, true
	case "":
		return 0, false
	}
	if len(s) > 20 {
		return 0, false
	}
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		d = time.Duration(n) * time.Minute
	} else {
		if strings.ContainsAny(s, "+-.") || strings.Contains(s, "ms") || strings.ContainsAny(s, "uµn") {
			return 0, false // whole hours, minutes and seconds only
		}
		if d, err = time.ParseDuration(s); err != nil {
			return 0, false
		}
	}
	if d < MinSleep || d > player.MaxSleep {
		return 0, false
	}
	return d, true
}
