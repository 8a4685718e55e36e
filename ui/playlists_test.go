package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// withPlaylists builds a harness browsing the fake with a real playlist
// store over it (pCloud's collections, and local ones in a temp dir).
func withPlaylists(t *testing.T, refuse bool) (*harness, *pcloudtest.Server, *playlist.Auto) {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts:               []pcloudtest.Account{{Email: testEmail, Password: testPass}},
		Root:                   testTree(),
		RefuseOAuthCollections: refuse,
	})
	t.Cleanup(srv.Close)
	tok, kind := srv.Token(testEmail), api.TokenAuth
	if refuse {
		tok, kind = srv.OAuthToken(testEmail), api.TokenBearer
	}
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: tok, TokenKind: kind, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	store, err := playlist.NewAuto(c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newHarness(t, Options{Library: c, Playlists: store}, 100, 30), srv, store
}

// abbeyQueue is Music/Abbey Road's playable files with their real ids.
func abbeyQueue(srv *pcloudtest.Server) []player.Track {
	q := abbey()
	for i := range q {
		q[i].FileID = srv.FileID("/Music/Abbey Road/" + q[i].Name)
	}
	return q
}

func playlistsByName(h *harness, store *playlist.Auto) map[string]playlist.Playlist {
	h.t.Helper()
	lists, err := store.List(t0(h))
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string]playlist.Playlist{}
	for _, pl := range lists {
		out[pl.Name] = pl
	}
	return out
}

func TestPlaylistsSaveOpenPlayEdit(t *testing.T) {
	h, srv, store := withPlaylists(t, false)
	q := abbeyQueue(srv)
	h.status(playingAt(q, 0, 1), q)

	h.keys("S")
	h.typeText("Road trip")
	h.keys("enter")
	wantScreen(t, h, "Made playlist “Road trip”: Added 4 tracks.")
	pl, ok := playlistsByName(h, store)["Road trip"]
	if !ok || pl.Tracks != 4 || pl.Local {
		t.Fatalf("after S: %+v (found %v)", pl, ok)
	}

	h.keys("5")
	wantScreen(t, h, "Playlists", "Road trip", "4 tracks · pCloud", "Most Listened", "pCloud, read-only")
	h.keys("G", "enter") // the playlists are listed pCloud's own first
	wantScreen(t, h, "Playlists › Road trip", "▶ The Beatles – Come Together", "♪ The Beatles – Something")
	h.keys("j", "enter")
	wantCalls(t, h.p, "Replace(01 Come Together.mp3,02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3;1)")

	h.keys("J") // Something moves below Maxwell
	wantCalls(t, h.p)
	got, _ := store.Open(t0(h), pl.ID)
	if len(got) != 4 || got[2].Name != "02 Something.mp3" || got[1].Name != "03 Maxwell.mp3" {
		t.Fatalf("after J the playlist is %v", trackNames(got))
	}
	h.keys("d") // removes Something, where the cursor went with it, once said yes to
	wantScreen(t, h, "Remove The Beatles – Something from “Road trip”? (a playlist has no undo)")
	h.keys("n")
	if got, _ = store.Open(t0(h), pl.ID); len(got) != 4 {
		t.Fatalf("n removed a track: %v", trackNames(got))
	}
	h.keys("d", "y")
	wantScreen(t, h, "Removed The Beatles – Something from “Road trip”.")
	got, _ = store.Open(t0(h), pl.ID)
	if len(got) != 3 || slicesContain(trackNames(got), "02 Something.mp3") {
		t.Fatalf("after d the playlist is %v", trackNames(got))
	}

	h.keys("a")
	wantCalls(t, h.p, "Enqueue(10 Octopus's Garden.mp3)")
	h.keys("backspace", "E") // the whole playlist plays next
	wantCalls(t, h.p, "InsertNext(01 Come Together.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3)")

	h.keys("e", "backspace", "backspace", "backspace", "backspace")
	h.typeText("walk")
	h.keys("enter")
	wantScreen(t, h, "Renamed “Road trip” to “Road walk”.", "Road walk")
	h.keys("D")
	wantScreen(t, h, "Delete the playlist “Road walk” (3 tracks)?")
	h.keys("n")
	if _, ok := playlistsByName(h, store)["Road walk"]; !ok {
		t.Fatal("n deleted the playlist")
	}
	h.keys("D", "y")
	wantScreen(t, h, "Deleted “Road walk”.")
	if _, ok := playlistsByName(h, store)["Road walk"]; ok {
		t.Fatal("y did not delete the playlist")
	}
	h.keys("g", "d", "D", "e") // Most Listened: read-only
	wantScreen(t, h, "is one of pCloud's own playlists")
}

func TestPlaylistsAddFromTheBrowser(t *testing.T) {
	h, _, store := withPlaylists(t, false)
	h.keys("enter", "G", "k", "k", "k", "A") // Music: Live, recursively
	wantScreen(t, h, "Add Live to…", "+ a new playlist…")
	if strings.Contains(noStyle(h.m), "Most Listened") {
		// Most Listened is read-only: the picker offers only what can change.
		t.Fatalf("the picker offers a read-only playlist:\n%s", noStyle(h.m))
	}
	h.keys("enter")
	h.typeText("Live")
	h.keys("enter")
	wantScreen(t, h, "Made playlist “Live”: Added 2 tracks.")

	h.keys("A", "j", "enter") // again into Live: duplicates
	wantScreen(t, h, "Added 0 tracks; 2 were already in the playlist to “Live”.")
	h.keys("A", "enter")
	h.typeText("Live")
	h.keys("enter")
	wantScreen(t, h, "You already have a playlist called \"Live\"")
	if n := playlistsByName(h, store)["Live"].Tracks; n != 2 {
		t.Fatalf("Live has %d tracks, want 2", n)
	}
}

func TestPlaylistsRefusedAreLocal(t *testing.T) {
	h, srv, store := withPlaylists(t, true)
	q := abbeyQueue(srv)
	h.status(playingAt(q, 0, 1), q)
	h.keys("S")
	h.typeText("Kept here")
	h.keys("enter")
	wantScreen(t, h, "It is kept on this machine.")
	h.keys("5")
	wantScreen(t, h, "Kept here", "4 tracks · this machine")
	left := strings.Join(h.m.s.playlists().view(60, 20, true, false), "\n")
	if sc := strings.Join(strings.Fields(sgr.ReplaceAllString(left, "")), " "); !strings.Contains(sc, playlist.RefusedNotice) {
		t.Fatalf("view 5 lacks the notice %q:\n%s", playlist.RefusedNotice, noStyle(h.m))
	}
	h.keys("enter")
	wantScreen(t, h, "Playlists › Kept here", "▶ The Beatles – Come Together")
	if pl := playlistsByName(h, store)["Kept here"]; !pl.Local {
		t.Fatalf("the playlist is not local: %+v", pl)
	}
	h.keys("backspace", "P")
	wantScreen(t, h, "pCloud refuses playlists for this login")
}

// A login pCloud no longer accepts, met in view 5 (opening a playlist),
// opens the login screen as it does in the folders, instead of a line
// that nothing can fix; logged in again, the playlists are read again.
func TestPlaylistsLoginRefused(t *testing.T) {
	srv := pcloudtest.NewServer(pcloudtest.Options{Accounts: []pcloudtest.Account{{Email: testEmail, Password: testPass}}, Root: testTree()})
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token(testEmail), TokenKind: api.TokenAuth, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	store, err := playlist.NewAuto(c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Create(context.Background(), "Road trip", nil); err != nil {
		t.Fatal(err)
	}
	rec := &loginRec{}
	h := newHarness(t, Options{Library: c, Auth: c, OnLogin: rec.on, Playlists: store, ClientID: testClientID}, 100, 30)
	h.keys("5")
	wantScreen(t, h, "Road trip")
	srv.RevokeAll()
	h.keys("enter")
	if h.screen() != "login" {
		t.Fatalf("opening a playlist with a revoked login: screen %s\n%s", h.screen(), noStyle(h.m))
	}
	wantText(t, h, "log in again")
}

func t0(h *harness) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	h.t.Cleanup(cancel)
	return ctx
}

func trackNames(ts []playlist.Track) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

func slicesContain(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// S on a queue that has tracks twice makes a playlist that has each once,
// and says so: nothing was "already in the playlist" of a new one.
func TestSaveQueueWithRepeats(t *testing.T) {
	for _, refuse := range []bool{false, true} { // pCloud's playlists, local ones
		h, srv, store := withPlaylists(t, refuse)
		q := abbeyQueue(srv)
		q = append(q, q[0], q[1], q[0]) // Come Together thrice, Something twice
		h.status(playingAt(q, 0, 1), q)
		h.keys("S")
		h.typeText("Again")
		h.keys("enter")
		wantWords(t, h, "Made playlist “Again”: Added 4 tracks. 2 tracks were in the queue more than once; each is in the playlist once.")
		lacks(t, h, "already in the playlist")
		if pl := playlistsByName(h, store)["Again"]; pl.Tracks != 4 {
			t.Fatalf("refuse %v: the playlist has %d tracks, want 4", refuse, pl.Tracks)
		}

		q = append(abbeyQueue(srv), abbeyQueue(srv)[2])
		h.status(playingAt(q, 0, 2), q)
		h.keys("S")
		h.typeText("Once more")
		h.keys("enter")
		wantWords(t, h, "Added 4 tracks. 1 track was in the queue twice; it is in the playlist once.")
	}
}

// wantWords is wantScreen for a sentence the status line may wrap.
func wantWords(t *testing.T, h *harness, s string) {
	t.Helper()
	if words := strings.Join(strings.Fields(noStyle(h.m)), " "); !strings.Contains(words, s) {
		t.Fatalf("screen lacks %q:\n%s", s, noStyle(h.m))
	}
}

// R in view 5 after a playlist above the cursor was deleted elsewhere:
// the cursor stays on its playlist, not on the one that moved up.
func TestPlaylistsCursorStaysOnItsList(t *testing.T) {
	h, srv, store := withPlaylists(t, false)
	q := abbeyQueue(srv)
	one := []playlist.Track{{FileID: q[0].FileID, Name: q[0].Name}}
	for _, name := range []string{"Road trip", "Sunday", "Morning"} {
		if _, _, err := store.Create(t0(h), name, one); err != nil {
			t.Fatal(err)
		}
	}
	h.keys("5")
	wantScreen(t, h, "Road trip", "Sunday", "Morning")
	h.keys("G", "k")
	on := func() string {
		if pl := h.m.s.views[4].(*playlistsView).selectedList(); pl != nil {
			return pl.Name
		}
		return ""
	}
	if got := on(); got != "Sunday" {
		t.Fatalf("G k is on %q, want Sunday", got)
	}
	if err := store.Delete(t0(h), playlistsByName(h, store)["Road trip"].ID); err != nil {
		t.Fatal(err)
	}
	h.keys("R")
	if got := on(); got != "Sunday" {
		t.Fatalf("after R the cursor is on %q, want Sunday", got)
	}
}
