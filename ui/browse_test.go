package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/internal/order"
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
	// A folder added above the cursor: R keeps it on Live, not on the row
	// Live was at.
	srv.AddFolder("/Music", "Alpha")
	h.keys("R")
	if got := selectedName(h); got != "Live" {
		t.Fatalf("refresh with a folder added above moved the cursor to %q", got)
	}
	h.keys("ctrl+r")
	if got := len(srv.Calls("listfolder")); got != n+3 {
		t.Fatalf("ctrl+r made %d calls, want 1", got-n-2)
	}
	// At the top folder, parent does nothing.
	h.keys("h", "h", "h")
	wantScreen(t, h, "pCloud", "▸ Music/")
}

func TestBrowseEmptyAndError(t *testing.T) {
	h, srv := browse(t, 80, 24, Options{})
	h.keys("enter", "j", "enter") // Music/Empty
	wantScreen(t, h, "pCloud › Music › Empty", "(empty folder)")
	h.keys("h", "k")      // back to Music, on Abbey Road
	srv.FailNext(1, 2003) // not pCloud's fault: no wait (browser_retry_test.go)
	h.keys("enter")
	f := h.m.s.folders().cur()
	if f.err == "" || f.meta != nil {
		t.Fatalf("want an error in place, got err=%q", f.err)
	}
	wantScreen(t, h, "✗ ", "R tries again")
	h.keys("R")
	wantScreen(t, h, "Come Together")
}

func TestPlayFromHereMakesTheFolderTheQueue(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.keys("enter", "enter", "j") // Music/Abbey Road, second row
	h.keys("enter")
	wantCalls(t, h.p, "Replace(01 Come Together.mp3,02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3;1)")
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
	wantCalls(t, h.p, "Replace(01 Come Together.mp3,02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3;1)")
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

func TestNaturalOrder(t *testing.T) {
	in := []string{"track 10.mp3", "Track 2.mp3", "track 1.mp3", "b", "A", "track 002b", "track 02a"}
	slices.SortStableFunc(in, order.Compare)
	want := []string{"A", "b", "track 1.mp3", "Track 2.mp3", "track 02a", "track 002b", "track 10.mp3"}
	if !slices.Equal(in, want) {
		t.Fatalf("got %q\nwant %q", in, want)
	}
	if order.Compare("x9", "X10") >= 0 || order.Compare("x10", "x9") <= 0 {
		t.Fatal("order.Compare: 9 sorts before 10")
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

// TestFilterNumbersByValue: "/25" finds 025 first, then the numbers that
// begin with 25; zeros before a number are padding, not a word's middle.
func TestFilterNumbersByValue(t *testing.T) {
	var l list
	l.setTexts([]string{"250 a.mp3", "251 b.mp3", "track 7.mp3", "259 d.mp3", "025 c.mp3", "125.mp3"})
	l.setFilter("25")
	var got []int
	for row := range l.Len() {
		got = append(got, l.At(row))
	}
	if want := []int{4, 0, 1, 3, 5}; !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	padded, _ := fuzzy([]rune("5"), "5", "05 x")
	middle, _ := fuzzy([]rune("5"), "5", "15 x")
	if padded <= middle {
		t.Errorf("the 5 of 05 (%d) doesn't start a word, against the 5 of 15 (%d)", padded, middle)
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
		t.Fatalf("top folder: %+v", f)
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
	// Started by id: the path is unknown until the top folder is reached.
	srv3 := newFake(t)
	h3 := newHarness(t, Options{Library: newClient(t, srv3, srv3.Token(testEmail)), StartFolder: srv3.FolderID("/Music")}, 80, 24)
	if f := h3.m.Folder(); f.Path != "" || f.Name != "Music" {
		t.Fatalf("by id: %+v", f)
	}
	h3.keys("h")
	if f := h3.m.Folder(); f.Path != "/" || f.ID != 0 {
		t.Fatalf("parent of a folder opened by id: %+v", f)
	}
	// A saved path that no longer exists: h goes to the top folder.
	h4, _ := browse(t, 80, 24, Options{StartPath: "/Gone"})
	h4.keys("h")
	if f := h4.m.Folder(); f.Path != "/" {
		t.Fatalf("after a missing start path: %+v", f)
	}
	wantScreen(t, h4, "▸ Music/")
}

// staticLib is a [Library] of fixed listings by folder id.
type staticLib map[uint64]*api.Metadata

func (l staticLib) ListFolder(_ context.Context, id uint64, _ bool) (*api.Metadata, error) {
	if m, ok := l[id]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("no folder %d", id)
}
