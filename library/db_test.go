package library

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

// The index and its -wal and -shm are the person's alone, whatever the
// umask (they were 0644).
func TestIndexFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "library.db")
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Count(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(path + suffix)
		if err != nil {
			t.Fatalf("%s: %v", suffix, err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("library.db%s is %o", suffix, fi.Mode().Perm())
		}
	}
}

// An index of schema version 4 (paths and folded text kept per track, the
// full-text index with positions) is changed in place as it is opened: the
// same tracks, paths and search answers, no scan, and a smaller file.
func TestSchema4MigratedInPlace(t *testing.T) {
	f := queryFixture(t)
	ctx := context.Background()
	songs, err := f.lib.Songs(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	found, _ := f.lib.Search(ctx, "beyonce hal", 10)
	artists, _ := f.lib.Artists(ctx)
	albums, _ := f.lib.Albums(ctx, "")
	// Back to version 4: the columns and the full-text index it had.
	for _, q := range []string{
		`DROP TABLE tracks_fts`,
		`ALTER TABLE tracks ADD COLUMN path TEXT NOT NULL DEFAULT ''`,
		`UPDATE tracks SET path = ` + pathCol,
		`ALTER TABLE tracks ADD COLUMN aakey TEXT NOT NULL DEFAULT ''`,
		`UPDATE tracks SET aakey = pcplay_sortkey(albumartist)`,
		`CREATE INDEX tracks_albums ON tracks(albumkey, aakey, album, albumartist)`,
		`CREATE INDEX tracks_aa ON tracks(aakey, albumartist, albumkey)`,
		`DROP TABLE albums`,
		`ALTER TABLE tracks ADD COLUMN folded TEXT NOT NULL DEFAULT ''`,
		`UPDATE tracks SET folded = title || char(31) || artist`,
		`CREATE VIRTUAL TABLE tracks_fts USING fts5(title, artist, album, albumartist, name,
			content='tracks', content_rowid='fileid', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')`,
		`INSERT INTO tracks_fts(tracks_fts) VALUES('rebuild')`,
		`UPDATE meta SET value='4' WHERE key='schema'`,
	} {
		if _, err := f.lib.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	f.lib.Close()
	l := f.open(t)
	if v, _ := getMeta(ctx, l.db, "schema"); v != schemaVersion {
		t.Fatalf("schema %q after the migration", v)
	}
	var n int
	if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('tracks') WHERE name IN ('path', 'folded', 'aakey')`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d old columns left (%v)", n, err)
	}
	if done, _ := l.Scanned(ctx); !done {
		t.Fatal("the migrated index needs a scan")
	}
	again, err := l.Songs(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, songs) {
		t.Fatalf("songs after the migration:\n%+v\nbefore:\n%+v", again, songs)
	}
	if got, _ := l.Search(ctx, "beyonce hal", 10); len(found) != 1 || !reflect.DeepEqual(got, found) {
		t.Fatalf("search after the migration %+v, before %+v", got, found)
	}
	if got, _ := l.Artists(ctx); !reflect.DeepEqual(got, artists) {
		t.Fatalf("artists after the migration %+v, before %+v", got, artists)
	}
	if got, _ := l.Albums(ctx, ""); !reflect.DeepEqual(got, albums) {
		t.Fatalf("albums after the migration %+v, before %+v", got, albums)
	}
	if got, _ := l.TracksUnder(ctx, "/Music/The Beatles"); len(got) != 4 || got[0].Path != "/Music/The Beatles/Abbey Road/Disc 1/2 Something.mp3" {
		t.Fatalf("tracks under the Beatles: %+v", got)
	}
}
