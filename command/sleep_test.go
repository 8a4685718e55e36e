package command

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

func TestParseSleep(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"30m": 30 * time.Minute, "90s": 90 * time.Second, "1h": time.Hour, "1h30m": 90 * time.Minute,
		"45": 45 * time.Minute, "24h": 24 * time.Hour, "1s": time.Second, "OFF": 0, "off": 0, "0": 0,
	} {
		if got, ok := ParseSleep(in); !ok || got != want {
			t.Errorf("ParseSleep(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "soon", "-5m", "+5m", "1.5h", "500ms", "0.5s", "25h", "1441", "10us", "1d", "30 m", "9999999999999999999999"} {
		if d, ok := ParseSleep(in); ok {
			t.Errorf("ParseSleep(%q) accepted as %v", in, d)
		}
	}
}

func TestCtlSleep(t *testing.T) {
	for _, tc := range []struct {
		line string
		want CtlCall
	}{
		{"sleep", CtlCall{Show: ShowSleep}},
		{"sleep 30m", CtlCall{Call: Call{"sleep", Request{Ms: 30 * 60_000}}, Show: ShowSleep}},
		{"sleep 90s", CtlCall{Call: Call{"sleep", Request{Ms: 90_000}}, Show: ShowSleep}},
		{"sleep off", CtlCall{Call: Call{"sleep", Request{}}, Show: ShowSleep}},
	} {
		got, err := ParseCtl(strings.Fields(tc.line), player.Status{})
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ctl %s: %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
	}
	for _, line := range []string{"sleep soon", "sleep 30m 10s", "sleep -1", "sleep 48h"} {
		_, err := ParseCtl(strings.Fields(line), player.Status{})
		var ue *UsageError
		if !errors.As(err, &ue) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ctl %q: %v, want a usage error of one line", line, err)
		}
	}
	// The command reaches the target; one out of bounds is refused.
	rec := &recorder{}
	if _, err := Run(rec, "sleep", Request{Ms: 90_000}); err != nil || !reflect.DeepEqual(rec.calls, []string{"SetSleep 1m30s"}) {
		t.Errorf("sleep 90000 ms: %v, calls %v", err, rec.calls)
	}
	for _, ms := range []int64{-1, player.MaxSleep.Milliseconds() + 1} {
		_, err := Run(rec, "sleep", Request{Ms: ms})
		var re *RefusedError
		if !errors.As(err, &re) {
			t.Errorf("sleep %d ms: %v, want refused", ms, err)
		}
	}
}
