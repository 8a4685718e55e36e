//go:build unix

package e2e

import (
	"syscall"
	"testing"
	"time"

	"github.com/pcplay/pcplay/config"
)

// The engine saves the session while it plays: after a kill -9 a new
// engine comes back within a few seconds of where the music was, not at
// the last clean exit.
func TestEngineSavesSessionWhilePlaying(t *testing.T) {
	w := newEngineWorld(t)
	w.saveSession() // cued at 2 s
	p := w.startEngine()
	w.ctl("play")
	waitFor(t, "the session file to show the position past 8 s", func() bool {
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
	waitFor(t, "the volume change to be saved", func() bool {
		s, err := config.LoadSession(w.sessionFile())
		return err == nil && s.Volume == 33
	})
}
