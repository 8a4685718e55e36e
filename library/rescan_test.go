package library

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

// rescanTree: two albums and a folder of its own, 30 tracks.
func rescanTree() *pcloudtest.Node {
	album := func(artist, name string, n int) *pcloudtest.Node {
		var songs []*pcloudtest.Node
		for i := range n {
			songs = append(songs, tagged(fmt.Sprintf("%02d s.mp3", i+1), pcloudtest.Tags{Artist: artist, Album: name, Title: fmt.Sprintf("%s %d", name, i+1), TrackNo: i + 1}))
		}
		return pcloudtest.Dir(name, songs...)
	}
	return pcloudtest.Dir("", pcloudtest.Dir("Music",
		pcloudtest.Dir("Nina Simone", album("Nina Simone", "Pastel Blues", 12)),
		pcloudtest.Dir("Miles Davis", album("Miles Davis", "Kind of Blue", 12)),
		pcloudtest.Dir("Loose", album("Various", "Odds", 6)),
	))
}

// writeCounter counts the rows written to the index's tables from now on
// (triggers of the test's own, in the file).
func writeCounter(t *testing.T, l *Library) func() map[string]int {
	t.Helper()
	ctx := context.Background()
	stmts := []string{`CREATE TABLE writes(tbl TEXT PRIMARY KEY, n INTEGER NOT NULL)`}
	for _, tbl := range []string{"tracks", "folders", "albums"} {
		for _, ev := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER count_%s_%s AFTER %s ON %s BEGIN
				INSERT INTO writes VALUES('%s', 1) ON CONFLICT(tbl) DO UPDATE SET n=n+1; END`, tbl, ev, ev, tbl, tbl))
		}
	}
	for _, q := range stmts {
		if _, err := l.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return func() map[string]int {
		out := map[string]int{}
		rows, err := l.db.QueryContext(ctx, `SELECT tbl, n FROM writes`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var tbl string
			var n int
			if err := rows.Scan(&tbl, &n); err != nil {
				t.Fatal(err)
			}
			out[tbl] = n
		}
		return out
	}
}

// songsOf is the index's Songs view as "path: artist/album/title".
func songsOf(t *testing.T, l *Library) []string {
	t.Helper()
	ts, err := l.TracksUnder(context.Background(), "/")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tr := range ts {
		out = append(out, fmt.Sprintf("%s: %s/%s/%s", tr.Path, tr.Artist, tr.Album, tr.Title))
	}
	slices.Sort(out)
	return out
}

// R on an account that changed a little writes what changed and no more,
// and ends with the index a first scan would make.
func TestRescanWritesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	f := newFixture(t, rescanTree())
	ctx := context.Background()
	f.scan(t)
	writes := writeCounter(t, f.lib)

	// Unchanged: nothing of the index is written.
	if err := f.lib.Rescan(ctx, f.c, ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	// Of the folders, only the queue's marks of the one below the root
	// (to list, listed) and the root's.
	if w := writes(); w["tracks"] != 0 || w["albums"] != 0 || w["folders"] > 3 {
		t.Fatalf("a rescan of an unchanged account wrote %v", w)
	}

	// One file gone, one new, one retagged, a folder (one album) gone.
	f.srv.Remove("/Music/Nina Simone/Pastel Blues/03 s.mp3")
	f.srv.AddFile("/Music/Miles Davis/Kind of Blue", tagged("13 s.mp3", pcloudtest.Tags{Artist: "Miles Davis", Album: "Kind of Blue", Title: "Flamenco Sketches (alt)", TrackNo: 13}))
	f.srv.SetTags("/Music/Miles Davis/Kind of Blue/02 s.mp3", pcloudtest.Tags{Artist: "Miles Davis", Album: "Kind of Blue", Title: "Freddie Freeloader", TrackNo: 2})
	f.srv.Remove("/Music/Loose")
	if err := f.lib.Rescan(ctx, f.c, ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	// tracks: 1 added, 1 changed, 1 + 6 deleted.
	if w := writes(); w["tracks"] != 9 {
		t.Fatalf("the rescan wrote %d track rows, want 9 (1 new, 1 retagged, 7 gone): %v", w["tracks"], w)
	}
	fresh := &fixture{srv: f.srv, c: f.c, dir: t.TempDir()}
	fresh.lib = fresh.open(t)
	fresh.scan(t)
	if got, want := songsOf(t, f.lib), songsOf(t, fresh.lib); !slices.Equal(got, want) {
		t.Fatalf("after the rescan:\n%q\na first scan:\n%q", got, want)
	}
	got, _ := f.lib.Albums(ctx, "")
	want, _ := fresh.lib.Albums(ctx, "")
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("albums after the rescan %v, a first scan %v", got, want)
	}
	var n int
	if err := f.lib.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name LIKE 'rescan_%'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the rescan's marks are left: %d tables (%v)", n, err)
	}
	if ts, _ := f.lib.Search(ctx, "freddie", 0); len(ts) != 1 {
		t.Fatalf("search after the rescan: %v", ts)
	}
	if ts, _ := f.lib.Search(ctx, "odds", 0); len(ts) != 0 {
		t.Fatalf("search finds the folder that is gone: %v", ts)
	}
}

// While R runs the lists stay whole; stopped half-way, the next Scan
// ends it as a rescan (what is gone is swept).
func TestRescanKeepsTheListsAndResumes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, rescanTree())
	bg := context.Background()
	f.scan(t)
	f.srv.Remove("/Music/Loose/Odds/01 s.mp3")
	ctx, cancel := context.WithCancel(bg)
	var during []int
	err := f.lib.Rescan(ctx, f.c, ScanOptions{Parallel: 1, Progress: func(p Progress) {
		n, _ := f.lib.Count(bg)
		during = append(during, n)
		if p.FoldersDone == 1 {
			cancel()
		}
	}})
	if err == nil || ctx.Err() == nil {
		t.Fatalf("the stopped rescan returned %v", err)
	}
	for _, n := range during {
		if n < 29 {
			t.Fatalf("the index held %d tracks during the rescan (%v), want the 30 it had", n, during)
		}
	}
	if ok, _ := f.lib.Scanned(bg); ok {
		t.Fatal("a stopped rescan says it is done")
	}
	f.scan(t) // resumes
	if n, _ := f.lib.Count(bg); n != 29 {
		t.Fatalf("after the resumed rescan: %d tracks, want 29", n)
	}
	if ok, _ := f.lib.Scanned(bg); !ok {
		t.Fatal("the resumed rescan did not finish")
	}
}

// A track moved to another album's folder leaves its old album's count,
// and the old album goes once it has no track: through the change feed
// (modifyfile) and through R.
func TestTrackMovedBetweenAlbums(t *testing.T) {
	t.Parallel()
	for _, via := range []string{"feed", "rescan"} {
		t.Run(via, func(t *testing.T) {
			t.Parallel()
			root := pcloudtest.Dir("", pcloudtest.Dir("Music",
				pcloudtest.Dir("A", tagged("01 a.mp3", pcloudtest.Tags{Artist: "X", Album: "A", Title: "a1"}), tagged("02 a.mp3", pcloudtest.Tags{Artist: "X", Album: "A", Title: "a2"})),
				pcloudtest.Dir("B", tagged("01 b.mp3", pcloudtest.Tags{Artist: "X", Album: "B", Title: "b1"})),
			))
			f := newFixture(t, root)
			ctx := context.Background()
			f.scan(t)
			albums := func() string {
				f.lib.Reload()
				as, err := f.lib.Albums(ctx, "")
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprint(as)
			}
			move := func(from, name string) {
				f.srv.Move("/Music/"+from+"/"+name, "/Music/B", "")
				if via == "feed" {
					f.scan(t) // one diff: the modifyfile
				} else if err := f.lib.Rescan(ctx, f.c, ScanOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			// The tags say album A still: an album "A" in B's folder now,
			// which the list counts with A's own (one name, one artist).
			move("A", "01 a.mp3")
			if got, want := albums(), "[{A X 2} {B X 1}]"; got != want {
				t.Fatalf("after one track moved: %s, want %s", got, want)
			}
			move("A", "02 a.mp3")
			if got, want := albums(), "[{A X 2} {B X 1}]"; got != want {
				t.Fatalf("after the last track moved: %s, want %s", got, want)
			}
			var dirs int
			if err := f.lib.db.QueryRowContext(ctx, `SELECT count(DISTINCT albumdir) FROM albums`).Scan(&dirs); err != nil || dirs != 1 {
				t.Fatalf("album folders kept: %d (%v), want 1 (A's is empty)", dirs, err)
			}
		})
	}
}
