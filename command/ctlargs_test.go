package command

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

func TestParseClock(t *testing.T) {
	for in, want := range map[string]time.Duration{"0": 0, "90": 90 * time.Second, "1:30": 90 * time.Second, "1:02:03": 3723 * time.Second, "0:05": 5 * time.Second} {
		if got, ok := parseClock(in); !ok || got != want {
			t.Errorf("parseClock(%q) = %v, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", ":", "1:", ":30", "1:60", "1:2:3:4", "-1", "+1", "1.5", "999999999", "1e3"} {
		if _, ok := parseClock(in); ok {
			t.Errorf("parseClock(%q) accepted", in)
		}
	}
}

func TestParseCtl(t *testing.T) {
	now := player.Status{Volume: 50}
	for _, tc := range []struct {
		line string
		want CtlCall
	}{
		{"play", CtlCall{Call: Call{Cmd: "play"}}},
		{"pause", CtlCall{Call: Call{Cmd: "pause"}}},
		{"stop", CtlCall{Call: Call{Cmd: "stop"}}},
		{"seek +10", CtlCall{Call: Call{"seek_by", Request{Ms: 10_000}}}},
		{"seek -1:00", CtlCall{Call: Call{"seek_by", Request{Ms: -60_000}}}},
		{"seek 1:30", CtlCall{Call: Call{"seek", Request{Ms: 90_000}}}},
		{"vol 70", CtlCall{Call: Call{"volume", Request{Value: 70}}}},
		{"volume +5", CtlCall{Call: Call{"volume", Request{Value: 55}}}},
		{"vol -80", CtlCall{Call: Call{"volume", Request{Value: 0}}}},
		{"vol +80", CtlCall{Call: Call{"volume", Request{Value: 100}}}},
		{"status", CtlCall{Show: ShowStatus}},
		{"status --json", CtlCall{Show: ShowStatusJSON}},
		{"queue -json", CtlCall{Show: ShowQueueJSON}},
		{"add /Music", CtlCall{Call: Call{Cmd: "enqueue"}, Load: &Load{"/Music", "Added"}}},
		{"play playlist:Mine", CtlCall{Call: Call{Cmd: "replace"}, Load: &Load{"playlist:Mine", "Playing"}}},
	} {
		got, err := ParseCtl(strings.Fields(tc.line), now)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ctl %s: %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
	}
	for _, line := range []string{"", "dance", "seek", "seek x", "seek 1:99", "seek +-3", "vol 101", "vol loud", "pause now",
		"status --xml", "queue --xml", "add", "add Music", "play a b", "add playlist:", "clear all", "mute on"} {
		_, err := ParseCtl(strings.Fields(line), now)
		var ue *UsageError
		if !errors.As(err, &ue) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ctl %q: %v, want a usage error of one line", line, err)
		}
	}
}
