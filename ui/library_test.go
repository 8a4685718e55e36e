package ui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/library"
)

// The library views over a real index: the fake pCloud over HTTP, scanned
// by a running library.Keeper into a SQLite file in a temp dir.

func tagSong(name, artist, album, title string, no int) *pcloudtest.Node {
	return pcloudtest.AudioFile(name, mp3Stub, pcloudtest.Tags{Artist: artist, Album: album, Title: title, TrackNo: no})
}

// libTree: two albums of one artist, listed out of track order, a
// two-disc album from its folders, and a song in a folder of its own.
func libTree() *pcloudtest.Node {
	return pcloudtest.Dir("",
		pcloudtest.Dir("Music",
			pcloudtest.Dir("Abba",
				pcloudtest.Dir("Arrival",
					tagSong("03 Dum Dum Diddle.mp3", "ABBA", "Arrival", "Dum Dum Diddle", 3),
					tagSong("01 When I Kissed the Teacher.mp3", "ABBA", "Arrival", "When I Kissed the Teacher", 1),
					tagSong("02 Dancing Queen.mp3", "ABBA", "Arrival", "Dancing Queen", 2),
				),
				pcloudtest.Dir("Waterloo",
					tagSong("01 Waterloo.mp3", "ABBA", "Waterloo", "Waterloo", 1),
				),
			),
			pcloudtest.Dir("Zappa",
				pcloudtest.Dir("Hot Rats",
					pcloudtest.Dir("Disc 2", tagSong("01 Gumbo.mp3", "Frank Zappa", "Hot Rats", "Gumbo Variations", 1)),
					pcloudtest.Dir("Disc 1", tagSong("01 Peaches.mp3", "Frank Zappa", "Hot Rats", "Peaches en Regalia", 1)),
				),
			),
		),
		pcloudtest.Dir("Elsewhere", tagSong("Halo.mp3", "Beyoncé", "I Am... Sasha Fierce", "Halo", 5)),
	)
}

type libWorld struct {
	*harness
	srv    *pcloudtest.Server
	keeper *library.Keeper
	lib    *library.Library
}

// keepIndex runs a keeper of a new index on c's account for the test's
// length.
func keepIndex(t *testing.T, c *api.Client) (*library.Library, *library.Keeper) {
	t.Helper()
	lib, err := library.Open(filepath.Join(t.TempDir(), "library.db"), library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	k := library.NewKeeper(lib, c, library.KeeperOptions{Wait: time.Second, RetryWait: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; lib.Close() })
	return lib, k
}

// newLibWorld scans libTree with a running keeper and opens the UI on it.
func newLibWorld(t *testing.T, w, h int) *libWorld {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{Root: libTree(), Accounts: []pcloudtest.Account{{Email: testEmail, Password: testPass}}})
	t.Cleanup(srv.Close)
	c := newClient(t, srv, srv.Token(testEmail))
	lib, k := keepIndex(t, c)
	waitState(t, k, func(s library.State) bool { return s.Complete && !s.Scanning })
	hs := newHarness(t, Options{Library: c, Keeper: k, Index: func() (*library.Library, error) { return lib, nil }}, w, h)
	lw := &libWorld{harness: hs, srv: srv, keeper: k, lib: lib}
	lw.fire("library") // the keeper's state as it is now
	return lw
}

func waitState(t *testing.T, k *library.Keeper, cond func(library.State) bool) library.State {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		st, next := k.LibraryState()
		if cond(st) {
			return st
		}
		select {
		case <-next:
		case <-deadline:
			t.Fatalf("library state never came: %+v", st)
		}
	}
}

// rows is the texts of the rows the shown library view has.
func (w *libWorld) rows() []string {
	v := w.m.s.views[w.m.s.cur]
	var p *libPane
	switch v := v.(type) {
	case *artistsView:
		p = &v.libPane
	case *albumsView:
		p = &v.libPane
	case *songsView:
		p = &v.libPane
	default:
		w.t.Fatalf("view %T is not a library view", v)
	}
	var out []string
	for _, r := range p.shown() {
		out = append(out, r.text)
	}
	return out
}

func wantRows(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("rows:\n got %q\nwant %q", got, want)
	}
}

func TestArtistsAlbumsTracks(t *testing.T) {
	w := newLibWorld(t, 100, 30)
	w.keys("2")
	wantRows(t, w.rows(), "ABBA", "Beyoncé", "Frank Zappa")
	if s := plainView(w.m); !strings.Contains(s, "Artists") || !strings.Contains(s, "2 albums") {
		t.Fatalf("the artists view:\n%s", s)
	}
	w.keys("enter")
	wantRows(t, w.rows(), "Arrival", "Waterloo")
	w.keys("enter")
	wantRows(t, w.rows(), "01 When I Kissed the Teacher", "02 Dancing Queen", "03 Dum Dum Diddle")
	if s := plainView(w.m); !strings.Contains(s, "Artists › ABBA › Arrival") {
		t.Fatalf("no breadcrumbs:\n%s", s)
	}
	w.keys("down", "enter")
	if got := w.p.take(); !slices.Equal(got, []string{"Replace(01 When I Kissed the Teacher.mp3,02 Dancing Queen.mp3,03 Dum Dum Diddle.mp3;1)"}) {
		t.Fatalf("enter on the second track: %q", got)
	}
	w.keys("backspace")
	wantRows(t, w.rows(), "Arrival", "Waterloo")
	w.keys("backspace", "down", "down", "enter", "enter")
	// Disc 1 before disc 2, whatever the folders' order.
	wantRows(t, w.rows(), "01 Peaches en Regalia", "2-01 Gumbo Variations")
	w.keys("backspace", "a")
	if got := w.p.take(); !slices.Equal(got, []string{"Enqueue(01 Peaches.mp3,01 Gumbo.mp3)"}) {
		t.Fatalf("a on an album: %q", got)
	}
	w.keys("backspace", "home", "E")
	if got := w.p.take(); !slices.Equal(got, []string{"InsertNext(01 When I Kissed the Teacher.mp3,02 Dancing Queen.mp3,03 Dum Dum Diddle.mp3,01 Waterloo.mp3)"}) {
		t.Fatalf("E on an artist: %q", got)
	}
}

func TestAlbumsAndSongs(t *testing.T) {
	w := newLibWorld(t, 100, 30)
	w.keys("3")
	wantRows(t, w.rows(), "Arrival — ABBA", "Hot Rats — Frank Zappa", "I Am... Sasha Fierce — Beyoncé", "Waterloo — ABBA")
	w.keys("down", "E")
	if got := w.p.take(); !slices.Equal(got, []string{"InsertNext(01 Peaches.mp3,01 Gumbo.mp3)"}) {
		t.Fatalf("E on an album: %q", got)
	}

	// A duration learnt while playing shows once the keeper says so.
	id := w.srv.FileID("/Music/Abba/Arrival/02 Dancing Queen.mp3")
	w.keeper.Played(id, 3*time.Minute+51*time.Second)
	waitState(t, w.keeper, func(library.State) bool {
		tr, _, _ := w.lib.Track(context.Background(), id)
		return tr.Duration > 0
	})
	w.fire("library")
	w.keys("4")
	wantRows(t, w.rows(), "ABBA · Arrival · 01 When I Kissed the Teacher", "ABBA · Arrival · 02 Dancing Queen",
		"ABBA · Arrival · 03 Dum Dum Diddle", "ABBA · Waterloo · 01 Waterloo",
		"Beyoncé · I Am... Sasha Fierce · 05 Halo", "Frank Zappa · Hot Rats · 01 Peaches en Regalia",
		"Frank Zappa · Hot Rats · 2-01 Gumbo Variations")
	if s := plainView(w.m); !strings.Contains(s, "3:51") {
		t.Fatalf("no duration in Songs:\n%s", s)
	}
	w.keys("down", "down", "down", "enter")
	if got := w.p.take(); !slices.Equal(got, []string{"Replace(01 Waterloo.mp3,Halo.mp3,01 Peaches.mp3,01 Gumbo.mp3;0)"}) {
		t.Fatalf("enter in Songs: %q", got)
	}
}

func TestLibrarySearch(t *testing.T) {
	w := newLibWorld(t, 100, 30)
	w.keys("4", "down", "down")
	w.keys("/")
	w.typeText("beyonce")
	wantRows(t, w.rows(), "Beyoncé · I Am... Sasha Fierce · 05 Halo")
	w.keys("enter", "enter") // keep the query, then play
	if got := w.p.take(); !slices.Equal(got, []string{"Replace(Halo.mp3;0)"}) {
		t.Fatalf("enter on a search result: %q", got)
	}
	// Words in any order, prefixes; the result list is the queue.
	w.keys("/", "ctrl+u")
	w.typeText("que danc")
	wantRows(t, w.rows(), "ABBA · Arrival · 02 Dancing Queen")
	w.keys("esc")
	if got := w.rows(); len(got) != 7 || w.m.s.views[3].list().cursor != 2 {
		t.Fatalf("esc: %d rows, cursor %d; want all 7 and the cursor back on row 2", len(got), w.m.s.views[3].list().cursor)
	}
	// In Artists too, and "/" in Folders stays the folder filter.
	w.keys("2", "/")
	w.typeText("gumbo")
	wantRows(t, w.rows(), "Frank Zappa · Hot Rats · 2-01 Gumbo Variations")
	w.keys("esc")
	wantRows(t, w.rows(), "ABBA", "Beyoncé", "Frank Zappa")
}

// An answer older than the latest keystroke is dropped.
func TestStaleSearchAnswerDropped(t *testing.T) {
	w := newLibWorld(t, 100, 30)
	w.keys("4", "/")
	update := func(msg tea.Msg) tea.Cmd {
		nm, cmd := w.m.Update(msg)
		w.m = nm.(Model)
		return cmd
	}
	first := update(tea.KeyPressMsg{Code: 'h', Text: "h"})  // "h"
	second := update(tea.KeyPressMsg{Code: 'a', Text: "a"}) // "ha"
	if first == nil || second == nil {
		t.Fatal("a keystroke asked nothing")
	}
	w.run(second)
	wantRows(t, w.rows(), "Beyoncé · I Am... Sasha Fierce · 05 Halo")
	w.run(first) // "h" matches more; it comes late and is dropped
	wantRows(t, w.rows(), "Beyoncé · I Am... Sasha Fierce · 05 Halo")
}

func TestLibraryProgressAndNotice(t *testing.T) {
	w := newLibWorld(t, 100, 30)
	w.keys("2")
	st, _ := w.keeper.LibraryState()
	st.Scanning, st.Files, st.FoldersDone, st.FoldersLeft = true, 12, 1, 3
	st.Notice = "The music library index was damaged (corrupt); it was moved to library.db.damaged and is being rebuilt by a full scan."
	w.send(libStateMsg{st: st})
	s := plainView(w.m)
	if !strings.Contains(s, "Scanning pCloud: 12 files found, 3 folders left") || !strings.Contains(s, "█") {
		t.Fatalf("no progress while scanning:\n%s", s)
	}
	if !strings.Contains(noStyle(w.m), "The music library index was damaged") {
		t.Fatalf("the notice is not in the status line:\n%s", s)
	}
	// R: the rows stay, and the line says they are being listed again.
	st.Rescanning, st.Complete = true, true
	w.send(libStateMsg{st: st})
	if s := plainView(w.m); !strings.Contains(s, "Rescanning pCloud: 12 files listed, 3 folders left") || !strings.Contains(s, "ABBA") {
		t.Fatalf("R's progress, or the rows under it:\n%s", s)
	}
	// View changes nothing: twice the same, the list as it was.
	l := *w.m.s.views[1].list()
	if a, b := plainView(w.m), plainView(w.m); a != b || w.m.s.views[1].list().cursor != l.cursor || w.m.s.views[1].list().offset != l.offset {
		t.Fatal("View changed the model")
	}
}

// R rescans: the keeper lists the account again.
func TestRescanKey(t *testing.T) {
	w := newLibWorld(t, 100, 30)
	lists := func() int {
		n := 0
		for _, r := range w.srv.Log() {
			if r.Method == "listfolder" {
				n++
			}
		}
		return n
	}
	before := lists()
	w.keys("3", "R")
	if s := noStyle(w.m); !strings.Contains(s, "Rescanning the library") {
		t.Fatalf("no notice for R:\n%s", s)
	}
	deadline := time.Now().Add(10 * time.Second)
	for lists() <= before {
		if time.Now().After(deadline) {
			t.Fatal("R did not list the account again")
		}
		time.Sleep(5 * time.Millisecond)
	}
	waitState(t, w.keeper, func(s library.State) bool { return s.Complete && !s.Scanning })
}

// The cursor stays on its artist when the rows are read again with an
// artist added above it (a scan's batch landing while one moves).
func TestLibraryCursorFollowsItsRow(t *testing.T) {
	w := newLibWorld(t, 100, 30)
	w.keys("2", "down")
	cursorOn := func() string {
		p := &w.m.s.views[1].(*artistsView).libPane
		return p.rows[p.l.selected()].text
	}
	if got := cursorOn(); got != "Beyoncé" {
		t.Fatalf("the cursor is on %q, want Beyoncé", got)
	}
	w.srv.AddFile("/Elsewhere", tagSong("Hello.mp3", "Adele", "25", "Hello", 1))
	waitState(t, w.keeper, func(library.State) bool {
		as, _ := w.lib.Artists(context.Background())
		return len(as) == 4
	})
	w.fire("library")
	wantRows(t, w.rows(), "ABBA", "Adele", "Beyoncé", "Frank Zappa")
	if got := cursorOn(); got != "Beyoncé" {
		t.Fatalf("after the reload the cursor is on %q, want Beyoncé", got)
	}
}
