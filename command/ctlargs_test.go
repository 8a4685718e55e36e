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
		{"rescan", CtlCall{Call: Call{Cmd: "rescan"}}},
		{"seek +10", CtlCall{Call: Call{"seek_by", Request{Ms: 10_000}}}},
		{"seek -1:00", CtlCall{Call: Call{"seek_by", Request{Ms: -60_000}}}},
		{"seek 1:30", CtlCall{Call: Call{"seek", Request{Ms: 90_000}}}},
		{"vol 70", CtlCall{Call: Call{"volume", Request{Value: 70}}, Show: ShowVolume}},
		{"volume +5", CtlCall{Call: Call{"volume", Request{Value: 55}}, Show: ShowVolume}},
		{"vol -80", CtlCall{Call: Call{"volume", Request{Value: 0}}, Show: ShowVolume}},
		{"vol +80", CtlCall{Call: Call{"volume", Request{Value: 100}}, Show: ShowVolume}},
		{"status", CtlCall{Show: ShowStatus}},
		{"status --json", CtlCall{Show: ShowStatusJSON}},
		{"queue -json", CtlCall{Show: ShowQueueJSON}},
		{"add /Music", CtlCall{Call: Call{Cmd: "enqueue"}, Load: &Load{"/Music", "Added"}}},
		{"play playlist:Mine", CtlCall{Call: Call{Cmd: "replace"}, Load: &Load{"playlist:Mine", "Playing"}}},
		{"shuffle", CtlCall{Call: Call{"shuffle", Request{On: true}}}}, // now: off
		{"shuffle on", CtlCall{Call: Call{"shuffle", Request{On: true}}}},
		{"shuffle off", CtlCall{Call: Call{"shuffle", Request{On: false}}}},
		{"repeat off", CtlCall{Call: Call{"repeat", Request{Value: int(player.RepeatOff)}}}},
		{"repeat all", CtlCall{Call: Call{"repeat", Request{Value: int(player.RepeatAll)}}}},
		{"repeat one", CtlCall{Call: Call{"repeat", Request{Value: int(player.RepeatOne)}}}},
		{"bitrate 16", CtlCall{Call: Call{"bitrate", Request{Value: 16}}}},
		{"bitrate 320", CtlCall{Call: Call{"bitrate", Request{Value: 320}}}},
		{"jump 1", CtlCall{Call: Call{"play_index", Request{Index: 0}}}},
		{"remove 3", CtlCall{Call: Call{"remove", Request{Index: 2}}}},
	} {
		got, err := ParseCtl(strings.Fields(tc.line), now)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ctl %s: %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
	}
	for _, line := range []string{"", "dance", "seek", "seek x", "seek 1:99", "seek +-3", "vol 101", "vol loud", "pause now",
		"status --xml", "queue --xml", "add", "add Music", "play a b", "add playlist:", "clear all", "mute on",
		"shuffle maybe", "shuffle on off", "repeat", "repeat 2", "repeat ONE", "bitrate", "bitrate 15", "bitrate 321", "bitrate fast",
		"bitrate +64", "jump", "jump 0", "jump -1", "jump x", "jump 99999999999", "remove", "remove 0", "remove 1 2"} {
		_, err := ParseCtl(strings.Fields(line), now)
		var ue *UsageError
		if !errors.As(err, &ue) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ctl %q: %v, want a usage error of one line", line, err)
		}
	}
}

// shuffle without an argument switches it.
func TestCtlShuffleSwitches(t *testing.T) {
	got, err := ParseCtl([]string{"shuffle"}, player.Status{Shuffle: true})
	if err != nil || got.Cmd != "shuffle" || got.On {
		t.Errorf("ctl shuffle when on: %+v, %v", got, err)
	}
}
