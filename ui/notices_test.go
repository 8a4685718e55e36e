package ui

import (
	"strings"
	"testing"
)

func lacks(t *testing.T, h *harness, s string) {
	t.Helper()
	if sc := noStyle(h.m); strings.Contains(sc, s) {
		t.Fatalf("screen still shows %q:\n%s", s, sc)
	}
}

// What was said before the UI started shows in the status line, one
// notice after another, each for a whole timeout: a key does not clear
// one, and a message meanwhile puts it off.
func TestNoticesShowAndClear(t *testing.T) {
	h, _ := browse(t, 100, 24, Options{Notices: []string{"the engine was running already", "", "a second word"}})
	wantScreen(t, h, "▸ Music/", "the engine was running already (+1 more)")
	if strings.Contains(noStyle(h.m), "✗") {
		t.Fatalf("a notice shows as an error:\n%s", noStyle(h.m))
	}
	h.keys("j") // a key does not end a notice
	wantScreen(t, h, "the engine was running already (+1 more)")

	h.keys("s") // a message of its own puts the notice off
	wantScreen(t, h, "Shuffle on")
	lacks(t, h, "the engine was running already")
	h.keys("j") // and when that one is gone, the notice is back for a whole timeout
	wantScreen(t, h, "the engine was running already (+1 more)")
	h.fire("clear")
	wantScreen(t, h, "a second word")
	lacks(t, h, "(+")
	lacks(t, h, "the engine was running already")
	h.fire("clear")
	lacks(t, h, "a second word")
	wantScreen(t, h, "? help")
	if _, ok := h.deferred["clear"]; ok {
		t.Fatal("a timer is armed with nothing more to show")
	}
}

// On the login screen (no status line) the notices wait for the main
// screen; they come after the line saying who logged in.
func TestNoticesAfterTheLogin(t *testing.T) {
	srv := newFake(t)
	c := newClient(t, srv, "")
	h := newHarness(t, Options{Library: c, Auth: c, NeedLogin: true, Notices: []string{"a warning"}}, 100, 24)
	if _, ok := h.deferred["clear"]; ok {
		t.Fatal("the notice's timer runs on the login screen")
	}
	h.keys("2")
	h.login(testEmail, testPass)
	wantScreen(t, h, "Logged in as "+testEmail)
	lacks(t, h, "a warning")
	h.fire("clear")
	wantScreen(t, h, "a warning")
	h.fire("clear")
	lacks(t, h, "a warning")
}
