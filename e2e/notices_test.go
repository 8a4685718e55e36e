//go:build unix

package e2e

import (
	"os"
	"strings"
	"testing"
)

// What pcplay says before its UI starts shows on the UI's screen (the
// alternate screen wiped it from the terminal): the flags a running engine
// does not take, then PCLOUD_TOKEN not reaching that engine, one after
// the other.
func TestNoticesOnTheScreen(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t)
	w.startEngine()
	tm := w.start(w.args()...) // --output and --api-url, to the engine already running
	tm.waitFor("the engine was running already: --output and --api-url apply only as an engine starts", "(+1 more)")
	tm.send("j") // a key does not clear a notice
	tm.waitFor("PCLOUD_TOKEN is used by this pcplay for browsing; the running engine plays with its own login")
	tm.quit()
	if out := tm.output(); strings.Contains(out, "pcplay: the engine was running already") || strings.Contains(out, "pcplay: PCLOUD_TOKEN") {
		t.Errorf("the lines went to the terminal before the UI as well: %q", out[:min(len(out), 600)])
	}
}

// A warning of the settings (the token file could be read by others)
// shows on the UI's screen too.
func TestSettingsWarningOnTheScreen(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.login()
	if err := os.Chmod(w.tokenFile(), 0o644); err != nil {
		t.Fatal(err)
	}
	tm := w.start("--foreground", "--output", "null", "--api-url", w.api)
	tm.waitFor("Music/", "token file", "was readable by other users", "it is now 0600") // on two lines
	tm.quit()
}
