//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/poll"
)

// The engine (as the service runs it) with resume_playing = true plays a
// session left playing on from its second; ctl sleep 30m sets its sleep
// timer, ctl status and status --json show it, ctl sleep off clears it.
func TestResumePlayingAndCtlSleep(t *testing.T) {
	w := newEngineWorld(t)
	w.saveSession()
	sess, err := config.LoadSession(w.sessionFile())
	if err != nil {
		t.Fatal(err)
	}
	sess.Playing = true
	if err := config.SaveSession(w.sessionFile(), sess); err != nil {
		t.Fatal(err)
	}
	cfg := w.path("config", "pcplay", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("resume_playing = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.startEngine()
	poll.Until(t, "the engine playing the session on", func() bool { return w.status().State == "playing" })
	if st := w.status(); st.Index != 0 || st.PositionSeconds < 2 {
		t.Errorf("resumed at track %d, %v s; want the first track from 2 s", st.Index, st.PositionSeconds)
	}

	if out := w.ctl("sleep", "30m"); !regexp.MustCompile(`^sleep (30:00|29:[0-5]\d) \(pauses at \d\d:\d\d\)\n$`).MatchString(out) {
		t.Errorf("ctl sleep 30m printed %q", out)
	}
	if out := w.ctl("status"); !regexp.MustCompile(`  sleep (30:00|29:[0-5]\d)\n$`).MatchString(out) {
		t.Errorf("ctl status printed %q, want it to end with the sleep timer", out)
	}
	if s := w.status().SleepSeconds; s < 29*60 || s > 30*60 {
		t.Errorf("status --json: sleep_seconds %d, want about 1800", s)
	}
	if out := w.ctl("sleep"); !strings.HasPrefix(out, "sleep ") {
		t.Errorf("ctl sleep printed %q, want the time left", out)
	}
	if out := w.ctl("sleep", "off"); out != "no sleep timer\n" {
		t.Errorf("ctl sleep off printed %q", out)
	}
	if out := w.ctl("status"); strings.Contains(out, "sleep") {
		t.Errorf("ctl status after sleep off printed %q", out)
	}
	if s := w.status().SleepSeconds; s != 0 {
		t.Errorf("status --json after sleep off: sleep_seconds %d", s)
	}
	if _, errs, code := w.pcplay("ctl", "sleep", "soon"); code != 2 || !strings.Contains(errs, "30m") {
		t.Errorf("ctl sleep soon: exit %d, %q; want 2 and the forms it takes", code, errs)
	}
}
