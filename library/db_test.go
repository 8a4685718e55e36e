package library

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
	// Back to version 4: its tables as it made them.
	v4 := []string{
		`DROP TRIGGER tracks_ai`, `DROP TRIGGER tracks_ad`, `DROP TRIGGER tracks_au`,
		`DROP TABLE tracks_fts`,
		`DROP TABLE albums`,
		`ALTER TABLE tracks RENAME TO tracks5`,
		`DROP INDEX tracks_folder`, `DROP INDEX tracks_albumdir`, `DROP INDEX tracks_songs`,
		`CREATE TABLE tracks(
		fileid INTEGER PRIMARY KEY, hash INTEGER NOT NULL, folderid INTEGER NOT NULL,
		path TEXT NOT NULL, name TEXT NOT NULL, category INTEGER NOT NULL,
		artist TEXT NOT NULL, album TEXT NOT NULL, albumartist TEXT NOT NULL, title TEXT NOT NULL,
		genre TEXT NOT NULL, trackno INTEGER NOT NULL, disc INTEGER NOT NULL, duration_ms INTEGER,
		albumdir TEXT NOT NULL, artistkey TEXT NOT NULL, albumkey TEXT NOT NULL, aakey TEXT NOT NULL, namekey TEXT NOT NULL,
		t_artist TEXT NOT NULL, t_album TEXT NOT NULL, t_title TEXT NOT NULL, t_trackno INTEGER NOT NULL,
		folded TEXT NOT NULL)`,
		`INSERT INTO tracks SELECT fileid, hash, folderid, ` + strings.ReplaceAll(pathCol, "tracks.", "tracks5.") + `, name, category,
			artist, album, albumartist, title, genre, trackno, disc, duration_ms,
			(SELECT path FROM folders WHERE folderid = tracks5.albumdir), artistkey, albumkey, pcplay_sortkey(albumartist), namekey,
			coalesce(t_artist, artist), coalesce(t_album, album), coalesce(t_title, title), t_trackno, title || char(31) || artist
			FROM tracks5`,
		`DROP TABLE tracks5`,
		`CREATE INDEX tracks_folder ON tracks(folderid)`,
		`CREATE INDEX tracks_albumdir ON tracks(albumdir)`,
		`CREATE INDEX tracks_albums ON tracks(albumkey, aakey, album, albumartist)`,
		`CREATE INDEX tracks_aa ON tracks(aakey, albumartist, albumkey)`,
		`CREATE INDEX tracks_songs ON tracks(artistkey, albumkey, disc, trackno, namekey)`,
		`CREATE VIRTUAL TABLE tracks_fts USING fts5(title, artist, album, albumartist, name,
			content='tracks', content_rowid='fileid', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')`,
		`INSERT INTO tracks_fts(tracks_fts) VALUES('rebuild')`,
		`UPDATE meta SET value='4' WHERE key='schema'`,
	}
	for _, q := range schema {
		if strings.Contains(q, "CREATE TRIGGER") {
			v4 = append(v4, q)
		}
	}
	for _, q := range v4 {
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
	var dirs int
	if err := l.db.QueryRowContext(ctx, `SELECT count(DISTINCT albumdir) FROM tracks WHERE album = 'Abbey Road'`).Scan(&dirs); err != nil || dirs != 1 {
		t.Fatalf("Abbey Road's discs in %d album folders (%v)", dirs, err)
	}
	if got, _ := l.AlbumTracks(ctx, Album{Name: "Abbey Road", Artist: "The Beatles"}); len(got) != 3 {
		t.Fatalf("Abbey Road after the migration: %q", titles(got))
	}
	if got, _ := l.TracksUnder(ctx, "/Music/The Beatles"); len(got) != 4 || got[0].Path != "/Music/The Beatles/Abbey Road/Disc 1/2 Something.mp3" {
		t.Fatalf("tracks under the Beatles: %+v", got)
	}
}
