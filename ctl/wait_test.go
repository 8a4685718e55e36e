//go:build unix

package ctl

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

// While the player waits for pCloud, `ctl status` says why and when it
// tries again, in the line and in --json (through the engine's socket:
// pCloud is down when the track starts).
func TestStatusSaysWhyItWaits(t *testing.T) {
	r := newRig(t)
	r.srv.Down()
	r.p.Enqueue(r.tracks("a128"))
	r.p.Play()
	poll.Until(t, "the wait for pCloud", func() bool { return r.p.Status().State == player.Waiting })

	out, err := r.ctl(t, nil, "status")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "waiting  a128  0:00  (pCloud unreachable, retrying ") || !strings.Contains(out, ": Can't reach pCloud") {
		t.Errorf("ctl status while waiting printed %q, want the countdown and the reason", out)
	}
	out, err = r.ctl(t, nil, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var o StatusObject
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatal(err)
	}
	if o.State != "waiting" || !strings.HasPrefix(o.Reason, "Can't reach pCloud") || o.RetryInSeconds == nil || *o.RetryInSeconds < 0 || *o.RetryInSeconds > 5 {
		t.Errorf("ctl status --json while waiting: %s", out)
	}
	r.srv.Up()
	poll.Until(t, "playing once pCloud is back", func() bool { return r.p.Status().State == player.Playing })
	if out, _ := r.ctl(t, nil, "status", "--json"); strings.Contains(out, "reason") || strings.Contains(out, "retry_in") {
		t.Errorf("ctl status --json while playing: %s", out)
	}
}

// The wait's words: the countdown rounded up, "now" at zero, the reason
// made inert for a terminal.
func TestWaitText(t *testing.T) {
	st := player.Status{State: player.Waiting, Index: -1, RetryIn: 2500 * time.Millisecond, Reason: "Can't reach pCloud: \x1b]52;c;eA==\a."}
	if got, want := StatusLine(st), "waiting  (pCloud unreachable, retrying in 3 s: Can't reach pCloud: ␛]52;c;eA==␇.)"; got != want {
		t.Errorf("StatusLine = %q, want %q", got, want)
	}
	st.RetryIn = 0
	if got := StatusLine(st); !strings.HasPrefix(got, "waiting  (pCloud unreachable, retrying now: ") {
		t.Errorf("StatusLine = %q", got)
	}
	if o := StatusJSON(st, 0); o.RetryInSeconds == nil || *o.RetryInSeconds != 0 || o.Reason != st.Reason {
		t.Errorf("StatusJSON = %+v", o)
	}
}
