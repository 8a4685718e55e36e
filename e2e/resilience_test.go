//go:build unix

package e2e

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/poll"
)

// The engine saves the session while it plays: after a kill -9 a new
// engine comes back within a few seconds of where the music was, not at
// the last clean exit.
func TestEngineSavesSessionWhilePlaying(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t)
	w.saveSession() // cued at 2 s
	p := w.startEngine()
	w.ctl("play")
	poll.Until(t, "the session file to show the position past 8 s", func() bool {
		s, err := config.LoadSession(w.sessionFile())
		return err == nil && s.Index == 0 && s.Position >= 8*time.Second
	})

	at := w.status().PositionSeconds
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	w.startEngine()
	st := w.status()
	if st.State != "paused" || st.Index != 0 || st.PositionSeconds < at-6 || st.PositionSeconds > at+0.5 {
		t.Errorf("killed at %.1f s of track 0; the new engine restored %s at track %d, %.1f s", at, st.State, st.Index, st.PositionSeconds)
	}

	// Paused, a change of setting is saved too (without waiting for an
	// exit).
	w.ctl("vol", "33")
	poll.Until(t, "the volume change to be saved", func() bool {
		s, err := config.LoadSession(w.sessionFile())
		return err == nil && s.Volume == 33
	})

}

// pcplay --foreground runs the UI on the same host the engine serves, so
// it saves the session while it plays too: killed with -9 15 s into a
// track, it comes back past 9 s (it came back at the last clean exit's
// queue, empty for a first run, before the host).
func TestForegroundSavesSessionWhilePlaying(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t)
	w.saveSession() // cued at 2 s
	tm := w.start(w.args("--foreground")...)
	tm.waitClock("Paused", func(e int) bool { return e == 2 })
	tm.send(" ", "\x1b[C", "\x1b[C") // play, +5 s, +5 s
	poll.Until(t, "the session file to show the position past 15 s", func() bool {
		s, err := config.LoadSession(w.sessionFile())
		return err == nil && s.Index == 0 && s.Position >= 15*time.Second
	})
	if err := tm.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-tm.exited

	again := w.start(w.args("--foreground")...)
	at := again.waitClock("Paused", func(int) bool { return true })
	if at < 9 {
		t.Errorf("killed 15 s or more into track 0; --foreground came back at %d s:\n%s", at, again.screen())
	}
	again.send("q")
	again.wait()
}

// An attached pcplay whose engine is killed says so once, and the next key
// starts a new engine, which comes back paused where the old one was.
func TestTmuxEngineKilledWhileAttached(t *testing.T) {
	t.Parallel()
	w := newTmuxWorld(t)
	w.saveSession()
	w.start("ui")
	w.waitScreen("ui", "a128")
	w.tmux("send-keys", "-t", "ui", "Space")
	poll.Until(t, "playing past 3 s", func() bool {
		st := w.status()
		return st.State == "playing" && st.PositionSeconds >= 3
	})

	w.tmux("send-keys", "-t", "ui", "n") // the next track: saved at once
	poll.Until(t, "the second track saved", func() bool {
		s, err := config.LoadSession(w.sessionFile())
		return err == nil && s.Index == 1
	})

	pids := w.pids(true)
	if len(pids) != 1 {
		t.Fatalf("engines: %v", pids)
	}
	if err := syscall.Kill(pids[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	w.waitScreen("ui", "The pcplay engine stopped; press any key to start it again.")
	scr := w.screen("ui")
	if strings.Contains(scr, "music keeps playing") || strings.Count(scr, "The pcplay engine stopped") != 1 {
		t.Errorf("after the kill:\n%s", scr)
	}
	if n := w.engineCount(); n != 0 {
		t.Fatalf("%d engines run before the key", n)
	}
	w.tmux("send-keys", "-t", "ui", "j")
	w.waitScreen("ui", "Paused  b128")
	if n := w.engineCount(); n != 1 {
		t.Errorf("%d engines run after the key, want 1", n)
	}
	st := w.status()
	if st.State != "paused" || st.Index != 1 {
		t.Errorf("the new engine: %+v", st)
	}
	// The UI drives the new engine.
	w.tmux("send-keys", "-t", "ui", "Space")
	poll.Until(t, "the new engine to play", func() bool { return w.status().State == "playing" })
}

// --foreground beside a running engine is refused with a sentence: the two
// would share (and overwrite) one session (it ran without a word).
func TestForegroundBesideTheEngineIsRefused(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t)
	w.saveSession()
	p := w.startEngine()
	tm := w.start(w.args("--foreground")...)
	if code := tm.wait(); code != 1 {
		t.Errorf("exit %d", code)
	}
	out := tm.output()
	if !strings.Contains(out, "another pcplay is playing (process ") || !strings.Contains(out, "pcplay stop") {
		t.Errorf("it said:\n%s", out)
	}
	if p.exited() {
		t.Error("the engine went away")
	}
}

// The engine follows the person's login: `pcplay logout` then `pcplay
// login --password` while it runs reach it at once (it kept the revoked
// token: "log in again (pcplay login)" though the person just had); and a
// pcplay with a bad PCLOUD_TOKEN attaching to it never replaces its login
// (it broke the music for every attached UI).
func TestEngineFollowsTheLogin(t *testing.T) {
	w := newEngineWorld(t)
	w.setenv("PCLOUD_TOKEN", "")
	w.flags = []string{"--output", "null", "--bitrate", "128", "--api-url", w.api}
	w.login()
	w.startEngine()

	// A bad one-run token from a UI: not taken.
	bad := append([]string(nil), w.env...)
	w.setenv("PCLOUD_TOKEN", "0123456789abcdefBAD")
	tm := w.start(w.args()...)
	tm.waitFor("PCLOUD_TOKEN")
	tm.send("q")
	tm.wait()
	w.env = bad
	w.ctl("play", "/Music/Album")
	poll.Until(t, "the engine to play with its own login", func() bool {
		st := w.status()
		return st.State == "playing" && st.Error == ""
	})
	w.ctl("stop")

	// Log out (the token is revoked) and in again: the engine plays with
	// the new login without a restart.
	if r := w.run("", "--api-url", w.api, "logout"); r.code != 0 || !strings.Contains(r.stdout, "The running engine has no login now") {
		t.Fatalf("logout: %d %q %s", r.code, r.stdout, r.stderr)
	}
	r := w.login()
	if !strings.Contains(r.stdout, "The running engine plays with this login now.") {
		t.Errorf("login said %q", r.stdout)
	}
	w.ctl("play", "/Music/Album")
	poll.Until(t, "the engine to play with the new login", func() bool {
		st := w.status()
		return st.State == "playing" && st.Error == ""
	})
}
