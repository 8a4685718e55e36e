//go:build unix

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/playlist"
)

// hostileName carries every sequence a shared folder's names were seen to
// use on a terminal: OSC 52 (the clipboard), a clear screen, DCS queries
// (the terminal types its answer into pcplay), APC (kitty graphics), an OSC
// 8 link, the UTF-8 C1 introducers, conceal and blink, a bidi override, a
// zero-width space and a line break.
const hostileName = "PL \x1b]52;c;cGxheWxpc3Q=\x07 \x1b[2J \x1bP+q544e\x1b\\ \x1b_Gf=1\x1b\\ \x1b]8;;http:x\x1b\\ln \u009b31m \u009d0;t\u009c \u0090q \x1b[8m\x1b[5m \u202Eevil\u200B\nend"

// Names from pCloud reach the terminal only through the one sanitiser: ctl
// status and queue show them inert, --json escapes (not strips) them, and
// pcplay playlist list too (each wrote OSC 52, cleared the screen, or let
// C1 and U+202E through).
func TestHostileNamesStayInert(t *testing.T) {
	data := fixtures.Get("a128").Data()
	w := newEngineWorld(t, func(o *pcloudtest.Options) {
		o.Root.Children = append(o.Root.Children, pcloudtest.Dir("Hostile",
			pcloudtest.AudioFile(hostileName+".mp3", map[int][]byte{128: data}, pcloudtest.Tags{Title: hostileName, Artist: hostileName}),
		))
	})
	w.startEngine()
	w.ctl("play", "/Hostile")
	for _, args := range [][]string{{"status"}, {"queue"}, {"status", "--json"}, {"queue", "--json"}} {
		out := w.ctl(args...)
		if !textsafe.Safe(strings.ReplaceAll(out, "\n", "")) || strings.Count(out, "\n") != 1 {
			t.Errorf("ctl %v printed %q", args, out)
		}
	}
	var q []map[string]any
	if err := json.Unmarshal([]byte(w.ctl("queue", "--json")), &q); err != nil || len(q) != 1 || q[0]["title"] != hostileName {
		t.Errorf("queue --json does not carry the exact name: %v %v", q, err)
	}

	dir := w.path("state", "pcplay", "playlists")
	local, err := playlist.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := local.Create(t.Context(), hostileName, []playlist.Track{{FileID: 1, Name: "a.mp3"}}); err != nil {
		t.Fatal(err)
	}
	r := w.run("", "playlist", "list")
	if !textsafe.Safe(strings.ReplaceAll(r.stdout, "\n", "")) || !strings.Contains(r.stdout, "PL ␛]52;c;") {
		t.Errorf("playlist list printed %q (stderr %q)", r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".lock")); err != nil {
		t.Errorf("the playlists' lock: %v", err)
	}
}

// The Folders view of a folder with the hostile file name, through the
// binary in a terminal: the name shows in its visible form, on its own
// row with its size at the end (the newline in it adds no row), and none
// of its sequences reaches the terminal (the UI let DCS, APC, OSC 8 and
// the C1 introducers through).
func TestHostileNameInTheFoldersView(t *testing.T) {
	data := fixtures.Get("a128").Data()
	w := newEngineWorld(t, func(o *pcloudtest.Options) {
		o.Root.Children = append(o.Root.Children, pcloudtest.Dir("Hostile",
			pcloudtest.AudioFile(hostileName+".mp3", map[int][]byte{128: data}, pcloudtest.Tags{}),
		))
	})
	cfg := w.path("config", "pcplay", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("start_folder = \"/Hostile\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := w.start(w.args("--foreground")...)
	visible := "PL ␛]52;c;cGxheWxpc3Q=␇ ␛[2J ␛P+q544e␛\\"
	scr := tm.waitFor("Hostile", visible)
	row := regexp.MustCompile(`♪ ` + regexp.QuoteMeta(visible) + `.*[0-9] [KM]?B│`)
	if !row.MatchString(scr) {
		t.Errorf("the name's row lost its layout:\n%s", scr)
	}
	tm.quit()
	out := tm.output()
	for _, seq := range []string{"\x1b]52;", "\x1bP+q544e", "\x1b_Gf=1", "\x1b]8;;http:x", "\x1b[8m", "\x1b[5m", "\u009b", "\u009d", "\u0090", "\u202e", "\u200b"} {
		if strings.Contains(out, seq) {
			t.Errorf("the terminal got %q from the name", seq)
		}
	}
}
