package e2e

import "testing"

// The screen readers the terminal tests rely on.
func TestNowPlayingParse(t *testing.T) {
	cases := []struct {
		screen      string
		state       string
		elapsed     int
		duration    int
		ok          bool
		statusMatch bool
	}{
		{"x\n▶ Playing  Demo – Song 3                                0:07 / 1:24\n──", "Playing", 7, 84, true, true},
		{"⏸ Paused  b128.mp3                                 12:11", "Paused", 731, -1, true, true},
		{"■ Stopped · nothing playing", "", 0, 0, false, true},
		{"› ♪ a128.mp3   313.5 KB│ 0:20", "", 0, 0, false, false},
	}
	for _, c := range cases {
		st, e, d, ok := nowPlaying(c.screen)
		if st != c.state || e != c.elapsed || d != c.duration || ok != c.ok {
			t.Errorf("nowPlaying(%q) = %q %d %d %v, want %q %d %d %v", c.screen, st, e, d, ok, c.state, c.elapsed, c.duration, c.ok)
		}
		if got := statusLine(c.screen) != ""; got != c.statusMatch {
			t.Errorf("statusLine(%q) found=%v, want %v", c.screen, got, c.statusMatch)
		}
	}
}

func TestRestoredErr(t *testing.T) {
	good := "\x1b[?1049h\x1b[?25l\x1b[Hframe\x1b[?25h\x1b[?1049lbye\r\n"
	if err := restoredErr(good); err != nil {
		t.Errorf("a restored terminal refused: %v", err)
	}
	for name, out := range map[string]string{
		"alt screen kept":     "\x1b[?1049h\x1b[?25lframe\x1b[?25h",
		"cursor hidden":       "\x1b[?1049h\x1b[?25lframe\x1b[?1049l",
		"hidden again":        "\x1b[?1049h\x1b[?25h\x1b[?1049l\x1b[?25l",
		"drawing after":       "\x1b[?1049h\x1b[?25h\x1b[?1049l\x1b[2Jframe",
		"alt screen re-entry": "\x1b[?1049h\x1b[?25h\x1b[?1049l\x1b[?1049h",
	} {
		if restoredErr(out) == nil {
			t.Errorf("%s: accepted %q", name, out)
		}
	}
}
