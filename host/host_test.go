package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/config"
)

// A state directory pcplay can't write to is one sentence naming it and the
// fix (it played on with no session, no library and no log, silently).
func TestUnwritableStateDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_STATE_HOME", file)
	h, err := Open(context.Background(), config.Settings{Output: "null", Region: "us"}, Options{})
	if err == nil {
		h.Close()
		t.Fatal("a host without a state directory")
	}
	if msg := err.Error(); !strings.Contains(msg, "state directory") || !strings.Contains(msg, file) || !strings.Contains(msg, "XDG_STATE_HOME") {
		t.Errorf("it said %q", msg)
	}
}

// openAt opens a host on the null output with its state in dir.
func openAt(t *testing.T, dir string, s config.Settings) *Host {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", dir)
	s.Output, s.Region, s.APIURL = "null", "us", "http://127.0.0.1:1"
	h, err := Open(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// The session wins over the config file's bitrate and volume, unless the
// file changed them since the session was saved (they were ignored after
// the first run).
func TestChangedSettingWinsOverTheSession(t *testing.T) {
	dir := t.TempDir()
	h := openAt(t, dir, config.Settings{Bitrate: 192, Volume: 70})
	h.SetVolume(40)
	h.SetBitrate(128)
	h.SetFolder("/Music", 1) // saves now
	h.Close()

	// Nothing changed in the file: the person's 40 and 128 come back.
	h = openAt(t, dir, config.Settings{Bitrate: 192, Volume: 70})
	if st := h.Status(); st.Volume != 40 || st.Bitrate != 128 {
		t.Errorf("same settings: volume %d bitrate %d, want the session's 40, 128", st.Volume, st.Bitrate)
	}
	h.Close()

	// The file now says 50 and 96: they win.
	h = openAt(t, dir, config.Settings{Bitrate: 96, Volume: 50})
	if st := h.Status(); st.Volume != 50 || st.Bitrate != 96 {
		t.Errorf("changed settings: volume %d bitrate %d, want the file's 50, 96", st.Volume, st.Bitrate)
	}
	h.SetVolume(45)
	h.SetFolder("/", 0)
	h.Close()

	// A --bitrate for one run is not remembered as the file's.
	h = openAt(t, dir, config.Settings{Bitrate: 320, Volume: 50, ExplicitBitrate: true})
	if st := h.Status(); st.Bitrate != 320 || st.Volume != 45 {
		t.Errorf("--bitrate 320: volume %d bitrate %d", st.Volume, st.Bitrate)
	}
	h.SetFolder("/Music", 1)
	h.Close()
	h = openAt(t, dir, config.Settings{Bitrate: 96, Volume: 50})
	if st := h.Status(); st.Bitrate != 320 {
		t.Errorf("after a --bitrate run: bitrate %d, want the session's 320", st.Bitrate)
	}
	h.Close()
}

// A folder that is not a pCloud path is refused, and never stops the
// session from being saved (one "../../etc" made every later save fail).
func TestBadFolderNeverStopsSaving(t *testing.T) {
	dir := t.TempDir()
	h := openAt(t, dir, config.Settings{Bitrate: 192, Volume: 70})
	h.SetFolder("/Music", 7)
	for _, bad := range []string{"../../etc", "Music", "/Music/../x", "/a//b"} {
		h.SetFolder(bad, 1)
	}
	h.SetVolume(33)
	h.Save()
	h.Close()
	sess, err := config.LoadSession(filepath.Join(dir, "pcplay", "session.json"))
	if err != nil || sess.Volume != 33 || sess.Folder.Path != "/Music" || sess.Folder.ID != 7 {
		t.Errorf("saved %+v (%v)", sess, err)
	}
}

// A login pCloud refuses never replaces a good one (a UI's bad
// PCLOUD_TOKEN broke the engine for everyone); the saved login is followed
// as pcplay login and logout change it.
func TestLoginFollowsThePersonNotABadToken(t *testing.T) {
	srv, id := oneTrack(t)
	good := srv.Token("l@example.com")
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	h, err := Open(context.Background(), config.Settings{Output: "null", Region: "us", APIURL: srv.URL(), Token: good, TokenKind: config.KindAuth}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	playable := func() bool { _, err := h.acct.AudioLink(ctx, id, 128); return err == nil }
	if !playable() {
		t.Fatal("no link with the good login")
	}
	if err := h.Login("not-a-token-pcloud-knows", config.KindAuth, "us"); !errors.Is(err, ErrLoginRefused) {
		t.Errorf("a refused token: %v", err)
	}
	if !playable() {
		t.Fatal("a refused token replaced the good login")
	}

	// pcplay logout, then login: the host follows the saved login.
	path, _ := config.TokenPath()
	if err := h.ReloadLogin(); err != nil {
		t.Fatal(err)
	}
	if playable() {
		t.Error("still playing with the old login after a logout (no saved login)")
	}
	if err := config.SaveLogin(path, config.SavedLogin{Token: good, Kind: config.KindAuth, Region: "us"}); err != nil {
		t.Fatal(err)
	}
	if err := h.ReloadLogin(); err != nil || !playable() {
		t.Errorf("after pcplay login: %v, playable %v", err, playable())
	}
}

// A session that can't be saved (a full disk) is said once in the status
// line, not at every save, and again after a save that worked (it failed
// silently, in the log only).
func TestFailedSaveIsSaidOnce(t *testing.T) {
	dir := t.TempDir()
	h := openAt(t, dir, config.Settings{Bitrate: 192, Volume: 70})
	defer h.Close()
	path := filepath.Join(dir, "pcplay", "session.json")
	// A directory in the file's place: the save's rename fails, even for root.
	breakIt := func() {
		os.Remove(path)
		if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	breakIt()
	h.SetVolume(20)
	h.Save()
	if err := h.Status().Err; !strings.Contains(err, "The session could not be saved") {
		t.Fatalf("after a failed save the status says %q", err)
	}
	h.Tell("") // as a track that plays clears it
	h.SetVolume(21)
	h.Save()
	if err := h.Status().Err; err != "" {
		t.Errorf("a second failed save said it again: %q", err)
	}
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	h.SetVolume(22)
	h.Save()
	if sess, err := config.LoadSession(path); err != nil || sess.Volume != 22 {
		t.Fatalf("after the disk is mended: %+v, %v", sess, err)
	}
	breakIt()
	h.SetVolume(23)
	h.Save()
	if err := h.Status().Err; !strings.Contains(err, "The session could not be saved") {
		t.Errorf("a failure after a save that worked was not said: %q", err)
	}
}

// A damaged session.json is set aside as session.json.bad and said in the
// status line (it was replaced by the next save, silently in the engine).
func TestDamagedSessionSetAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pcplay", "session.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"version": 1, "queue": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	h := openAt(t, dir, config.Settings{Bitrate: 192, Volume: 70})
	if err := h.Status().Err; !strings.Contains(err, "session.json.bad") {
		t.Errorf("the status says %q", err)
	}
	h.SetVolume(30)
	h.Close()
	if b, err := os.ReadFile(path + ".bad"); err != nil || string(b) != `{"version": 1, "queue": [` {
		t.Errorf("session.json.bad: %q, %v", b, err)
	}
	if sess, err := config.LoadSession(path); err != nil || sess.Volume != 30 {
		t.Errorf("the new session: %+v, %v", sess, err)
	}
}
