//go:build unix

package e2e

import (
	"strings"
	"testing"
)

// TestTmuxListingWaitsForPCloud: pCloud goes away and a folder is opened:
// the top folder stays shown with the waiting line (no Go error), and when
// pCloud is back the folder opens by itself, without a key.
func TestTmuxListingWaitsForPCloud(t *testing.T) {
	t.Parallel()
	w := newTmuxWorld(t)
	w.start("ui")
	w.waitScreen("ui", "Music/")
	w.srv.Down()
	w.tmux("send-keys", "-t", "ui", "Enter")
	w.waitScreen("ui", "pCloud unreachable — retrying in")
	scr := w.screen("ui")
	if !strings.Contains(scr, "Music/") || !strings.Contains(scr, "opening Music…") {
		t.Errorf("the top folder is not kept while Music waits:\n%s", scr)
	}
	if strings.Contains(scr, "dial tcp") || strings.Contains(scr, "connect:") {
		t.Errorf("a Go error on the screen:\n%s", scr)
	}
	w.srv.Up()
	w.waitScreen("ui", "Album/")
	w.waitScreen("ui", "pCloud › Music")
	if scr := w.screen("ui"); strings.Contains(scr, "unreachable") {
		t.Errorf("the waiting line stayed:\n%s", scr)
	}
}
