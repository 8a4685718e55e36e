package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

// sleepSteps are the sleep timers the sleep key (z) steps through: each
// press sets the next one above the time left, after the last one off
// (off, 15, 30, 45, 60, 90 min, off, ...), as a TV's sleep button does.
var sleepSteps = []time.Duration{15 * time.Minute, 30 * time.Minute, 45 * time.Minute, time.Hour, 90 * time.Minute}

// nextSleepStep is the sleep timer after one whose time left is left (0:
// none), in whole minutes rounded up (a 15 min timer just set, 14:59 left,
// steps to 30); 0: off.
func nextSleepStep(left time.Duration) time.Duration {
	left = (left + time.Minute - 1).Truncate(time.Minute)
	for _, d := range sleepSteps {
		if d > left {
			return d
		}
	}
	return 0
}

// nextSleep sets the next sleep timer, shows it at once (the player's next
// status confirms it) and says so.
func (b *statusBar) nextSleep() tea.Cmd {
	now := b.now()
	left := time.Duration(0)
	if !b.st.SleepAt.IsZero() {
		left = b.st.SleepAt.Sub(now)
	}
	d := nextSleepStep(left)
	var at time.Time
	said := "Sleep timer off"
	if d > 0 {
		at = now.Add(d)
		said = fmt.Sprintf("Sleep in %d min: the music fades out and pauses (z: longer, then off)", int(d/time.Minute))
	}
	b.sleepAt.set(at, now)
	b.st.SleepAt, b.st.SleepIn = at, sleepIn(at, now)
	return tea.Batch(b.e.player.call(func(p player.Controller) { p.SetSleep(d) }), b.show(said, false))
}

// sleepIn is the countdown to at, in whole seconds rounded up, as the
// player reports it (0 when at is zero).
func sleepIn(at, now time.Time) time.Duration {
	if at.IsZero() {
		return 0
	}
	return max(0, at.Sub(now)+time.Second-1).Truncate(time.Second)
}

// sleepText is the sleep timer in the now-playing bar: "sleep 12:30";
// "" when none is set.
func sleepText(st player.Status) string {
	if st.SleepAt.IsZero() {
		return ""
	}
	return "sleep " + player.Clock(st.SleepIn)
}
