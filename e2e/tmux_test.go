//go:build unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
)

// tmuxWorld runs pcplay in tmux sessions on a private tmux server.
type tmuxWorld struct {
	*engineWorld
	sock string
}

func newTmuxWorld(t *testing.T, tweaks ...func(*pcloudtest.Options)) *tmuxWorld {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is missing on CI: install it (apt-get install tmux)")
		}
		t.Skip("tmux is not installed")
	}
	w := newEngineWorld(t, tweaks...)
	tw := &tmuxWorld{engineWorld: w, sock: w.path("tmux.sock")}
	t.Cleanup(func() { tw.tmux("kill-server") })
	return tw
}

func (w *tmuxWorld) tmux(args ...string) (string, error) {
	c := exec.Command("tmux", append([]string{"-S", w.sock, "-f", "/dev/null"}, args...)...)
	c.Env = w.env
	out, err := c.CombinedOutput()
	return string(out), err
}

// start opens a tmux session running pcplay (attached to the engine).
func (w *tmuxWorld) start(name string) { w.startCmd(name, "") }

// startKeep is start, but the terminal stays after pcplay ends, showing
// what it printed and "EXITED status".
func (w *tmuxWorld) startKeep(name string) {
	w.startCmd(name, "; echo EXITED $?; sleep 600")
}

func (w *tmuxWorld) startCmd(name, after string) {
	w.t.Helper()
	cmd := shellQuote(bin)
	for _, a := range w.flags {
		cmd += " " + shellQuote(a)
	}
	cmd += after
	if out, err := w.tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", cmd); err != nil {
		w.t.Fatalf("tmux new-session: %v: %s", err, out)
	}
}

func (w *tmuxWorld) screen(name string) string {
	out, _ := w.tmux("capture-pane", "-p", "-t", name)
	return out
}

func (w *tmuxWorld) waitScreen(name, want string) {
	w.t.Helper()
	if !poll.Eventually(patience, func() bool { return strings.Contains(w.screen(name), want) }) {
		w.t.Fatalf("session %s never showed %q; the screen:\n%s", name, want, w.screen(name))
	}
}

// waitLine waits until one line of the session's screen holds every one
// of parts (a pane's title and its count, say).
func (w *tmuxWorld) waitLine(name string, parts ...string) {
	w.t.Helper()
	has := func(l string) bool {
		for _, p := range parts {
			if !strings.Contains(l, p) {
				return false
			}
		}
		return true
	}
	if !poll.Eventually(patience, func() bool { return slices.ContainsFunc(strings.Split(w.screen(name), "\n"), has) }) {
		w.t.Fatalf("session %s never showed a line with %q; the screen:\n%s", name, parts, w.screen(name))
	}
}

func (w *tmuxWorld) alive(name string) bool {
	_, err := w.tmux("has-session", "-t", name)
	return err == nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// The SSH drop, end to end: pcplay in a terminal plays; the terminal goes
// away; the music goes on; pcplay in a new terminal shows the same track
// still advancing, and ctl agrees.
func TestTmuxDetachReattach(t *testing.T) {
	t.Parallel()
	w := newTmuxWorld(t)
	w.saveSession()
	// Two pcplay started at once: one engine.
	w.start("one")
	w.start("extra")
	w.waitScreen("one", "a128")
	w.waitScreen("extra", "a128")
	if n := w.engineCount(); n != 1 {
		t.Errorf("%d engines run after two concurrent starts, want 1", n)
	}
	if _, err := w.tmux("kill-session", "-t", "extra"); err != nil {
		t.Fatal(err)
	}

	if st := w.status(); st.State != "paused" || st.Index != 0 {
		t.Fatalf("restored: %+v", st)
	}
	w.tmux("send-keys", "-t", "one", "Space")
	poll.Until(t, "playing past 3 s", func() bool {
		st := w.status()
		return st.State == "playing" && st.PositionSeconds >= 3
	})

	// The terminal goes away (tmux sends SIGHUP to pcplay).
	if _, err := w.tmux("kill-session", "-t", "one"); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the UI to exit on SIGHUP", func() bool { return w.uiCount() == 0 })
	at := w.status().PositionSeconds
	poll.Until(t, "the music to go on after the terminal went away", func() bool {
		st := w.status()
		return st.State == "playing" && st.PositionSeconds >= at+2
	})

	// A new terminal attaches to the same engine.
	w.startKeep("two")
	w.waitScreen("two", "Playing  a128")
	w.waitScreen("two", "q leave (music keeps playing)")
	st := w.status()
	if st.State != "playing" || st.Index != 0 || st.Track == nil || st.Track.Name != "a128.mp3" {
		t.Errorf("ctl status after reattaching: %+v", st)
	}
	if n := w.engineCount(); n != 1 {
		t.Errorf("%d engines run, want 1", n)
	}
	// q detaches and says the music goes on; the engine stays.
	w.tmux("send-keys", "-t", "two", "q")
	w.waitScreen("two", "EXITED 0")
	if scr := w.screen("two"); !strings.Contains(scr, "pcplay: the music keeps playing (pcplay stop ends it)\nEXITED 0") {
		t.Errorf("after q the terminal shows:\n%s", scr)
	}
	w.tmux("kill-session", "-t", "two")
	if st := w.status(); st.State != "playing" {
		t.Errorf("after q: %+v", st)
	}

	// The UI's one-run PCLOUD_TOKEN never reached the engine (the engine
	// plays with its own login), and the log never shows a token.
	if b, err := os.ReadFile(filepath.Join(w.home, "state", "pcplay", "engine.log")); err != nil || strings.Contains(string(b), "a client sent its login") || strings.Contains(string(b), w.token) {
		t.Errorf("engine log: %v; a client's one-run token reached the engine, or the token is in it", err)
	}

	// Q stops the engine.
	w.start("three")
	w.waitScreen("three", "a128")
	w.tmux("send-keys", "-t", "three", "Q")
	poll.Until(t, "the UI to leave", func() bool { return !w.alive("three") })
	poll.Until(t, "the engine to stop", func() bool {
		_, _, code := w.pcplay("ctl", "status")
		return code == 1 && w.engineCount() == 0
	})

}

// --foreground keeps the one-process program: no engine, and q ends the
// music with the UI.
func TestTmuxForeground(t *testing.T) {
	w := newTmuxWorld(t)
	w.saveSession()
	w.flags = append(w.flags, "--foreground")
	w.start("fg")
	w.waitScreen("fg", "a128")
	if n := w.engineCount(); n != 0 {
		t.Errorf("%d engines run with --foreground", n)
	}
	if _, _, code := w.pcplay("ctl", "status"); code != 1 {
		t.Errorf("ctl status with --foreground: exit %d, want 1 (no engine)", code)
	}
	w.tmux("send-keys", "-t", "fg", "Space")
	w.waitScreen("fg", "Playing")
	w.tmux("send-keys", "-t", "fg", "q")
	poll.Until(t, "the UI to leave", func() bool { return !w.alive("fg") })
	if n := w.engineCount(); n != 0 {
		t.Errorf("%d engines run after --foreground", n)
	}
}
