package ui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// hostile carries every sequence a shared folder's names were seen to use
// on a terminal (as e2e's hostileName): OSC 52 (the clipboard), a clear
// screen, DCS queries (the terminal types its answer into pcplay), APC
// (kitty graphics), an OSC 8 link, the UTF-8 C1 introducers, conceal and
// blink, a bidi override, a zero-width space and a line break.
const hostile = "PL \x1b]52;c;cGxheWxpc3Q=\x07 \x1b[2J \x1bP+q544e\x1b\\ \x1b_Gf=1\x1b\\ \x1b]8;;http:x\x1b\\ln \u009b31m \u009d0;t\u009c \u0090q \x1b[8m\x1b[5m \u202Eevil\u200B\nend"

// hostileVisible is how the name begins on screen.
const hostileVisible = "PL ␛]52;c;cGxheWxpc3Q=␇ ␛[2J ␛P+q544e␛\\"

// hostileWorld is a pCloud whose one top folder has the hostile name and
// holds a folder, a tagged track (title, artist and album hostile too) and
// a file of that name; its library scanned, and a playlist of that name.
type hostileWorld struct {
	srv    *pcloudtest.Server
	o      Options
	track  player.Track
	queue  []player.Track
	folder string // the hostile folder's path
}

func newHostileWorld(t *testing.T) *hostileWorld {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: testEmail, Password: testPass}},
		Root: pcloudtest.Dir("",
			pcloudtest.Dir(hostile,
				pcloudtest.Dir(hostile, song("inner.mp3", "", "")),
				tagSong(hostile+".mp3", hostile, hostile, hostile, 1),
				pcloudtest.OtherFile(hostile+".txt", 0, 12),
				tagSong("plain.mp3", "Plain Artist", "Plain Album", "Plain Title", 2),
			),
		),
	})
	t.Cleanup(srv.Close)
	c := newClient(t, srv, srv.Token(testEmail))
	lib, k := keepIndex(t, c)
	waitState(t, k, func(s library.State) bool { return s.Complete && !s.Scanning && s.Files >= 3 })

	store, err := playlist.NewAuto(c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	folder := "/" + hostile
	w := &hostileWorld{srv: srv, folder: folder,
		o: Options{Library: c, Playlists: store, Keeper: k, Index: func() (*library.Library, error) { return lib, nil }}}
	w.track = player.Track{FileID: srv.FileID(folder + "/" + hostile + ".mp3"), Name: hostile + ".mp3", Title: hostile, Artist: hostile}
	w.queue = []player.Track{w.track, {FileID: srv.FileID(folder + "/plain.mp3"), Name: "plain.mp3", Title: "Plain Title", Artist: "Plain Artist"}}
	pt := playlist.Track{FileID: w.track.FileID, Name: w.track.Name, Title: w.track.Title, Artist: w.track.Artist}
	cctx, ccancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer ccancel()
	if _, _, err := store.Create(cctx, hostile, []playlist.Track{pt}); err != nil {
		t.Fatal(err)
	}
	return w
}

// harness opens the UI on the world at w×h, the hostile track playing.
func (hw *hostileWorld) harness(t *testing.T, w, h int, notices []string) *harness {
	t.Helper()
	o := hw.o
	o.Notices = notices
	hs := newHarness(t, o, w, h)
	hs.fire("library")
	st := playingAt(hw.queue, 0, 1)
	st.Duration = 3 * time.Minute
	hs.status(st, hw.queue)
	return hs
}

// pickHostile puts the cursor of the list that has the keys on its first
// row showing the hostile name.
func pickHostile(h *harness) {
	h.t.Helper()
	l := h.m.s.focused()
	for i, s := range l.lowers {
		if strings.Contains(s, "␛]52;c;") {
			l.setFilter("")
			l.selectOrig(i)
			return
		}
	}
	h.t.Fatalf("no row shows the hostile name:\n%s", noStyle(h.m))
}

// pickFile puts the Folders view's cursor on the file called name.
func pickFile(h *harness, name string) {
	h.t.Helper()
	f := h.m.s.folders().cur()
	for i, it := range f.items {
		if it.Name == name {
			f.list.selectOrig(i)
			return
		}
	}
	h.t.Fatalf("no file %q in the folder shown", name)
}

// ownStyle is the one escape sequence the UI writes itself: SGR.
var ownStyle = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// checkInert fails unless the rendered screen is inert: no ESC but the
// UI's own SGR, valid UTF-8 without C1 controls, bidi controls or
// zero-width characters, the hostile name shown in its visible form, and
// every row w cells wide (a newline in a name adds no row).
func checkInert(t *testing.T, h *harness, w, rows int) {
	t.Helper()
	raw := h.m.View().Content
	if i := strings.IndexByte(ownStyle.ReplaceAllString(raw, ""), 0x1b); i >= 0 {
		rest := ownStyle.ReplaceAllString(raw, "")
		t.Errorf("an ESC that is not the UI's style: %q", rest[max(0, i-20):min(len(rest), i+40)])
	}
	if !utf8.ValidString(raw) {
		t.Errorf("the screen is not valid UTF-8")
	}
	for _, r := range raw {
		switch {
		case r >= 0x80 && r <= 0x9f:
			t.Errorf("C1 control %U on screen", r)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200b, r == 0xfeff:
			t.Errorf("bidi or zero-width character %U on screen", r)
		}
	}
	plain := plainView(h.m)
	if !strings.Contains(plain, hostileVisible) {
		t.Errorf("the hostile name is not shown as %q:\n%s", hostileVisible, plain)
	}
	checkSize(t, plain, w, rows)
}

// Every name from pCloud (folders, files, tags, the library's artists and
// albums, playlists, the queue, the now-playing bar) and every sentence
// that carries one (the status line, prompts, the picker, the filter)
// reaches the screen inert and visible, in every view at both sizes.
func TestHostileNamesShowInert(t *testing.T) {
	hw := newHostileWorld(t)
	into := func(h *harness) { h.keys("enter") } // the hostile folder
	scenes := []struct {
		name    string
		notices []string
		setup   func(h *harness)
		want    string // also on screen
	}{
		{"folders", nil, into, "▸ " + hostileVisible},
		{"folders_top", nil, func(h *harness) {}, "▸ " + hostileVisible},
		{"added", nil, func(h *harness) {
			into(h)
			pickFile(h, hostile+".mp3")
			h.keys("a")
		}, "Added " + hostileVisible},
		{"not_audio", nil, func(h *harness) {
			into(h)
			pickFile(h, hostile+".txt")
			h.keys("enter")
		}, "✗ " + hostileVisible},
		{"player_error", nil, func(h *harness) {
			st := playingAt(h.p.queue, 0, 1)
			st.State, st.Err = player.Errored, "Can't play "+hostile+": it is gone."
			h.status(st, nil)
		}, "✗ Can't play " + hostileVisible},
		{"filter_typing", nil, func(h *harness) {
			into(h)
			h.keys("/")
			h.send(tea.PasteMsg{Content: hostile})
		}, "/" + hostileVisible},
		{"filter_kept", nil, func(h *harness) {
			into(h)
			h.keys("/")
			h.send(tea.PasteMsg{Content: hostile})
			h.keys("enter")
		}, "filter: " + hostileVisible},
		{"queue", nil, func(h *harness) { h.keys("tab") }, "1. " + hostileVisible},
		{"artists", nil, func(h *harness) { h.keys("2") }, "▸ " + hostileVisible},
		{"artist", nil, func(h *harness) {
			h.keys("2")
			pickHostile(h)
			h.keys("enter")
		}, "Artists › " + hostileVisible},
		{"artist_album", nil, func(h *harness) {
			h.keys("2")
			pickHostile(h)
			h.keys("enter")
			pickHostile(h)
			h.keys("enter")
		}, "01 " + hostileVisible},
		{"albums", nil, func(h *harness) { h.keys("3") }, "▸ " + hostileVisible},
		{"album", nil, func(h *harness) {
			h.keys("3")
			pickHostile(h)
			h.keys("enter")
		}, "Albums › " + hostileVisible},
		{"songs", nil, func(h *harness) { h.keys("4") }, "♪ " + hostileVisible},
		{"search", nil, func(h *harness) {
			h.keys("2", "/")
			h.typeText("evil")
		}, "♪ " + hostileVisible},
		{"playlists", nil, func(h *harness) { h.keys("5") }, "≡ " + hostileVisible},
		{"playlist", nil, func(h *harness) {
			h.keys("5")
			pickHostile(h)
			h.keys("enter")
		}, "Playlists › " + hostileVisible},
		{"rename_prompt", nil, func(h *harness) {
			h.keys("5")
			pickHostile(h)
			h.keys("e")
		}, "> " + hostileVisible},
		{"delete_confirm", nil, func(h *harness) {
			h.keys("5")
			pickHostile(h)
			h.keys("D")
		}, "Delete the playlist “" + hostileVisible},
		{"playlist_picker", nil, func(h *harness) {
			into(h)
			pickFile(h, hostile+".mp3")
			h.keys("A")
		}, "Add " + hostileVisible},
		{"help", nil, func(h *harness) { h.keys("?") }, ""},
		{"bitrate", nil, func(h *harness) { h.keys("b") }, ""},
		{"notices", []string{"A warning about " + hostile}, func(h *harness) {}, "A warning about " + hostileVisible},
	}
	for _, sc := range scenes {
		for _, sz := range [][2]int{{120, 40}, {80, 24}} {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				h := hw.harness(t, sz[0], sz[1], sc.notices)
				sc.setup(h)
				if sc.want != "" && !strings.Contains(plainView(h.m), sc.want) {
					t.Errorf("the screen lacks %q:\n%s", sc.want, plainView(h.m))
				}
				checkInert(t, h, sz[0], sz[1])
			})
		}
	}
}
