package playlistcmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/playlist"
)

const playlistUser = "pl@example.com"

// playlistWorld is a fake pCloud with Unicode paths and private XDG
// directories; run runs `pcplay` in-process against it.
type playlistWorld struct {
	t   *testing.T
	srv *pcloudtest.Server
	dir string
	env map[string]string
}

func newPlaylistWorld(t *testing.T, refuseOAuth bool) *playlistWorld {
	data := []byte{0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0}
	f := func(name, artist, title string) *pcloudtest.Node {
		return pcloudtest.AudioFile(name, map[int][]byte{128: data}, pcloudtest.Tags{Artist: artist, Title: title})
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: playlistUser, Password: "pw"}},
		Root: pcloudtest.Dir("",
			pcloudtest.Dir("Musik", pcloudtest.Dir("Sigur Rós", f("01 Hoppípolla.mp3", "Sigur Rós", "Hoppípolla"), f("02 Ný batterí.mp3", "Sigur Rós", "Ný batterí"))),
			pcloudtest.Dir("日本", f("夜.mp3", "", "")),
		),
		RefuseOAuthCollections: refuseOAuth,
	})
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	w := &playlistWorld{t: t, srv: srv, dir: dir, env: map[string]string{
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
		"XDG_RUNTIME_DIR": filepath.Join(dir, "run"),
		"PCPLAY_API_URL":  srv.URL(),
	}}
	for k, v := range w.env {
		t.Setenv(k, v) // config.StateDir and TokenPath read the process's environment
	}
	return w
}

// login saves a login of this kind ("auth" or "bearer") as pcplay login does.
func (w *playlistWorld) login(kind string) {
	p, err := config.TokenPath()
	if err != nil {
		w.t.Fatal(err)
	}
	if err := config.SaveLogin(p, config.SavedLogin{Token: w.srv.Token(playlistUser), Kind: kind, Region: "us", Email: playlistUser}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *playlistWorld) run(stdin string, args ...string) (string, string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errs bytes.Buffer
	if len(args) == 0 || args[0] != "playlist" {
		w.t.Fatalf("not a playlist command: %q", args)
	}
	s, _, err := config.Load(nil, func(k string) string { return w.env[k] })
	if err != nil {
		w.t.Fatal(err)
	}
	code := Run(ctx, s, args[1:], cli.Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errs}, nil)
	return out.String(), errs.String(), code
}

const m3uIn = "#EXTM3U\n#EXTINF:-1,Sigur Rós - Ný batterí\n/Musik/Sigur Rós/02 Ný batterí.mp3\n" +
	"/日本/夜.mp3\n/Musik/Sigur Rós/01 Hoppípolla.mp3\n/Musik/gone.mp3\nC:\\Music\\x.mp3\n"

const m3uOut = "#EXTM3U\n#PLAYLIST:Ísland ♫\n" +
	"#EXTINF:-1,Sigur Rós - Ný batterí\n/Musik/Sigur Rós/02 Ný batterí.mp3\n" +
	"#EXTINF:-1,夜\n/日本/夜.mp3\n" +
	"#EXTINF:-1,Sigur Rós - Hoppípolla\n/Musik/Sigur Rós/01 Hoppípolla.mp3\n"

func TestPlaylistCommandPCloud(t *testing.T) {
	w := newPlaylistWorld(t, false)
	w.login(config.KindAuth)
	file := filepath.Join(w.dir, "in.m3u8")
	os.WriteFile(file, []byte(m3uIn), 0o600)

	out, errs, code := w.run("", "playlist", "import", file, "Ísland ♫")
	if code != 0 || !strings.Contains(out, `Imported 3 tracks into playlist "Ísland ♫" (pCloud).`) {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	if !strings.Contains(errs, "line 6: /Musik/gone.mp3: There is no such file in your pCloud.") || !strings.Contains(errs, `line 7: C:\Music\x.mp3: not a pCloud path`) {
		t.Errorf("unresolved lines: %q", errs)
	}
	if got := w.srv.CollectionFiles(playlistUser, "Ísland ♫"); len(got) != 3 || got[0] != w.srv.FileID("/Musik/Sigur Rós/02 Ný batterí.mp3") {
		t.Errorf("on pCloud: %v", got)
	}
	out, _, code = w.run("", "playlist", "list")
	if code != 0 || !strings.Contains(out, "Ísland ♫") || !strings.Contains(out, "3 tracks") || !strings.Contains(out, "pCloud, read-only") {
		t.Errorf("list: %d %q", code, out)
	}
	out, errs, code = w.run("", "playlist", "export", "ísland ♫") // case ignored when unambiguous
	if code != 0 || out != m3uOut {
		t.Errorf("export to stdout: %d %q %q\nwant %q", code, out, errs, m3uOut)
	}
	dst := filepath.Join(w.dir, "out.m3u8")
	if _, errs, code := w.run("", "playlist", "export", "Ísland ♫", dst); code != 0 {
		t.Fatalf("export to a file: %d %q", code, errs)
	}
	if b, _ := os.ReadFile(dst); string(b) != m3uOut {
		t.Errorf("exported file %q", b)
	}
	// The same name again: 2073 in a sentence, exit 1.
	if _, errs, code := w.run(m3uOut, "playlist", "import", "-"); code != 1 || !strings.Contains(errs, `already have a playlist called "Ísland ♫"`) {
		t.Errorf("import onto a taken name: %d %q", code, errs)
	}
}

// pCloud refuses playlists for the OAuth login: they are kept on this
// machine, with the one line saying why; a password login pushes them.
func TestPlaylistCommandRefusedThenPushed(t *testing.T) {
	w := newPlaylistWorld(t, true)
	w.login(config.KindBearer)
	out, errs, code := w.run(m3uIn, "playlist", "import", "-", "Ísland ♫")
	if code != 0 || !strings.Contains(out, "(kept on this machine)") || !strings.Contains(errs, "pCloud refused playlists for this login") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	out, _, code = w.run("", "playlist", "list")
	if code != 0 || !strings.Contains(out, "on this machine") {
		t.Errorf("list: %d %q", code, out)
	}
	if out, errs, code := w.run("", "playlist", "export", "Ísland ♫"); code != 0 || out != m3uOut {
		t.Errorf("export of the local one: %d %q %q", code, out, errs)
	}
	if _, errs, code := w.run("", "playlist", "push", "Ísland ♫"); code != 1 || !strings.Contains(errs, "pcplay login") {
		t.Errorf("push while refused: %d %q", code, errs)
	}
	w.login(config.KindAuth)
	if out, errs, code := w.run("", "playlist", "push", "Ísland ♫"); code != 0 || !strings.Contains(out, "Added 3 tracks") {
		t.Fatalf("push: %d %q %q", code, out, errs)
	}
	if got := w.srv.CollectionFiles(playlistUser, "Ísland ♫"); len(got) != 3 {
		t.Errorf("pushed: %v", got)
	}
	if out, _, _ := w.run("", "playlist", "list"); strings.Contains(out, "on this machine") {
		t.Errorf("the local copy stayed: %q", out)
	}
}

func TestPlaylistCommandUsage(t *testing.T) {
	w := newPlaylistWorld(t, false)
	for _, args := range [][]string{{"playlist"}, {"playlist", "frob"}, {"playlist", "import"}, {"playlist", "export", "a", "b", "c"}, {"playlist", "list", "x"}} {
		if _, errs, code := w.run("", args...); code != 2 || !strings.Contains(errs, "usage: pcplay playlist") {
			t.Errorf("%v: %d %q", args, code, errs)
		}
	}
	if out, _, code := w.run("", "playlist", "--help"); code != 0 || !strings.Contains(out, "export NAME") {
		t.Errorf("help: %d %q", code, out)
	}
	// Not logged in: import says so; list shows the (no) local ones.
	if _, errs, code := w.run("", "playlist", "import", "x.m3u8"); code != 1 || !strings.Contains(errs, "not logged in") {
		t.Errorf("import without a login: %d %q", code, errs)
	}
	if _, errs, code := w.run("", "playlist", "list"); code != 0 || !strings.Contains(errs, "no pCloud login") {
		t.Errorf("list without a login: %d %q", code, errs)
	}
	w.login(config.KindAuth)
	if _, errs, code := w.run("", "playlist", "export", "Nope"); code != 1 || !strings.Contains(errs, `no playlist called "Nope"`) {
		t.Errorf("export of nothing: %d %q", code, errs)
	}
	if _, errs, code := w.run("", "playlist", "import", filepath.Join(w.dir, "missing.m3u8")); code != 1 || !strings.Contains(errs, "no such file") {
		t.Errorf("import of a missing file: %d %q", code, errs)
	}
}

// A playlist's name is written by anyone who shares with the person: the
// list shows it inert (it wrote tmux's clipboard through OSC 52, and
// cleared the screen, before).
func TestPlaylistListShowsHostileNamesInert(t *testing.T) {
	w := newPlaylistWorld(t, false)
	dir, err := config.StateDir()
	if err != nil {
		t.Fatal(err)
	}
	local, err := playlist.NewLocal(filepath.Join(dir, "playlists"))
	if err != nil {
		t.Fatal(err)
	}
	hostile := "PL \x1b]52;c;cGxheWxpc3Q=\x07 \x1b[2J \u009d0;t\u009c \u202Eevil"
	if _, _, err := local.Create(context.Background(), hostile, []playlist.Track{{FileID: 1, Name: "a.mp3"}}); err != nil {
		t.Fatal(err)
	}
	out, errs, code := w.run("", "playlist", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !textsafe.Safe(strings.ReplaceAll(out, "\n", "")) || !strings.Contains(out, "PL ␛]52;c;cGxheWxpc3Q=␇ ␛[2J") {
		t.Errorf("playlist list printed %q", out)
	}
}

// A damaged token file is said as such, with the fix, and the list exits 1
// (it said "no pCloud login … no playlists yet" and exited 0).
func TestPlaylistListWithADamagedLogin(t *testing.T) {
	w := newPlaylistWorld(t, false)
	p, err := config.TokenPath()
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(p), 0o700)
	if err := os.WriteFile(p, []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code := w.run("", "playlist", "list")
	if code != 1 || !strings.Contains(errs, "log in again (pcplay login)") || strings.Contains(errs, "no pCloud login") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if _, errs, code := w.run("", "playlist", "push", "x"); code != 1 || !strings.Contains(errs, "log in again") {
		t.Errorf("push: exit %d, stderr %q", code, errs)
	}
}
