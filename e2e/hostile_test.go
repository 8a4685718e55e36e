//go:build unix

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
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
