//go:build unix

package ctl

import (
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

// shuffle, repeat, bitrate, jump and remove reach the player and print
// the status after them.
func TestCtlModesAndPositions(t *testing.T) {
	r := newRig(t)
	p := r.p
	p.Enqueue(r.tracks("a128", "b128", "tagged"))
	var states []string
	for s := player.Stopped; s <= player.Waiting; s++ {
		states = append(states, s.String())
	}
	ctl := func(args ...string) string {
		t.Helper()
		out, err := r.ctl(t, nil, args...)
		if err != nil {
			t.Fatalf("ctl %v: %v", args, err)
		}
		state, _, _ := strings.Cut(out, "  ")
		if strings.Count(out, "\n") != 1 || !slices.Contains(states, strings.TrimSpace(state)) {
			t.Errorf("ctl %v printed %q, want the status line", args, out)
		}
		return out
	}

	ctl("shuffle", "on")
	if !p.Status().Shuffle {
		t.Error("ctl shuffle on: shuffle is off")
	}
	ctl("shuffle")
	if p.Status().Shuffle {
		t.Error("ctl shuffle when on did not switch it off")
	}
	ctl("shuffle")
	if !p.Status().Shuffle {
		t.Error("ctl shuffle when off did not switch it on")
	}
	ctl("shuffle", "off")
	if p.Status().Shuffle {
		t.Error("ctl shuffle off: shuffle is on")
	}
	for _, mode := range []player.Repeat{player.RepeatOne, player.RepeatAll, player.RepeatOff} {
		ctl("repeat", mode.String())
		if got := p.Status().Repeat; got != mode {
			t.Errorf("ctl repeat %s: repeat %s", mode, got)
		}
	}
	ctl("bitrate", "64")
	if b := p.Status().Bitrate; b != 64 {
		t.Errorf("ctl bitrate 64: bitrate %d", b)
	}

	out := ctl("jump", "2")
	if i := p.Status().Index; i != 1 {
		t.Errorf("ctl jump 2: index %d, want 1", i)
	}
	if !strings.Contains(out, "b128") {
		t.Errorf("ctl jump 2 printed %q, want the second track", out)
	}
	poll.Until(t, "playing", func() bool { return p.Status().State == player.Playing })
	ctl("remove", "3") // as ctl queue numbers them: the third, tagged
	if q := p.Queue(); len(q) != 2 || q[0].Name != "a128.mp3" || q[1].Name != "b128.mp3" {
		t.Errorf("ctl remove 3: queue %v", q)
	}
	if st := p.Status(); st.Index != 1 || st.State != player.Playing {
		t.Errorf("removing another track changed the playing one: %+v", st)
	}
	// Past the end: the player's answer, in the status line.
	if out := ctl("jump", "9"); !strings.Contains(out, "(There is no track 9 in the queue.)") {
		t.Errorf("ctl jump 9 of 2 printed %q", out)
	}

	// Mistakes are usage errors and change nothing.
	before := p.Status()
	for _, args := range [][]string{{"shuffle", "maybe"}, {"repeat"}, {"repeat", "2"}, {"bitrate", "8"}, {"bitrate", "321"},
		{"jump", "0"}, {"remove", "x"}, {"remove", "1", "2"}} {
		if _, err := r.ctl(t, nil, args...); !IsUsage(err) {
			t.Errorf("ctl %q: %v, want a usage error", args, err)
		}
	}
	if st, q := p.Status(), p.Queue(); st.Shuffle != before.Shuffle || st.Repeat != before.Repeat || st.Bitrate != before.Bitrate || len(q) != 2 {
		t.Errorf("refused commands changed the player: %+v, queue of %d", st, len(q))
	}
}
