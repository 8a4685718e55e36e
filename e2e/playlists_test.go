//go:build unix

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/ctl"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
)

// queueNames is `pcplay ctl queue --json`: the file names, and the index
// of the playing entry (-1: none).
func (w *engineWorld) queueNames() ([]string, int) {
	w.t.Helper()
	var entries []ctl.QueueEntry
	out := w.ctl("queue", "--json")
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		w.t.Fatalf("queue --json printed %q: %v", out, err)
	}
	names, playing := make([]string, len(entries)), -1
	for i, e := range entries {
		names[i] = e.Name
		if e.Playing {
			playing = i
		}
	}
	return names, playing
}

// waitQueue waits until the queue holds names, in order.
func (w *engineWorld) waitQueue(what string, names ...string) {
	w.t.Helper()
	var got []string
	if !poll.Eventually(patience, func() bool { got, _ = w.queueNames(); return slices.Equal(got, names) }) {
		w.t.Fatalf("%s: the queue is %v, want %v", what, got, names)
	}
}

// exported is the playlist's tracks as `pcplay playlist export` writes
// them: pCloud paths.
func (w *engineWorld) exported(name string) []string {
	w.t.Helper()
	out, errs, code := w.pcplay("playlist", "export", name)
	if code != 0 {
		w.t.Fatalf("playlist export %s: exit %d: %s", name, code, errs)
	}
	var paths []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "/") {
			paths = append(paths, l)
		}
	}
	return paths
}

func (w *engineWorld) waitExported(name string, paths ...string) {
	w.t.Helper()
	var got []string
	if !poll.Eventually(patience, func() bool { got = w.exported(name); return slices.Equal(got, paths) }) {
		w.t.Fatalf("playlist %s holds %v, want %v", name, got, paths)
	}
}

// The playlists end to end: S saves the queue as a pCloud playlist; after
// the engine restarts view 5 shows it; J moves, d removes, A adds from the
// folders; enter plays it and it plays through; ctl plays and adds by path
// and by playlist name; u takes the last change of the queue back.
func TestTmuxPlaylistsAndQueue(t *testing.T) {
	t.Parallel()
	w := newTmuxWorld(t)
	w.saveSession()
	w.start("one")
	w.waitScreen("one", "a128")
	w.tmux("send-keys", "-t", "one", "S")
	w.waitScreen("one", "Save the queue (3 tracks) as the playlist")
	w.tmux("send-keys", "-t", "one", "-l", "Trip")
	w.tmux("send-keys", "-t", "one", "Enter")
	w.waitScreen("one", "Made playlist “Trip”: Added 3 tracks.")
	a, b, tg := "/Music/Album/a128.mp3", "/Music/Album/b128.mp3", "/Music/Album/tagged.mp3"
	w.waitExported("Trip", a, b, tg)

	// A new engine: the playlist is pCloud's, so it is there.
	w.tmux("kill-session", "-t", "one")
	if _, errs, code := w.pcplay("stop"); code != 0 {
		t.Fatalf("pcplay stop: %d %s", code, errs)
	}
	poll.Until(t, "the engine to stop", func() bool { return w.engineCount() == 0 })
	w.start("two")
	w.waitScreen("two", "a128")
	w.tmux("send-keys", "-t", "two", "5")
	w.waitScreen("two", "Trip")
	w.waitScreen("two", "Most Listened")
	w.tmux("send-keys", "-t", "two", "G", "Enter")
	w.waitLine("two", "Playlists › Trip", "3 tracks") // its tracks read, not "loading…"
	w.tmux("send-keys", "-t", "two", "J")             // a128 below b128
	w.waitExported("Trip", b, a, tg)
	w.tmux("send-keys", "-t", "two", "d") // the cursor went down with a128
	w.waitScreen("two", "Remove a128 from “Trip”?")
	w.tmux("send-keys", "-t", "two", "y")
	w.waitScreen("two", "Removed a128 from “Trip”.")
	w.waitExported("Trip", b, tg)
	w.tmux("send-keys", "-t", "two", "1", "A") // Folders, on a128
	w.waitScreen("two", "Add a128.mp3 to…")
	w.waitScreen("two", "Trip  (2 tracks)") // the picker's list read: j has a row to go to
	w.tmux("send-keys", "-t", "two", "j", "Enter")
	w.waitScreen("two", "Added 1 track to “Trip”.")
	w.waitExported("Trip", b, tg, a)

	// enter on its first track: the queue becomes the playlist; it plays
	// through to its end.
	w.tmux("send-keys", "-t", "two", "5", "g", "Enter")
	w.waitQueue("enter in the playlist", "b128.mp3", "tagged.mp3", "a128.mp3")
	poll.Until(t, "b128 playing", func() bool { st := w.status(); return st.State == "playing" && st.Index == 0 })
	w.ctl("seek", "18")
	poll.Until(t, "b128 ending by itself", func() bool { return w.status().Index >= 1 })
	poll.Until(t, "a128 playing by itself after the 5 s track", func() bool { st := w.status(); return st.Index == 2 && st.State == "playing" })
	w.ctl("seek", "18")
	poll.Until(t, "the end of the playlist", func() bool { return w.status().State == "stopped" })
	for _, n := range []string{"b128", "tagged", "a128"} {
		id := w.srv.FileID("/Music/Album/" + n + ".mp3")
		asked := slices.ContainsFunc(w.calls("getaudiolink"), func(r pcloudtest.Request) bool {
			return r.Params.Get("fileid") == strconv.FormatUint(id, 10)
		})
		if !asked {
			t.Errorf("%s never played: no getaudiolink for it", n)
		}
	}

	// ctl: play a playlist by name, add a folder by path.
	if out := w.ctl("play", "playlist:Trip"); !strings.HasPrefix(out, "Playing 3 tracks from playlist:Trip.") {
		t.Errorf("ctl play playlist:Trip printed %q", out)
	}
	w.waitQueue("ctl play playlist:Trip", "b128.mp3", "tagged.mp3", "a128.mp3")
	w.ctl("add", "/Music/Other")
	w.waitQueue("ctl add /Music/Other", "b128.mp3", "tagged.mp3", "a128.mp3", "other.mp3")
	if _, playing := w.queueNames(); playing != 0 {
		t.Errorf("after ctl play the playing entry is %d, want 0", playing)
	}
	if out := w.ctl("queue"); !strings.HasPrefix(out, "▶ 1. b128") || !strings.Contains(out, "\n  4. other\n") {
		t.Errorf("ctl queue printed %q", out)
	}
	_, errs, code := w.pcplay("ctl", "add", "/Music/Nowhere")
	if code != 1 || !strings.Contains(errs, "/Music/Nowhere") {
		t.Errorf("ctl add of a missing path: exit %d, %q; want 1 and a sentence", code, errs)
	}
	if _, _, code := w.pcplay("ctl", "add"); code != 2 {
		t.Errorf("ctl add without a path: exit %d, want 2", code)
	}

	// d on the playing track in the queue pane: the next one plays.
	w.tmux("send-keys", "-t", "two", "Tab", "d")
	w.waitQueue("d on the playing track", "tagged.mp3", "a128.mp3", "other.mp3")
	poll.Until(t, "tagged playing after removing b128", func() bool {
		st := w.status()
		return st.State == "playing" && st.Index == 0 && st.Track != nil && st.Track.Name == "tagged.mp3"
	})

	w.ctl("pause") // tagged is 5 s long: it stays the current track
	w.tmux("send-keys", "-t", "two", "u")
	w.waitQueue("u after d", "b128.mp3", "tagged.mp3", "a128.mp3", "other.mp3")
	if st := w.status(); st.Index != 1 || st.Track == nil || st.Track.Name != "tagged.mp3" || st.State != "paused" {
		t.Errorf("after u: %s %+v at %d, want tagged, still paused, at 1", st.State, st.Track, st.Index)
	}

	// u in the UI takes back a clear, then the ctl play: the queue before it.
	w.ctl("clear")
	w.waitQueue("ctl clear")
	w.tmux("send-keys", "-t", "two", "u")
	w.waitQueue("u after clear", "b128.mp3", "tagged.mp3", "a128.mp3", "other.mp3")
	w.tmux("send-keys", "-t", "two", "u")
	w.waitQueue("u after ctl play", "b128.mp3", "tagged.mp3", "a128.mp3")
	w.tmux("send-keys", "-t", "two", "q")
}

// When pCloud refuses playlists for the login (an OAuth token), view 5
// says so, and the playlists are kept on this machine, S and ctl play
// included.
func TestTmuxPlaylistsRefusedAreLocal(t *testing.T) {
	w := newTmuxWorld(t, func(o *pcloudtest.Options) { o.RefuseOAuthCollections = true })
	w.token = w.srv.OAuthToken(email)
	w.setenv("PCLOUD_TOKEN", w.token)
	w.saveSession()
	w.start("one")
	w.waitScreen("one", "a128")
	w.tmux("send-keys", "-t", "one", "5")
	w.waitScreen("one", "because pCloud refused")
	w.tmux("send-keys", "-t", "one", "S")
	w.waitScreen("one", "Save the queue")
	w.tmux("send-keys", "-t", "one", "-l", "Here")
	w.tmux("send-keys", "-t", "one", "Enter")
	w.waitScreen("one", "It is kept on this machine.")
	w.waitScreen("one", "3 tracks · this machine")
	if ds, err := os.ReadDir(w.path("state", "pcplay", "playlists")); err != nil || len(ds) == 0 {
		t.Errorf("no local playlist file: %v", err)
	}
	lists := w.calls("collection_list")
	if len(lists) == 0 || lists[0].Result == 0 || len(w.calls("collection_create")) != 0 {
		t.Errorf("collection_list %+v, %d collection_create: want a refused list and no create after it", lists, len(w.calls("collection_create")))
	}
	w.ctl("clear")
	w.ctl("play", "playlist:Here")
	w.waitQueue("ctl play playlist:Here", "a128.mp3", "b128.mp3", "tagged.mp3")
	w.tmux("send-keys", "-t", "one", "q")
}

// `pcplay ctl play FOLDER` queues a folder in the order the folder view
// shows it: natural order, "2 Two" before "10 Ten" (ctl sorted by string,
// 1, 10, 2, before).
func TestCtlPlayFolderInTheFolderViewsOrder(t *testing.T) {
	data := fixtures.Get("a128").Data()
	w := newEngineWorld(t, func(o *pcloudtest.Options) {
		o.Root.Children = append(o.Root.Children, pcloudtest.Dir("Numbered",
			pcloudtest.AudioFile("10 Ten.mp3", map[int][]byte{128: data}, pcloudtest.Tags{}),
			pcloudtest.AudioFile("1 One.mp3", map[int][]byte{128: data}, pcloudtest.Tags{}),
			pcloudtest.AudioFile("2 Two.mp3", map[int][]byte{128: data}, pcloudtest.Tags{}),
		))
	})
	want := []string{"1 One.mp3", "2 Two.mp3", "10 Ten.mp3"}

	w.startEngine()
	w.ctl("play", "/Numbered")
	if got, _ := w.queueNames(); !slices.Equal(got, want) {
		t.Errorf("ctl play /Numbered queued %q, want %q", got, want)
	}
	w.stopAll()

	cfg := w.path("config", "pcplay", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("start_folder = \"/Numbered\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := w.start(w.args("--foreground")...)
	scr := tm.waitFor(want...)
	var rows []int
	for _, name := range want {
		rows = append(rows, slices.IndexFunc(strings.Split(scr, "\n"), func(l string) bool { return strings.Contains(l, name) }))
	}
	if !slices.IsSorted(rows) {
		t.Errorf("the folder view shows them in another order (rows %v):\n%s", rows, scr)
	}
	tm.send("q")
	tm.wait()
}
