//go:build unix

package ctl

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// ctl sleep 30m sets the engine's sleep timer: ctl sleep, ctl status and
// status --json show the time left; ctl sleep off clears it.
func TestCtlSleep(t *testing.T) {
	r := newRig(t)
	r.p.Enqueue(r.tracks("a128"))
	ctl := func(args ...string) string {
		t.Helper()
		out, err := r.ctl(t, nil, args...)
		if err != nil {
			t.Fatalf("ctl %v: %v", args, err)
		}
		return out
	}
	if out := ctl("sleep"); out != "no sleep timer\n" {
		t.Errorf("ctl sleep with none set printed %q", out)
	}
	out := ctl("sleep", "30m")
	if !regexp.MustCompile(`^sleep (30:00|29:5\d) \(pauses at \d\d:\d\d\)\n$`).MatchString(out) {
		t.Errorf("ctl sleep 30m printed %q, want sleep 30:00 (pauses at HH:MM)", out)
	}
	if at := r.p.Status().SleepAt; time.Until(at) < 29*time.Minute || time.Until(at) > 30*time.Minute {
		t.Errorf("after ctl sleep 30m the player sleeps at %v, in %v", at, time.Until(at))
	}
	if out := ctl("status"); !regexp.MustCompile(`  sleep (30:00|29:5\d)\n$`).MatchString(out) {
		t.Errorf("ctl status printed %q, want it to end with the sleep timer", out)
	}
	var js map[string]any
	if err := json.Unmarshal([]byte(ctl("status", "--json")), &js); err != nil {
		t.Fatal(err)
	}
	if s, _ := js["sleep_seconds"].(float64); s < 29*60 || s > 30*60 {
		t.Errorf("status --json: sleep_seconds %v, want about 1800", js["sleep_seconds"])
	}

	if out := ctl("sleep", "off"); out != "no sleep timer\n" {
		t.Errorf("ctl sleep off printed %q", out)
	}
	if !r.p.Status().SleepAt.IsZero() {
		t.Error("ctl sleep off left the sleep timer set")
	}
	if out := ctl("status"); strings.Contains(out, "sleep") {
		t.Errorf("ctl status after sleep off printed %q", out)
	}
	js = nil
	if err := json.Unmarshal([]byte(ctl("status", "--json")), &js); err != nil {
		t.Fatal(err)
	}
	if _, ok := js["sleep_seconds"]; ok {
		t.Errorf("status --json after sleep off has sleep_seconds: %v", js)
	}
}
