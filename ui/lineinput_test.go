package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

// Every text input edits alike (the bubbles textinput): ←/→, home/end,
// ctrl+a/e, ctrl+u/w/k, delete; they only took characters and backspace.
func TestTextInputsEdit(t *testing.T) {
	edit := func(t *testing.T, apply func(keys ...string), typ func(string), value func() string) {
		t.Helper()
		typ("love song")
		apply("left", "left", "left", "left")
		typ("ly")
		if v := value(); v != "love lysong" {
			t.Fatalf("←×4 then ly: %q", v)
		}
		apply("home")
		typ("I ")
		apply("ctrl+e")
		typ("!")
		if v := value(); v != "I love lysong!" {
			t.Fatalf("home, ctrl+e: %q", v)
		}
		apply("ctrl+w")
		if v := value(); v != "I love " {
			t.Fatalf("ctrl+w: %q", v)
		}
		apply("ctrl+a", "delete", "end", "backspace")
		if v := value(); v != " love" {
			t.Fatalf("ctrl+a delete end backspace: %q", v)
		}
		apply("left", "ctrl+k")
		if v := value(); v != " lov" {
			t.Fatalf("ctrl+k: %q", v)
		}
		apply("ctrl+u")
		if v := value(); v != "" {
			t.Fatalf("ctrl+u at the end: %q", v)
		}
	}

	t.Run("filter", func(t *testing.T) {
		h, _ := browse(t, 80, 24, Options{})
		h.keys("/")
		edit(t, h.keys, h.typeText, func() string { return h.m.s.folders().cur().list.filter })
		h.typeText("ab")
		h.keys("left")
		if !strings.Contains(plainView(h.m), "/a▏b") {
			t.Errorf("the cursor is not drawn where it is:\n%s", plainView(h.m))
		}
	})
	t.Run("prompt", func(t *testing.T) {
		var got string
		p := &prompt{keys: newPromptKeys()}
		p.show(askMsg{title: "Name", done: func(s string) tea.Cmd { got = s; return nil }})
		apply := func(keys ...string) {
			for _, k := range keys {
				p.update(press(k))
			}
		}
		typ := func(s string) {
			for _, r := range s {
				p.update(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}
		edit(t, apply, typ, p.in.value)
		typ("Mix")
		apply("home")
		typ("My ")
		apply("enter")
		if got != "My Mix" {
			t.Errorf("the name given: %q", got)
		}
	})
	t.Run("login", func(t *testing.T) {
		f := &field{label: "E-mail"}
		apply := func(keys ...string) {
			for _, k := range keys {
				f.key(press(k))
			}
		}
		typ := func(s string) {
			for _, r := range s {
				f.key(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}
		edit(t, apply, typ, f.String)
	})
}

// A name given to edit (a playlist's, to rename it) comes back exact,
// control characters and all: the textinput drops them.
func TestTextInputKeepsAName(t *testing.T) {
	name := "PL \x1b]52;c;x\a \u009b2J"
	in := newLineInput(name, 0)
	if v := in.value(); v != name {
		t.Errorf("value %q, want %q", v, name)
	}
	if v := in.view(""); v != shown(name)+"▏" {
		t.Errorf("view %q", v)
	}
}

// A bitrate that is none of the picker's choices (--bitrate 96) is shown
// among them, marked current and under the cursor (nothing was marked).
func TestBitratePickerMarksAnyCurrent(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.status(player.Status{State: player.Stopped, Index: -1, Volume: 70, Bitrate: 96}, nil)
	h.keys("b")
	wantScreen(t, h, "  64 kbit/s", "›  96 kbit/s  (current)", " 128 kbit/s")
	h.keys("j", "enter")
	wantCalls(t, h.p, "SetBitrate(128)")
}

// A key that works in other panes only says where, rather than nothing
// (d in Folders).
func TestKeyThatDoesNotApplySaysWhere(t *testing.T) {
	h, _ := browse(t, 120, 24, Options{})
	h.keys("d")
	wantScreen(t, h, "d (remove) works in the queue (tab) and in an open playlist, not here.")
	h.keys("D")
	wantScreen(t, h, "D (delete the playlist) works in the playlists view (5), not here.")
	wantCalls(t, h.p)
}

// The login screen's error and note lines carry pCloud's words: they are
// shown inert, as every name is.
func TestLoginErrorsShownInert(t *testing.T) {
	h, _, _, _ := loginHarness(t, 80, 24)
	h.m.s.login.note = "pCloud says \x1b]52;c;eA==\a hi"
	h.m.s.login.err = "pCloud: \x1b[2J\u009b31m bad"
	for _, stage := range []loginStage{stagePassword, stageChoose} {
		h.m.s.login.stage = stage
		raw := h.m.View().Content
		for _, seq := range []string{"\x1b]52", "\x1b[2J", "\u009b", "\a"} {
			if strings.Contains(raw, seq) {
				t.Errorf("stage %d: the screen has %q", stage, seq)
			}
		}
	}
	if !strings.Contains(plainView(h.m), "pCloud says ␛]52;c;eA==") {
		t.Errorf("the note is not shown:\n%s", plainView(h.m))
	}
}
