//go:build unix

package ctl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

func TestCtlQueueCommands(t *testing.T) {
	r := newRig(t)
	p := r.p
	lib := map[string][]player.Track{
		"/Music":        r.tracks("a128", "b128"),
		"playlist:Mine": r.tracks("tagged"),
	}
	resolve := func(_ context.Context, target string) ([]player.Track, error) {
		if ts, ok := lib[target]; ok {
			return ts, nil
		}
		return nil, errors.New("there is no " + target + " in your pCloud")
	}
	ctl := func(args ...string) (string, error) {
		t.Helper()
		return r.ctl(t, resolve, args...)
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := ctl(args...)
		if err != nil {
			t.Fatalf("ctl %v: %v", args, err)
		}
		return out
	}

	out := must("add", "/Music")
	if !strings.HasPrefix(out, "Added 2 tracks from /Music.\n") || len(p.Queue()) != 2 {
		t.Fatalf("ctl add /Music printed %q; queue %v", out, p.Queue())
	}
	out = must("play", "playlist:Mine")
	if !strings.HasPrefix(out, "Playing 1 track from playlist:Mine.\n") {
		t.Errorf("ctl play playlist:Mine printed %q", out)
	}
	if q := p.Queue(); len(q) != 1 || q[0].Name != "tagged.mp3" {
		t.Fatalf("ctl play did not replace the queue: %v", q)
	}
	poll.Until(t, "the playlist playing", func() bool { return p.Status().State == player.Playing })
	must("add", "/Music")
	poll.Until(t, "the duration noted", func() bool { return p.Queue()[0].Duration > 0 })

	out = must("queue")
	// Untagged: named as the library's Songs view titles them.
	want := "▶ 1. Tagged Artist – Tagged Title  0:05\n  2. a128\n  3. b128\n"
	if lines := strings.Split(out, "\n"); len(lines) != 4 || !strings.HasPrefix(lines[0], "▶ 1. ") || !strings.HasSuffix(lines[0], "  0:05") || lines[1] != "  2. a128" || lines[2] != "  3. b128" {
		t.Errorf("ctl queue printed %q, want the shape of %q", out, want)
	}
	var entries []QueueEntry
	if err := json.Unmarshal([]byte(must("queue", "--json")), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || !entries[0].Playing || entries[1].Playing || entries[0].DurationSeconds != 5 || entries[2].Position != 3 || entries[2].Name != "b128.mp3" {
		t.Errorf("ctl queue --json: %+v", entries)
	}

	// mute and vol say the volume after the status line.
	if out := must("mute"); !p.Status().Muted || !strings.HasSuffix(out, fmt.Sprintf("\nvolume %d%% (muted)\n", p.Status().Volume)) {
		t.Errorf("ctl mute printed %q (muted %v)", out, p.Status().Muted)
	}
	if out := must("mute"); p.Status().Muted || !strings.HasSuffix(out, fmt.Sprintf("\nvolume %d%%\n", p.Status().Volume)) {
		t.Errorf("a second ctl mute printed %q (muted %v)", out, p.Status().Muted)
	}
	if out := must("vol", "42"); !strings.HasSuffix(out, "\nvolume 42%\n") {
		t.Errorf("ctl vol 42 printed %q", out)
	}
	must("clear")
	if len(p.Queue()) != 0 {
		t.Errorf("ctl clear left %d tracks", len(p.Queue()))
	}
	if out := must("queue"); out != "" {
		t.Errorf("ctl queue of an empty queue printed %q", out)
	}

	if _, err := ctl("add", "/Nowhere"); err == nil || IsUsage(err) || !strings.Contains(err.Error(), "no /Nowhere") {
		t.Errorf("ctl add of a missing path: %v, want the resolver's sentence (exit 1)", err)
	}
	for _, args := range [][]string{{"add"}, {"add", "Music"}, {"play", "a", "b"}, {"add", "playlist:"}, {"queue", "--xml"}, {"clear", "all"}, {"mute", "on"}} {
		if _, err := ctl(args...); !IsUsage(err) {
			t.Errorf("ctl %q: %v, want a usage error", args, err)
		}
	}
	if len(p.Queue()) != 0 {
		t.Errorf("a refused ctl changed the queue: %v", p.Queue())
	}
}
