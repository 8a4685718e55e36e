package playlist

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestLocalSurvivesReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "playlists")
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	a, b, c := Track{FileID: 1, Name: "a.mp3", Path: "/x/a.mp3"}, Track{FileID: 2, Name: "b.mp3", Artist: "Ünï"}, Track{FileID: 3, Name: "c.mp3"}
	p, res, err := l.Create(ctx, "Road ♫", []Track{a, b, a, {Name: "no id"}})
	if err != nil {
		t.Fatal(err)
	}
	if res != (AddResult{Added: 2, Duplicates: 1, Failed: 1}) || !p.Local || !strings.HasPrefix(p.ID, LocalPrefix) {
		t.Fatalf("create: %+v %+v", p, res)
	}
	if _, _, err := l.Create(ctx, "Road ♫", nil); !errors.Is(err, ErrNameTaken) || !strings.Contains(Sentence(err), "already have a playlist") {
		t.Errorf("same name: %v", err)
	}
	if r, err := l.Add(ctx, p.ID, []Track{c, b}); err != nil || r.Added != 1 || r.Duplicates != 1 {
		t.Fatalf("add: %+v %v", r, err)
	}
	if err := l.Move(ctx, p.ID, 2, 0); err != nil { // c a b
		t.Fatal(err)
	}
	if err := l.Remove(ctx, p.ID, []int{1}); err != nil { // c b
		t.Fatal(err)
	}
	if err := l.Remove(ctx, p.ID, []int{5}); !errors.Is(err, ErrBadPosition) {
		t.Errorf("bad position: %v", err)
	}
	if err := l.Rename(ctx, p.ID, "Trip"); err != nil {
		t.Fatal(err)
	}

	// A new store on the same directory sees it all.
	l2, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	list, err := l2.List(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "Trip" || list[0].Tracks != 2 {
		t.Fatalf("reopened list: %+v %v", list, err)
	}
	got, err := l2.Open(ctx, p.ID)
	if err != nil || !sameIDs(ids(got), []uint64{3, 2}) || got[1].Artist != "Ünï" {
		t.Fatalf("reopened: %+v %v", got, err)
	}

	// Files are private and whole: no temporary file left.
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool { return e.Name() == ".lock" }) // the writers' lock
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	if fi, err := os.Stat(filepath.Join(dir, ".lock")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the lock file: %v %v", fi, err)
	}
	fi, _ = os.Stat(filepath.Join(dir, entries[0].Name()))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", fi.Mode().Perm())
	}
	if err := l2.Delete(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := l2.Open(ctx, p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("open after delete: %v", err)
	}
	for _, bad := range []string{"local:../x", "local:", "pcloud:1"} {
		if _, err := l2.Open(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// A damaged file is listed with one sentence and the others still work.
func TestLocalCorruptFile(t *testing.T) {
	dir := t.TempDir()
	l, _ := NewLocal(dir)
	ctx := ctxT(t)
	good, _, err := l.Create(ctx, "Good", []Track{{FileID: 7, Name: "x.mp3"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"broken.json": `{"version":1,"name":"Bro`, "future.json": `{"version":99,"name":"F","tracks":[]}`, "empty.json": ``} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	list, err := l.List(ctx)
	if err != nil || len(list) != 4 {
		t.Fatalf("list: %+v %v", list, err)
	}
	problems := 0
	for _, p := range list {
		if p.Problem == "" {
			continue
		}
		problems++
		if strings.Count(p.Problem, ".") < 1 || strings.Contains(p.Problem, "\n") || !strings.Contains(p.Problem, "left as it is") {
			t.Errorf("problem of %s: %q", p.Name, p.Problem)
		}
		_, err := l.Open(ctx, p.ID)
		if !errors.Is(err, ErrUnreadable) || Sentence(err) != p.Problem {
			t.Errorf("open %s: %v", p.Name, err)
		}
	}
	if problems != 3 {
		t.Errorf("%d problems, want 3", problems)
	}
	if _, err := l.Add(ctx, good.ID, []Track{{FileID: 8, Name: "y.mp3"}}); err != nil {
		t.Errorf("the good one: %v", err)
	}
}

// Adds from many goroutines all land: each is a whole read-modify-write.
func TestLocalConcurrentAdds(t *testing.T) {
	l, _ := NewLocal(t.TempDir())
	ctx := ctxT(t)
	p, _, err := l.Create(ctx, "Busy", nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := l.Add(ctx, p.ID, []Track{{FileID: uint64(i + 1), Name: "x.mp3"}}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := l.Open(ctx, p.ID)
	if err != nil || len(got) != 20 {
		t.Errorf("%d tracks, %v", len(got), err)
	}
}

// Two processes changing one playlist keep both changes (two adding 200
// tracks each kept 212): the directory's lock file orders them. Two Locals
// on one directory stand for two processes (a flock belongs to the open
// file, not the process).
func TestLocalTwoWritersLoseNothing(t *testing.T) {
	dir := t.TempDir()
	a, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewLocal(dir)
	ctx := context.Background()
	pl, _, err := a.Create(ctx, "Both", nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w, l := range []*Local{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if _, err := l.Add(ctx, pl.ID, []Track{{FileID: uint64(w*1000 + i + 1), Name: "t.mp3"}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	tracks, err := a.Open(ctx, pl.ID)
	if err != nil || len(tracks) != 400 {
		t.Errorf("%d tracks kept of 400 (%v)", len(tracks), err)
	}
	list, _ := b.List(ctx)
	if len(list) != 1 {
		t.Errorf("the list shows %d playlists: %+v", len(list), list)
	}
}
