package mpd_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/mpd"
)

// With PCPLAY_MPD_FINDBENCH set, on the demo's big world (10,000
// tracks): find and search whose conditions the index runs, against the
// same questions as regular expressions, which read the whole index (what
// every find did before); the answers must be the same.
func TestFindFigures(t *testing.T) {
	if os.Getenv("PCPLAY_MPD_FINDBENCH") == "" {
		t.Skip("figures: set PCPLAY_MPD_FINDBENCH=1")
	}
	w := newWorldIn(t, "big", mpd.Options{}, nil)
	c := w.dial()
	artist := fields(c.do("find \"(title != '')\" window 5000:5001"))["Artist"]
	if artist == "" {
		t.Fatal("no artist")
	}
	esc := strings.NewReplacer(`\`, `\\\\`, `'`, `\\'`, `"`, `\"`).Replace
	re := strings.NewReplacer(`\`, `\\`, `.`, `\.`, `(`, `\(`, `)`, `\)`, `[`, `\[`, `+`, `\+`, `*`, `\*`, `?`, `\?`, `^`, `\^`, `$`, `\$`, `|`, `\|`, `{`, `\{`).Replace
	for _, x := range []struct{ name, indexed, whole string }{
		{"find artist", `find "(Artist == '` + esc(artist) + `')"`, `find "(Artist =~ '^` + esc(re(artist)) + `$')"`},
		{"search title night", `search "(Title contains 'night')"`, `search "(Title =~ 'night')"`},
		{"count artist", `count "(Artist == '` + esc(artist) + `')"`, `count "(Artist =~ '^` + esc(re(artist)) + `$')"`},
	} {
		const n = 5
		var ans [2]string
		var took [2]time.Duration
		for i, q := range []string{x.indexed, x.whole} {
			start := time.Now()
			for range n {
				ans[i] = c.do(q)
			}
			took[i] = time.Since(start) / n
		}
		if ans[0] != ans[1] || !strings.HasSuffix(ans[0], "OK\n") {
			t.Errorf("%s: the answers differ (%d and %d bytes): %.200q / %.200q", x.name, len(ans[0]), len(ans[1]), ans[0], ans[1])
		}
		t.Logf("%s: %v indexed, %v reading the whole index (%.1fx), %d lines", x.name, took[0], took[1], float64(took[1])/float64(took[0]), strings.Count(ans[0], "\n"))
	}
}

// The conditions the index runs answer as the same questions asked as
// regular expressions (which the server tests on every track).
func TestFindIndexedSameAnswers(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	c := w.dial()
	for _, x := range [][2]string{
		{`find "(Artist == 'Demo Artist')"`, `find "(Artist =~ '^Demo Artist$')"`},
		{`find artist "Demo Artist" album "First Album"`, `find "((Artist =~ '^Demo Artist$') AND (Album =~ '^First Album$'))"`},
		{`search artist "demo"`, `search "(Artist =~ 'demo')"`},
		{`search "((Album contains 'BOX') AND (Genre == 'ambient'))"`, `search "((Album =~ 'box') AND (Genre =~ '^ambient$'))"`},
		{`find filename "Drift.mp3"`, `find "(filename =~ '^Drift\\\\.mp3$')"`},
		{`count genre Ambient`, `count "(Genre =~ '^Ambient$')"`},
		{`count genre Ambient group artist`, `count "(Genre =~ '^Ambient$')" group artist`},
		{`list album "(Artist == 'Demo Artist')"`, `list album "(Artist =~ '^Demo Artist$')"`},
		{`find "((Artist == 'Demo Artist') AND (!(Title == 'Slow Pad')))"`, `find "((Artist =~ '^Demo Artist$') AND (Title !~ '^Slow Pad$'))"`},
	} {
		a, b := c.do(x[0]), c.do(x[1])
		if a != b || !strings.HasSuffix(a, "OK\n") || strings.Count(a, "\n") < 2 {
			t.Errorf("%s:\n%q\n%s:\n%q", x[0], a, x[1], b)
		}
	}
}
