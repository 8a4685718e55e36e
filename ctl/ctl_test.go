//go:build unix

package ctl

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

func TestCtl(t *testing.T) {
	r := newRig(t)
	p := r.p
	p.Enqueue(r.tracks("tagged", "a128", "b128"))
	ctl := func(args ...string) string {
		t.Helper()
		out, err := r.ctl(t, nil, args...)
		if err != nil {
			t.Fatalf("ctl %v: %v", args, err)
		}
		return out
	}
	out := ctl("play")
	if !strings.HasPrefix(out, "loading") && !strings.HasPrefix(out, "playing") && !strings.HasPrefix(out, "buffering") {
		t.Errorf("ctl play printed %q", out)
	}
	poll.Until(t, "playing", func() bool { return p.Status().State == player.Playing })
	out = ctl("status")
	tagged := fixtures.Get("tagged")
	label := TrackLabel(player.Track{Title: tagged.Title, Artist: tagged.Artist})
	if !strings.HasPrefix(out, "playing  "+label+"  0:0") || !strings.HasSuffix(out, " / 0:05\n") {
		t.Errorf("ctl status printed %q", out)
	}
	ctl("pause")
	if s := p.Status().State; s != player.Paused {
		t.Errorf("ctl pause: %v", s)
	}
	ctl("toggle")
	if s := p.Status().State; s == player.Paused {
		t.Error("ctl toggle: still paused")
	}
	ctl("next")
	if i := p.Status().Index; i != 1 {
		t.Errorf("ctl next: index %d", i)
	}
	poll.Until(t, "the duration", func() bool { return p.Status().Duration > 0 })
	ctl("seek", "1:30") // past the end of a 20 s track: the next one
	if i := p.Status().Index; i != 2 {
		t.Errorf("ctl seek 1:30 on a 20 s track: index %d, want 2", i)
	}
	ctl("prev")
	if i := p.Status().Index; i != 1 {
		t.Errorf("ctl prev: index %d", i)
	}
	poll.Until(t, "playing", func() bool { return p.Status().State == player.Playing })
	ctl("seek", "12")
	poll.Until(t, "ctl seek 12", func() bool { return p.Status().Position >= 12*time.Second })
	ctl("seek", "-10")
	poll.Until(t, "ctl seek -10", func() bool { return p.Status().Position < 10*time.Second })
	ctl("seek", "+5")
	poll.Until(t, "ctl seek +5", func() bool { return p.Status().Position >= 5*time.Second })
	ctl("vol", "70")
	if v := p.Status().Volume; v != 70 {
		t.Errorf("ctl vol 70: %d", v)
	}
	ctl("vol", "+5")
	if v := p.Status().Volume; v != 75 {
		t.Errorf("ctl vol +5: %d", v)
	}
	ctl("vol", "-80")
	if v := p.Status().Volume; v != 0 {
		t.Errorf("ctl vol -80: %d", v)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(ctl("status", "--json")), &obj); err != nil {
		t.Fatal(err)
	}
	// Playing on: a seek past what is buffered may still be loading the
	// new position when the status is read (seen on a loaded machine).
	if s := obj["state"]; s != "playing" && s != "buffering" && s != "loading" {
		t.Errorf("status --json: state = %v", s)
	}
	for k, want := range map[string]any{"volume": 0.0, "index": 1.0, "queue_length": 3.0, "repeat": "off", "shuffle": false, "duration_seconds": 20.0} {
		if obj[k] != want {
			t.Errorf("status --json: %s = %v, want %v", k, obj[k], want)
		}
	}
	if tr, _ := obj["track"].(map[string]any); tr == nil || tr["name"] != "a128.mp3" {
		t.Errorf("status --json: track = %v", obj["track"])
	}
	if pos, _ := obj["position_seconds"].(float64); pos < 5 {
		t.Errorf("status --json: position_seconds = %v", obj["position_seconds"])
	}
	ctl("stop")
	if s := p.Status().State; s != player.Stopped {
		t.Errorf("ctl stop: %v", s)
	}

	// Mistakes are usage errors and send nothing.
	c := r.dial(t)
	for _, args := range [][]string{nil, {"dance"}, {"seek"}, {"seek", "x"}, {"seek", "1:99"}, {"seek", "+-3"}, {"vol", "101"}, {"vol", "loud"}, {"pause", "now"}, {"status", "--xml"}} {
		err := Run(context.Background(), c, args, &strings.Builder{}, nil)
		if !IsUsage(err) {
			t.Errorf("ctl %q: %v, want a usage error", args, err)
		}
	}
}

// readmeStatusLine is the example line the README gives for `ctl status`
// (in its table: | `status` | one line: `...` |).
func readmeStatusLine(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?m)^\\| `status` \\| one line: `([^`]+)` \\|$").FindSubmatch(b)
	if m == nil {
		t.Fatal("the README has no `status` row in its ctl table")
	}
	return string(m[1])
}

// StatusLine prints exactly what the README documents.
func TestStatusLine(t *testing.T) {
	st := player.Status{State: player.Playing, Index: 0, Track: player.Track{Name: "x.mp3", Title: "Title", Artist: "Artist"},
		Position: 83 * time.Second, Duration: 296 * time.Second}
	if got, want := StatusLine(st), readmeStatusLine(t); got != want {
		t.Errorf("StatusLine = %q, the README shows %q", got, want)
	}
	if got, want := TrackLabel(player.Track{Name: "x.mp3"}), "x"; got != want { // as the library's Songs view titles it
		t.Errorf("TrackLabel without tags = %q, want %q", got, want)
	}
	st.Track = player.Track{Name: "a\x1b[2Jb.mp3"}
	st.Duration = 0
	if got, want := StatusLine(st), "playing  a␛[2Jb  1:23"; got != want { // the one sanitiser: visible, inert
		t.Errorf("StatusLine = %q, want %q", got, want)
	}
	if got := StatusLine(player.Status{Index: -1}); got != "stopped" {
		t.Errorf("StatusLine(empty) = %q", got)
	}
}
