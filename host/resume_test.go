package host

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

// A session saved while playing starts playing again at its second with
// config resume_playing (the service's engine after a reboot), and
// paused without it, as always; one saved paused stays paused either way.
// The session says whether it was playing.
func TestResumePlaying(t *testing.T) {
	f := fixtures.Get("a128")
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "l@example.com", Password: "pw"}},
		Root:     pcloudtest.Dir("", pcloudtest.AudioFile(f.File, map[int][]byte{128: f.Data()}, pcloudtest.Tags{})),
	})
	t.Cleanup(srv.Close)
	id := srv.FileID("/" + f.File)
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	path := filepath.Join(dir, "pcplay", "session.json")
	save := func(playing bool) {
		t.Helper()
		err := config.SaveSession(path, config.Session{Queue: []config.SessionTrack{{FileID: id, Name: f.File}},
			Index: 0, Position: 7*time.Second + 300*time.Millisecond, Volume: 70, Bitrate: 128, Playing: playing})
		if err != nil {
			t.Fatal(err)
		}
	}
	open := func(resume bool) *Host {
		t.Helper()
		h, err := Open(context.Background(), config.Settings{Output: "null", Region: "us", APIURL: srv.URL(),
			Token: srv.Token("l@example.com"), TokenKind: config.KindAuth, Bitrate: 128, Volume: 70, ResumePlaying: resume}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	saved := func() config.Session {
		t.Helper()
		s, err := config.LoadSession(path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	starts := func() []string {
		var out []string
		for _, r := range srv.Log() {
			if r.Method == "GET" && r.Params.Get("fileid") != "" {
				out = append(out, r.Params.Get("start"))
			}
		}
		return out
	}

	// Saved playing, resume_playing on: it plays from second 7.
	save(true)
	srv.ResetLog()
	h := open(true)
	poll.Until(t, "playing again", func() bool { return h.Status().State == player.Playing })
	if st := starts(); !slices.Equal(st, []string{"7"}) {
		t.Errorf("the stream started at %q, want start=7", st)
	}
	h.Close()
	if !saved().Playing {
		t.Error("closed while playing: the session says it was not playing")
	}

	// Saved playing, resume_playing off: paused at the second, nothing
	// streamed; closed so, the session says paused.
	save(true)
	srv.ResetLog()
	h = open(false)
	if st := h.Status(); st.State != player.Paused || st.Position != 7*time.Second+300*time.Millisecond {
		t.Errorf("resume_playing off: %v at %v, want paused at 7.3s", st.State, st.Position)
	}
	h.Close()
	if s := saved(); s.Playing {
		t.Errorf("closed paused: the session says playing")
	}
	if st := starts(); len(st) != 0 {
		t.Errorf("resume_playing off streamed (start=%q)", st)
	}

	// Saved paused, resume_playing on: it stays paused.
	srv.ResetLog()
	h = open(true)
	defer h.Close()
	// (Open plays before it returns: a Play would show as loading now.)
	if st := h.Status(); st.State != player.Paused {
		t.Errorf("a session saved paused, resume_playing on: %v, want paused", st.State)
	}
}
