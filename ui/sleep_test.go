package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

// z steps the sleep timer through 15, 30, 45, 60 and 90 min and off, shown
// at once in the now-playing bar and said in the status line; the bar
// then counts down with the player's reports, and a timer set elsewhere
// (pcplay ctl sleep) is shown the same way, z stepping on from it.
func TestSleepKeyAndCountdown(t *testing.T) {
	h, _ := browse(t, 100, 24, Options{})
	now := time.Date(2026, 1, 2, 23, 0, 0, 0, time.UTC)
	h.m.s.bar.now = func() time.Time { return now }
	tr := player.Track{FileID: 9, Name: "x.mp3", Title: "X", Artist: "Y"}
	st := player.Status{State: player.Playing, Index: 0, Track: tr, Duration: 200 * time.Second, Volume: 70, Bitrate: 192, QueueGen: 1}
	h.status(st, []player.Track{tr})
	h.p.take()
	if sc := noStyle(h.m); strings.Contains(sc, "sleep ") {
		t.Fatalf("a sleep shown with none set:\n%s", sc)
	}

	var calls []string
	for _, want := range []string{"15:00", "30:00", "45:00", "1:00:00", "1:30:00"} {
		h.keys("z")
		wantScreen(t, h, "sleep "+want, "Sleep in ")
		calls = append(calls, h.p.take()...)
		now = now.Add(time.Second) // a second between the presses: steps still go up
	}
	h.keys("z")
	wantScreen(t, h, "Sleep timer off")
	if sc := noStyle(h.m); strings.Contains(sc, "sleep ") {
		t.Fatalf("a sleep shown after z turned it off:\n%s", sc)
	}
	calls = append(calls, h.p.take()...)
	want := []string{"SetSleep(15m0s)", "SetSleep(30m0s)", "SetSleep(45m0s)", "SetSleep(1h0m0s)", "SetSleep(1h30m0s)", "SetSleep(0s)"}
	if !slices.Equal(calls, want) {
		t.Fatalf("z called %q, want %q", calls, want)
	}

	// The player's countdown (a sleep set by ctl), once the asked value
	// is old.
	now = now.Add(askedFor)
	st.SleepAt, st.SleepIn = now.Add(12*time.Minute+30*time.Second), 12*time.Minute+30*time.Second
	h.status(st, nil)
	wantScreen(t, h, "sleep 12:30")
	st.SleepIn -= time.Second
	h.status(st, nil)
	wantScreen(t, h, "sleep 12:29")
	h.keys("z") // 12:29 left: the next step is 15 min
	wantCalls(t, h.p, "SetSleep(15m0s)")

	// Narrow: the short settings keep it.
	h.send(tea.WindowSizeMsg{Width: 44, Height: 24})
	wantScreen(t, h, "sleep 15:00")
}
