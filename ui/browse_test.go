package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/player"
)

func wantCalls(t *testing.T, p *recPlayer, want ...string) {
	t.Helper()
	got := p.take()
	if !slices.Equal(got, want) {
		t.Fatalf("player calls:\n got %q\nwant %q", got, want)
	}
}

func wantScreen(t *testing.T, h *harness, subs ...string) {
	t.Helper()
	sc := noStyle(h.m)
	for _, s := range subs {
		if !strings.Contains(sc, s) {
			t.Fatalf("screen lacks %q:\n%s", s, sc)
		}
	}
}

func selectedName(h *harness) string {
	it := h.m.s.folders().selected()
	if it == nil {
		return ""
	}
	return it.Name
}

func TestBrowseFoldersFirstAndTags(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	wantScreen(t, h, "pCloud", "▸ Music/", "readme.txt", "1 folder, 1 file")
	h.keys("enter")
	wantScreen(t, h, "pCloud › Music", "3 folders, 3 files")
	f := h.m.s.folders().cur()
	var got []string
	for _, it := range f.items {
		got = append(got, it.Name)
	}
	want := []string{"Abbey Road", "Empty", "Live", "concert.mp4", "loose.mp3", "notes.pdf"}
	if !slices.Equal(got, want) {
		t.Fatalf("order %q, want %q", got, want)
	}
	h.keys("g", "enter")
	// Natural order (2 before 10), tags as "artist – title", the file name
	// without tags, non-audio dimmed, sizes.
	wantScreen(t, h, "The Beatles – Come Together", "The Beatles – Something", "10 Octopus's Garden.mp3", "cover.jpg", "120.6 KB")
	var order []string
	for _, it := range h.m.s.folders().cur().items {
		order = append(order, it.Name)
	}
	if order[2] != "03 Maxwell.mp3" || order[3] != "10 Octopus's Garden.mp3" {
		t.Fatalf("not natural order: %q", order)
	}
}

func TestBrowseCursorRememberedAndCache(t *testing.T) {
	h, srv := browse(t, 80, 24, Options{})
	h.keys("enter")  // Music
	h.keys("j", "j") // Live
	if got := selectedName(h); got != "Live" {
		t.Fatalf("cursor on %q", got)
	}
	h.keys("enter") // Live
	wantScreen(t, h, "pCloud › Music › Live", "▸ 1969/", "Y – B")
	h.keys("backspace")
	if got := selectedName(h); got != "Live" {
		t.Fatalf("back in Music the cursor is on %q, want Live", got)
	}
	n := len(srv.Calls("listfolder"))
	h.keys("enter", "h") // into Live again (cached) and back with h
	if got := len(srv.Calls("listfolder")); got != n {
		t.Fatalf("cached folder listed again: %d calls, had %d", got, n)
	}
	h.keys("R") // refresh the current folder
	if got := len(srv.Calls("listfolder")); got != n+1 {
		t.Fatalf("refresh made %d calls, want 1", got-n)
	}
	if got := selectedName(h); got != "Live" {
		t.Fatalf("refresh moved the cursor to %q", got)
	}
	h.keys("ctrl+r")
	if got := len(srv.Calls("listfolder")); got != n+2 {
		t.Fatalf("ctrl+r made %d calls, want 1", got-n-1)
	}
	// At the root, parent does nothing.
	h.keys("h", "h", "h")
	wantScreen(t, h, "pCloud", "▸ Music/")
}

func TestBrowseEmptyAndError(t *testing.T) {
	h, srv := browse(t, 80, 24, Options{})
	h.keys("enter", "j", "enter") // Music/Empty
	wantScreen(t, h, "pCloud › Music › Empty", "(empty folder)")
	h.keys("h", "k") // back to Music, on Abbey Road
	srv.FailNext(1, 5000)
	h.keys("enter")
	f := h.m.s.folders().cur()
	if f.err == "" || f.meta != nil {
		t.Fatalf("want an error in place, got err=%q", f.err)
	}
	wantScreen(t, h, "✗ ", "R tries again")
	h.keys("R")
	wantScreen(t, h, "Come Together")
}

func TestPlayFromHereQueuesTheRestOfTheFolder(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.keys("enter", "enter", "j") // Music/Abbey Road, second row
	h.keys("enter")
	wantCalls(t, h.p, "PlayNow(02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3)")
	h.keys("G", "enter") // cover.jpg: not playable
	wantCalls(t, h.p)
	if !h.m.s.bar.msgErr || !strings.Contains(h.m.s.bar.msg, "cover.jpg") {
		t.Fatalf("status line %q", h.m.s.bar.msg)
	}
}

func TestAddFileAndFolderRecursively(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.keys("enter") // Music
	h.keys("j", "j", "a")
	wantCalls(t, h.p, "Enqueue(a.mp3,b.mp3)")
	wantScreen(t, h, "Added 2 tracks from Live")
	h.keys("j", "a") // concert.mp4: video sound is playable
	wantCalls(t, h.p, "Enqueue(concert.mp4)")
	h.keys("G", "a") // notes.pdf
	wantCalls(t, h.p)
	h.keys("g", "a")
	wantCalls(t, h.p, "Enqueue(01 Come Together.mp3,02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3)")
	// The status line clears itself when its timer fires.
	h.fire("clear")
	if h.m.s.bar.msg != "" {
		t.Fatalf("status line not cleared: %q", h.m.s.bar.msg)
	}
}

func TestStartPath(t *testing.T) {
	h, srv := browse(t, 80, 24, Options{StartPath: "/Music/Live"})
	wantScreen(t, h, "pCloud › Music › Live", "▸ 1969/")
	if got, want := h.m.s.folders().cur().id, srv.FolderID("/Music/Live"); got != want {
		t.Fatalf("folder id %d, want %d", got, want)
	}
	h.keys("h") // the parent by id, with the cursor on the child
	wantScreen(t, h, "Abbey Road")
	if got := selectedName(h); got != "Live" {
		t.Fatalf("cursor on %q, want Live", got)
	}
}

func TestFilterFuzzyAsYouType(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.keys("enter", "enter") // Abbey Road
	h.keys("/")
	h.typeText("smth")
	f := h.m.s.folders().cur()
	// "smth" also matches "beatles – come together"; the closer match ranks first.
	if f.list.Len() != 2 || selectedName(h) != "02 Something.mp3" {
		t.Fatalf("filter smth: %d rows, on %q", f.list.Len(), selectedName(h))
	}
	wantScreen(t, h, "/smth▏", "2/5")
	h.keys("backspace", "backspace", "backspace", "backspace")
	if f.list.Len() != 5 {
		t.Fatalf("cleared filter shows %d rows", f.list.Len())
	}
	h.typeText("beatles")
	if f.list.Len() != 3 {
		t.Fatalf("beatles: %d rows", f.list.Len())
	}
	h.keys("down", "enter") // enter closes the input and keeps the filter
	if f.list.typing || f.list.filter != "beatles" {
		t.Fatalf("typing=%v filter=%q", f.list.typing, f.list.filter)
	}
	h.keys("enter") // plays the selected match
	wantCalls(t, h.p, "PlayNow(02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3)")
	h.keys("esc")
	if f.list.filter != "" || f.list.Len() != 5 || selectedName(h) != "02 Something.mp3" {
		t.Fatalf("esc: filter %q, %d rows, on %q", f.list.filter, f.list.Len(), selectedName(h))
	}
	// Keys are text while typing: q doesn't quit.
	h.keys("/")
	h.typeText("q")
	if h.quit {
		t.Fatal("q quit while typing a filter")
	}
	h.keys("esc")
	h.keys("q")
	if !h.quit {
		t.Fatal("q didn't quit")
	}
}

func TestKeysStillWorkWhileLoading(t *testing.T) {
	lib := &slowLib{release: make(chan struct{})}
	p := newRecPlayer()
	m := New(Options{Library: lib, Player: p})
	m.s.e.deferBlocking = true
	t.Cleanup(m.Close)
	m.Update(tea_ws(80, 24))
	// Init's listing blocks in the library; Update must not.
	cmd := m.Init()
	done := make(chan struct{})
	go func() { defer close(done); runAll(cmd) }()
	nm, _ := m.Update(press("j"))
	nm, toggle := nm.Update(press("space"))
	if got := p.take(); len(got) != 0 {
		t.Fatalf("Update called the player itself: %q", got)
	}
	runAll(toggle)
	_, q := nm.Update(press("q"))
	if q == nil {
		t.Fatal("q gave no command while loading")
	}
	if got := p.take(); !slices.Equal(got, []string{"Toggle"}) {
		t.Fatalf("calls %q", got)
	}
	if !strings.Contains(noStyle(m), "Loading") && !m.s.quitting {
		t.Fatal("no loading state")
	}
	close(lib.release)
	<-done
}

func TestQueuePane(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	q := []player.Track{{FileID: 1, Name: "a.mp3", Artist: "X", Title: "A"}, {FileID: 2, Name: "b.mp3"}, {FileID: 3, Name: "c.mp3"}}
	h.status(player.Status{State: player.Playing, Index: 1, Track: q[1], Volume: 70, QueueGen: 1}, q)
	h.keys("tab")
	wantScreen(t, h, "Queue", "3 tracks", "▶ 2. b.mp3", "X – A")
	h.keys("j", "enter")
	wantCalls(t, h.p, "PlayIndex(1)")
	h.keys("G", "d")
	wantCalls(t, h.p, "Remove(2)")
	h.keys("delete")
	wantCalls(t, h.p, "Remove(2)")
	// The player removes it; the queue arrives with a new generation.
	h.status(player.Status{State: player.Playing, Index: 1, Track: q[1], Volume: 70, QueueGen: 2}, q[:2])
	if h.m.s.queue.list.Len() != 2 || h.m.s.queue.list.selected() != 1 {
		t.Fatalf("queue rows %d, cursor %d", h.m.s.queue.list.Len(), h.m.s.queue.list.selected())
	}
	// Same generation: the queue isn't read again.
	h.p.mu.Lock()
	h.p.queue = nil
	h.p.mu.Unlock()
	h.status(player.Status{State: player.Paused, Index: 1, Track: q[1], QueueGen: 2}, nil)
	if len(h.m.s.queue.tracks) != 2 {
		t.Fatal("queue re-read without a new generation")
	}
	// Browser keys don't act in the queue pane.
	h.keys("a", "h", "R")
	wantCalls(t, h.p)
	h.keys("/")
	h.typeText("x")
	if h.m.s.queue.list.Len() != 1 {
		t.Fatalf("queue filter: %d rows", h.m.s.queue.list.Len())
	}
	h.keys("enter", "enter")
	wantCalls(t, h.p, "PlayIndex(0)")
	h.keys("tab")
	if h.m.s.focus != paneView {
		t.Fatal("tab didn't go back to the browser")
	}
}

func TestPlayerKeys(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	tr := player.Track{FileID: 9, Name: "x.mp3", Title: "X", Artist: "Y"}
	h.status(player.Status{State: player.Playing, Index: 0, Track: tr, Position: 62_500 * 1e6, Duration: 200 * 1e9, Volume: 70, Bitrate: 192, QueueGen: 1}, []player.Track{tr})
	wantScreen(t, h, "▶ Playing  Y – X", "1:02 / 3:20")
	cases := []struct {
		key  string
		want []string
	}{
		{"space", []string{"Toggle"}},
		{"right", []string{"SeekBy(5s)"}},
		{"left", []string{"SeekBy(-5s)"}},
		{"shift+right", []string{"SeekBy(30s)"}},
		{"shift+left", []string{"SeekBy(-30s)"}},
		{"n", []string{"Next"}},
		{"p", []string{"Prev"}},
		{"+", []string{"SetVolume(75)"}},
		{"=", []string{"SetVolume(80)"}},
		{"-", []string{"SetVolume(75)"}},
		{"s", []string{"SetShuffle(true)"}},
		{"s", []string{"SetShuffle(false)"}},
		{"r", []string{"SetRepeat(1)"}},
		{"r", []string{"SetRepeat(2)"}},
		{"r", []string{"SetRepeat(0)"}},
	}
	for _, c := range cases {
		h.keys(c.key)
		wantCalls(t, h.p, c.want...)
	}
	// Seeks show their target at once: 62.5 +5 -5 +30 -30 = 62.5 s.
	if got := player.Clock(h.m.s.bar.st.Position); got != "1:02" {
		t.Fatalf("position %s", got)
	}
	h.keys("shift+right")
	wantScreen(t, h, "1:32 / 3:20")
	for range 10 {
		h.keys("shift+right")
	}
	wantScreen(t, h, "3:20 / 3:20")
	for range 20 {
		h.keys("shift+left")
	}
	wantScreen(t, h, "0:00 / 3:20")
	h.p.take()
	// Volume stays in 0..100.
	for range 30 {
		h.keys("+")
	}
	if h.m.s.bar.st.Volume != 100 {
		t.Fatalf("volume %d", h.m.s.bar.st.Volume)
	}
	h.p.take()
	// Bitrate picker.
	h.keys("b")
	wantScreen(t, h, "Bitrate", "192 kbit/s  (current)")
	h.keys("j", "enter")
	wantCalls(t, h.p, "SetBitrate(256)")
	wantScreen(t, h, "256k")
	h.keys("b", "k", "esc")
	wantCalls(t, h.p)
	// Q stops and quits.
	h.keys("Q")
	wantCalls(t, h.p, "Stop")
	if !h.quit || !h.m.StopRequested() {
		t.Fatal("Q didn't stop and quit")
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		h, _ := browse(t, 80, 24, Options{Detach: true})
		tr := player.Track{FileID: 9, Name: "x.mp3"}
		h.status(player.Status{State: player.Playing, Index: 0, Track: tr}, nil)
		h.keys(k)
		if !h.quit || h.m.StopRequested() {
			t.Fatalf("%s: quit=%v stop=%v", k, h.quit, h.m.StopRequested())
		}
		if !strings.Contains(h.m.QuitMessage(), "keeps playing") {
			t.Fatalf("%s: quit message %q", k, h.m.QuitMessage())
		}
		wantCalls(t, h.p)
	}
}

func TestHelpFromBindings(t *testing.T) {
	o := Options{Keys: DefaultKeyMap()}
	if err := o.Keys.Rebind("next", []string{"N", "ctrl+n"}); err != nil {
		t.Fatal(err)
	}
	h, _ := browse(t, 120, 40, o)
	h.keys("?")
	sc := noStyle(h.m)
	for _, b := range []string{"N/ctrl+n", "next track", "shift+←", "seek -30s", "reload folder", "stop playback and quit"} {
		if !strings.Contains(sc, b) {
			t.Fatalf("help lacks %q:\n%s", b, sc)
		}
	}
	h.keys("esc")
	if h.m.s.help.open {
		t.Fatal("esc didn't close help")
	}
	h.keys("N")
	wantCalls(t, h.p, "Next")
	h.keys("n") // no longer bound
	wantCalls(t, h.p)
}

func TestPlayerErrorsInStatusLine(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.status(player.Status{State: player.Errored, Index: -1, Err: "Can't reach pCloud."}, nil)
	wantScreen(t, h, "✗ Can't reach pCloud.")
	h.fire("clear")
	if strings.Contains(noStyle(h.m), "Can't reach") {
		t.Fatal("error didn't clear")
	}
	// The same error again is not news.
	h.status(player.Status{State: player.Errored, Index: -1, Err: "Can't reach pCloud."}, nil)
	if h.m.s.bar.msg != "" {
		t.Fatalf("repeated error shown again: %q", h.m.s.bar.msg)
	}
}

func TestSubscriptionClosed(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	close(h.p.ch)
	h.fire("status")
	if _, ok := h.deferred["status"]; ok {
		t.Fatal("re-armed after the channel closed")
	}
}

func TestNaturalOrder(t *testing.T) {
	in := []string{"track 10.mp3", "Track 2.mp3", "track 1.mp3", "b", "A", "track 002b", "track 02a"}
	slices.SortStableFunc(in, func(a, b string) int { return naturalCmp(lower(a), lower(b)) })
	want := []string{"A", "b", "track 1.mp3", "Track 2.mp3", "track 02a", "track 002b", "track 10.mp3"}
	if !slices.Equal(in, want) {
		t.Fatalf("got %q\nwant %q", in, want)
	}
	if naturalCmp(lower("x9"), lower("X10")) >= 0 || naturalCmp("x10", "x9") <= 0 {
		t.Fatal("naturalCmp: 9 sorts before 10")
	}
}

func TestFuzzy(t *testing.T) {
	cases := []struct {
		pat, s string
		ok     bool
	}{
		{"smth", "something", true},
		{"smth", "mists", false},
		{"", "anything", true},
		{"bjö", "björk – joga", true},
		{"abc", "ab", false},
	}
	for _, c := range cases {
		if _, ok := fuzzy([]rune(c.pat), c.pat, c.s); ok != c.ok {
			t.Errorf("fuzzy(%q, %q) = %v", c.pat, c.s, ok)
		}
	}
	// A substring beats a scattered match; a word start beats the middle.
	sub, _ := fuzzy([]rune("rain"), "rain", "purple rain")
	scat, _ := fuzzy([]rune("rain"), "rain", "r a i n")
	if sub <= scat {
		t.Errorf("substring %d <= scattered %d", sub, scat)
	}
}

func TestRebind(t *testing.T) {
	k := DefaultKeyMap()
	if err := k.Rebind("seek_fwd_long", []string{"L"}); err != nil {
		t.Fatal(err)
	}
	if got := k.SeekFwdLong.Keys(); !slices.Equal(got, []string{"L"}) || k.SeekFwdLong.Help().Key != "L" {
		t.Fatalf("keys %q help %q", got, k.SeekFwdLong.Help().Key)
	}
	for _, bad := range []struct {
		action string
		keys   []string
	}{{"nope", []string{"x"}}, {"next", nil}, {"next", []string{""}}} {
		if err := k.Rebind(bad.action, bad.keys); err == nil {
			t.Errorf("Rebind(%q, %q) accepted", bad.action, bad.keys)
		}
	}
	var nilMap *KeyMap
	if err := nilMap.Rebind("next", []string{"x"}); err == nil {
		t.Error("nil KeyMap accepted")
	}
	acts := Actions()
	for _, a := range []string{"up", "page_down", "seek_back_long", "vol_up", "stop_quit", "refresh"} {
		if !slices.Contains(acts, a) {
			t.Errorf("Actions lacks %q: %q", a, acts)
		}
	}
	for _, a := range acts {
		if err := k.Rebind(a, []string{"f1"}); err != nil {
			t.Errorf("Rebind(%q): %v", a, err)
		}
	}
}

func TestHelpScrollsWhenSmall(t *testing.T) {
	h, _ := browse(t, 40, 12, Options{})
	h.keys("?")
	first := noStyle(h.m)
	h.keys("j", "j", "j")
	if noStyle(h.m) == first {
		t.Fatal("help didn't scroll")
	}
	h.keys("G") // bottom isn't bound in help; j many times reaches the end
	for range 100 {
		h.keys("j")
	}
	wantScreen(t, h, "stop playback and quit")
	h.keys("?")
	if h.m.s.help.open {
		t.Fatal("? didn't close help")
	}
}

func TestStartPathMissingThenRetry(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{StartPath: "/Nope"})
	wantScreen(t, h, "Nope", "✗ ", "does not exist")
	h.keys("R")
	wantScreen(t, h, "✗ ")
	h.keys("h", "q")
	if !h.quit {
		t.Fatal("q didn't quit")
	}
}

func TestFolderForTheNextStart(t *testing.T) {
	h, srv := browse(t, 80, 24, Options{})
	if f := h.m.Folder(); f.ID != 0 || f.Path != "/" {
		t.Fatalf("root: %+v", f)
	}
	h.keys("enter", "j", "j", "enter", "enter") // Music/Live/1969
	if f := h.m.Folder(); f.Path != "/Music/Live/1969" || f.ID != srv.FolderID("/Music/Live/1969") {
		t.Fatalf("got %+v", f)
	}
	// Started by path: the path carries on.
	h2, srv2 := browse(t, 80, 24, Options{StartPath: "Music/Live/"})
	h2.keys("enter")
	if f := h2.m.Folder(); f.Path != "/Music/Live/1969" || f.ID != srv2.FolderID("/Music/Live/1969") {
		t.Fatalf("from a start path: %+v", f)
	}
	// Started by id: the path is unknown until the root is reached.
	srv3 := newFake(t)
	h3 := newHarness(t, Options{Library: newClient(t, srv3, srv3.Token(testEmail)), StartFolder: srv3.FolderID("/Music")}, 80, 24)
	if f := h3.m.Folder(); f.Path != "" || f.Name != "Music" {
		t.Fatalf("by id: %+v", f)
	}
	h3.keys("h")
	if f := h3.m.Folder(); f.Path != "/" || f.ID != 0 {
		t.Fatalf("parent of a folder opened by id: %+v", f)
	}
	// A saved path that no longer exists: h goes to the root.
	h4, _ := browse(t, 80, 24, Options{StartPath: "/Gone"})
	h4.keys("h")
	if f := h4.m.Folder(); f.Path != "/" {
		t.Fatalf("after a missing start path: %+v", f)
	}
	wantScreen(t, h4, "▸ Music/")
}

func TestMovementKeys(t *testing.T) {
	lib := staticLib{0: bigFolder(100)}
	h := newHarness(t, Options{Library: lib}, 80, 24) // 20 rows
	page := h.m.s.listHeight() - 1
	cases := []struct {
		key  string
		want int
	}{
		{"down", 1}, {"j", 2}, {"up", 1}, {"k", 0}, {"k", 0},
		{"pgdown", page}, {"ctrl+f", 2 * page}, {"pgup", page}, {"ctrl+b", 0},
		{"G", 99}, {"j", 99}, {"g", 0}, {"end", 99}, {"home", 0},
	}
	l := &h.m.s.folders().cur().list
	for _, c := range cases {
		h.keys(c.key)
		if l.cursor != c.want {
			t.Fatalf("after %s the cursor is %d, want %d", c.key, l.cursor, c.want)
		}
	}
	// The cursor row is always on screen.
	h.keys("G")
	wantScreen(t, h, "› ")
	wantCalls(t, h.p)
}

// staticLib is a Library of fixed listings by folder id.
type staticLib map[uint64]*api.Metadata

func (l staticLib) ListFolder(_ context.Context, id uint64, _ bool) (*api.Metadata, error) {
	if m, ok := l[id]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("no folder %d", id)
}
