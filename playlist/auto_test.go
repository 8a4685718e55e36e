package playlist

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api"
)

// Where pCloud keeps playlists: they are collections, edited in place.
func TestAutoUsesPCloud(t *testing.T) {
	w := newWorld(t, 0, true) // refusal is for bearer tokens only
	a, err := NewAuto(w.client(t, api.TokenAuth), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	tr := w.tracks(t, "/Musik/Björk/Homogenic/01 Hunter.mp3", "/Musik/Björk/Homogenic/02 Jóga.mp3", "/Top level.mp3")
	p, res, err := a.Create(ctx, "Mix", tr)
	if err != nil || res.Added != 3 || p.Local || a.Notice() != "" {
		t.Fatalf("create: %+v %+v %v (notice %q)", p, res, err, a.Notice())
	}
	if err := a.Move(ctx, p.ID, 2, 0); err != nil {
		t.Fatal(err)
	}
	if err := a.Remove(ctx, p.ID, []int{1}); err != nil {
		t.Fatal(err)
	}
	want := []uint64{tr[2].FileID, tr[1].FileID}
	if got := w.srv.CollectionFiles(user, "Mix"); !sameIDs(got, want) {
		t.Fatalf("on pCloud: %v, want %v", got, want)
	}
	got, err := a.Open(ctx, p.ID)
	if err != nil || !sameIDs(ids(got), want) || got[1].Title != "Jóga" || got[1].Album != "Älbum" {
		t.Fatalf("open: %+v %v", got, err)
	}
	if r, err := a.Add(ctx, p.ID, tr); err != nil || r.Added != 1 || r.Duplicates != 2 {
		t.Errorf("add: %+v %v", r, err)
	}
	if _, _, err := a.Create(ctx, "Mix", nil); !errors.Is(err, ErrNameTaken) {
		t.Errorf("name taken: %v", err)
	}
	list, err := a.List(ctx)
	if err != nil || len(list) != 2 || !list[0].ReadOnly || list[1].Name != "Mix" || list[1].Tracks != 3 {
		t.Fatalf("list: %+v %v", list, err)
	}
	err = a.Delete(ctx, list[0].ID)
	if !strings.Contains(Sentence(err), "can't be deleted") {
		t.Errorf("deleting Most Listened: %v", err)
	}
	if err := a.Rename(ctx, p.ID, "Mix 2"); err != nil {
		t.Fatal(err)
	}
	if err := a.Delete(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
}

// Where pCloud refuses collections for the login (an OAuth token), the same
// calls work on local playlists, with the one-line notice; a password
// login's token later pushes them to pCloud.
func TestAutoFallsBackAndPushes(t *testing.T) {
	w := newWorld(t, 250, true)
	dir := filepath.Join(t.TempDir(), "playlists")
	a, err := NewAuto(w.client(t, api.TokenBearer), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	list, err := a.List(ctx)
	if err != nil || len(list) != 0 {
		t.Fatalf("list: %+v %v", list, err)
	}
	if a.Notice() != RefusedNotice {
		t.Fatalf("notice %q", a.Notice())
	}
	var paths []string
	for i := range 250 {
		paths = append(paths, fmt.Sprintf("/Many/T%03d.mp3", i))
	}
	tr := w.tracks(t, paths...)
	p, res, err := a.Create(ctx, "Big", tr)
	if err != nil || !p.Local || res.Added != 250 {
		t.Fatalf("create: %+v %+v %v", p, res, err)
	}
	if err := a.Move(ctx, p.ID, 249, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Push(ctx, p.ID); !errors.Is(err, ErrRefused) || !strings.Contains(Sentence(err), "pcplay login") {
		t.Errorf("push while refused: %v", err)
	}

	// A fresh chooser, the first call a Create: the refusal is found there.
	b, _ := NewAuto(w.client(t, api.TokenBearer), dir)
	if q, _, err := b.Create(ctx, "Small", tr[:2]); err != nil || !q.Local || b.Notice() != RefusedNotice {
		t.Fatalf("create in a fresh chooser: %+v %v %q", q, err, b.Notice())
	}

	// The same account with a password login's token: push.
	w.srv.ResetLog()
	pw, _ := NewAuto(w.client(t, api.TokenAuth), dir)
	got, res, err := pw.Push(ctx, p.ID)
	if err != nil || got.Local || res.Added != 250 {
		t.Fatalf("push: %+v %+v %v", got, res, err)
	}
	want := append([]uint64{tr[249].FileID}, ids(tr[:249])...)
	if on := w.srv.CollectionFiles(user, "Big"); !sameIDs(on, want) {
		t.Fatalf("pushed %d files, not in order", len(on))
	}
	if n := len(w.srv.Calls("collection_create")) + len(w.srv.Calls("collection_linkfiles")); n != 3 {
		t.Errorf("%d calls for 250 tracks", n)
	}
	list, _ = pw.List(ctx)
	var names []string
	for _, p := range list {
		names = append(names, fmt.Sprintf("%s/%v", p.Name, p.Local))
	}
	if strings.Join(names, " ") != "Most Listened/false Big/false Small/true" {
		t.Errorf("after push: %v", names)
	}
	// Pushing onto a taken name keeps the local one.
	small := list[2]
	if err := pw.Local().Rename(ctx, small.ID, "Big"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := pw.Push(ctx, small.ID); !errors.Is(err, ErrNameTaken) || !strings.Contains(Sentence(err), "rename this one") {
		t.Errorf("push onto a taken name: %v", err)
	}
	if _, err := pw.Open(ctx, small.ID); err != nil {
		t.Errorf("the local one is gone: %v", err)
	}
}

// A login that is itself broken is not a refusal: the error comes back.
func TestAutoBrokenLoginIsNoRefusal(t *testing.T) {
	w := newWorld(t, 0, true)
	c := w.client(t, api.TokenBearer)
	w.srv.RevokeAll()
	a, _ := NewAuto(c, t.TempDir())
	_, err := a.List(ctxT(t))
	if err == nil || a.Notice() != "" || !api.IsAuth(err) {
		t.Fatalf("list with a revoked token: %v, notice %q", err, a.Notice())
	}
	if _, _, err := a.Create(ctxT(t), "x", nil); err == nil {
		t.Error("created with a revoked token")
	}
	none, _ := NewAuto(nil, t.TempDir())
	if _, _, err := none.Create(ctxT(t), "x", nil); err != nil || none.Notice() != NoLoginNotice {
		t.Errorf("no login: %v %q", err, none.Notice())
	}
}
