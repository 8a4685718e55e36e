package library

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"

	"github.com/pcplay/pcplay/internal/dbfile"
	"github.com/pcplay/pcplay/internal/order"
	"github.com/pcplay/pcplay/internal/ownfile"
)

// schemaVersion changes when the tables do; an index of another version is
// rebuilt (it is a cache of pCloud's state).
const schemaVersion = "5"

// Versions 4 → 5 (issue 22, the index's size): the tracks keep no path
// (their folder's is kept once) and no folded text (folded as a search
// ranks), and the full-text index keeps no positions nor column sizes
// (detail=none, columnsize=0: the ranking is done in Go; without
// positions a prefix query with no prefix index of its length costs ~3x,
// so prefixes of 1 to 8 characters are indexed, ~1 MB per 100,000 tracks); the album
// artists and track counts of the albums are kept once per album (albums),
// not indexed per track. An index of
// version 4 is changed in place as it is opened (see migrate4): no scan.

// keysVersion changes when the sort keys (artistkey, albumkey, aakey,
// namekey) are worked out another way. The writer works the keys of an
// index of another version out again from its own columns as it opens it
// (see rekey), keeping everything else: no scan is needed. Versions: none
// (1), digit runs zero-padded to ten digits; 2, [order.Key].
const keysVersion = "2"

// Options configure a [Library].
type Options struct {
	// Video indexes video files (category 2) too: getaudiolink plays their
	// sound. Changing it makes the next [Library.Scan] a full one.
	Video bool
}

// Library is the account's music index. Methods are safe for concurrent use.
type Library struct {
	db     *sql.DB
	path   string
	opts   Options
	notice string

	wmu      sync.Mutex               // serialises writes (SQLite has one writer)
	gen      atomic.Uint64            // bumped by every write: the cached lists are stale
	cache    sync.Map                 // cacheKey → cached list
	scanMu   sync.Mutex               // one scan or change-feed apply at a time
	marking  atomic.Bool              // a rescan runs: its writes mark the ids they meet (see Rescan)
	roots    atomic.Pointer[[]string] // the library folders the scan or change feed writes for
	folds    foldCache                // search's folded names
	dirs     folderDirs               // search\'s folder paths
	searchMu sync.Mutex
	searchSt [2]*sql.Stmt // see stmt
}

var schema = []string{
	`CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	// state: 0 to be listed (recursively), 1 listed.
	`CREATE TABLE IF NOT EXISTS folders(folderid INTEGER PRIMARY KEY, parent INTEGER NOT NULL, path TEXT NOT NULL, state INTEGER NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS folders_parent ON folders(parent)`,
	`CREATE INDEX IF NOT EXISTS folders_state ON folders(state) WHERE state = 0`,
	// tracks: the path is the folder's and the name; albumdir is the album
	// folder's id (the track's folder, or its parent for Disc N); a tag
	// (t_x) the same as the value shown (x) is NULL.
	`CREATE TABLE IF NOT EXISTS tracks(
		fileid INTEGER PRIMARY KEY, hash INTEGER NOT NULL, folderid INTEGER NOT NULL,
		name TEXT NOT NULL, category INTEGER NOT NULL,
		artist TEXT NOT NULL, album TEXT NOT NULL, albumartist TEXT NOT NULL, title TEXT NOT NULL,
		genre TEXT NOT NULL, trackno INTEGER NOT NULL, disc INTEGER NOT NULL, duration_ms INTEGER,
		albumdir INTEGER NOT NULL, artistkey TEXT NOT NULL, albumkey TEXT NOT NULL, namekey TEXT NOT NULL,
		t_artist TEXT, t_album TEXT, t_title TEXT, t_trackno INTEGER NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS tracks_folder ON tracks(folderid)`,
	`CREATE INDEX IF NOT EXISTS tracks_albumdir ON tracks(albumdir)`,
	// albums: per album folder and album name, the album artist and the
	// tracks, kept by the writer (albumArtists): the Artists and Albums
	// lists read these ~10 times fewer rows, and tracks need no index on
	// the album artist.
	`CREATE TABLE IF NOT EXISTS albums(albumdir INTEGER NOT NULL, album TEXT NOT NULL, albumartist TEXT NOT NULL,
		albumkey TEXT NOT NULL, aakey TEXT NOT NULL, tracks INTEGER NOT NULL, PRIMARY KEY(albumdir, album)) WITHOUT ROWID`,
	`CREATE INDEX IF NOT EXISTS tracks_songs ON tracks(artistkey, albumkey, disc, trackno, namekey)`,
	`CREATE TABLE IF NOT EXISTS durations(fileid INTEGER NOT NULL, hash INTEGER NOT NULL, ms INTEGER NOT NULL, PRIMARY KEY(fileid, hash)) WITHOUT ROWID`,
	`CREATE VIRTUAL TABLE IF NOT EXISTS tracks_fts USING fts5(title, artist, album, albumartist, name,
		content='tracks', content_rowid='fileid', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6 7 8', detail=none, columnsize=0)`,
	`CREATE TRIGGER IF NOT EXISTS tracks_ai AFTER INSERT ON tracks BEGIN
		INSERT INTO tracks_fts(rowid, title, artist, album, albumartist, name) VALUES (new.fileid, new.title, new.artist, new.album, new.albumartist, new.name);
	END`,
	`CREATE TRIGGER IF NOT EXISTS tracks_ad AFTER DELETE ON tracks BEGIN
		INSERT INTO tracks_fts(tracks_fts, rowid, title, artist, album, albumartist, name) VALUES ('delete', old.fileid, old.title, old.artist, old.album, old.albumartist, old.name);
	END`,
	`CREATE TRIGGER IF NOT EXISTS tracks_au AFTER UPDATE OF title, artist, album, albumartist, name ON tracks BEGIN
		INSERT INTO tracks_fts(tracks_fts, rowid, title, artist, album, albumartist, name) VALUES ('delete', old.fileid, old.title, old.artist, old.album, old.albumartist, old.name);
		INSERT INTO tracks_fts(rowid, title, artist, album, albumartist, name) VALUES (new.fileid, new.title, new.artist, new.album, new.albumartist, new.name);
	END`,
}

// Open opens (creating it when missing) the index at path, in the state
// directory. A damaged or unreadable index file is moved aside to
// path+".damaged" and a new one made: [Open] then succeeds and [Library.Notice] says
// so in one sentence (the next [Library.Scan] is a full one). [Open] fails only when
// no index can be made there at all.
func Open(path string, o Options) (*Library, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("library: cannot make the folder for the index: %w", err)
	}
	l, err := open(path, o)
	if err == nil {
		return l, nil
	}
	if !dbfile.Damaged(err) {
		return nil, fmt.Errorf("library: cannot open the index %s: %w", path, err)
	}
	dbfile.SetAside(path)
	l, err2 := open(path, o)
	if err2 != nil {
		return nil, fmt.Errorf("library: the index %s was damaged and a new one cannot be made: %w", path, err2)
	}
	l.notice = fmt.Sprintf("The music library index was damaged (%s); it was moved to %s and is being rebuilt by a full scan.", dbfile.Why(err), filepath.Base(path)+".damaged")
	return l, nil
}

func open(path string, o Options) (*Library, error) {
	// The index is the person's: 0600 (SQLite makes its -wal and -shm
	// with the database file's mode, so they follow).
	if err := ownfile.PrivateDB(path); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(0)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	l := &Library{db: db, path: path, opts: o}
	if err := l.init(); err != nil {
		db.Close()
		return nil, err
	}
	return l, nil
}

func (l *Library) init() error {
	ctx := context.Background()
	if err := dbfile.Check(ctx, l.db); err != nil {
		return err
	}
	v, err := l.metaMaybe(ctx, "schema")
	if err != nil {
		return err
	}
	if v == "4" {
		if err := l.migrate4(ctx); err != nil {
			return err
		}
		v = schemaVersion
	}
	if v != "" && v != schemaVersion {
		if err := l.dropAll(ctx); err != nil {
			return err
		}
	}
	for _, q := range schema {
		if _, err := l.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if v == schemaVersion {
		if err := l.rekey(ctx); err != nil {
			return err
		}
	} else if err := l.setMeta(ctx, l.db, "keys", keysVersion); err != nil {
		return err
	}
	return l.setMeta(ctx, l.db, "schema", schemaVersion)
}

// The sort keys as SQL functions, for rekey.
func init() {
	key := func(f func(string) string) func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		return func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			s, _ := args[0].(string)
			return f(s), nil
		}
	}
	sqlite.MustRegisterDeterministicScalarFunction("pcplay_sortkey", 1, key(sortKey))
	sqlite.MustRegisterDeterministicScalarFunction("pcplay_namekey", 1, key(order.Key))
}

// keyIndexes are the indexes of schema on the sort keys.
var keyIndexes = []string{"tracks_songs"}

// rekey works the sort keys of every track out again when they were
// written by another keysVersion, in one transaction, once (2 s for
// 30,000 tracks on a busy 2-core machine).
func (l *Library) rekey(ctx context.Context) error {
	if k, err := getMeta(ctx, l.db, "keys"); err != nil || k == keysVersion {
		return err
	}
	return l.write(ctx, func(tx *sql.Tx) error {
		// The indexes on the keys are made again after the update: cheaper
		// than keeping them up to date row by row.
		for _, ix := range keyIndexes {
			if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+ix); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tracks SET artistkey=pcplay_sortkey(artist), albumkey=pcplay_sortkey(album),
			namekey=pcplay_namekey(name)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE albums SET albumkey=pcplay_sortkey(album), aakey=pcplay_sortkey(albumartist)`); err != nil {
			return err
		}
		for _, q := range schema {
			for _, ix := range keyIndexes {
				if strings.Contains(q, " "+ix+" ON ") {
					if _, err := tx.ExecContext(ctx, q); err != nil {
						return err
					}
				}
			}
		}
		return l.setMeta(ctx, tx, "keys", keysVersion)
	})
}

// migrate4 makes an index of schema version 4 one of version 5 in place
// (the tracks copied into the new table, the full-text index and the
// albums made from them), then gives the freed pages back (VACUUM).
func (l *Library) migrate4(ctx context.Context) error {
	err := l.write(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DROP TRIGGER IF EXISTS tracks_ai`, `DROP TRIGGER IF EXISTS tracks_ad`, `DROP TRIGGER IF EXISTS tracks_au`,
			`DROP TABLE IF EXISTS tracks_fts`, `DROP INDEX IF EXISTS tracks_folder`, `DROP INDEX IF EXISTS tracks_albumdir`,
			`DROP INDEX IF EXISTS tracks_albums`, `DROP INDEX IF EXISTS tracks_aa`, `DROP INDEX IF EXISTS tracks_songs`,
			`ALTER TABLE tracks RENAME TO tracks4`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		for _, q := range schema {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		for _, q := range []string{
			// The album folder: the track's folder when its path is the
			// album's, else its parent (Disc N).
			`INSERT INTO tracks(fileid, hash, folderid, name, category, artist, album, albumartist, title, genre,
				trackno, disc, duration_ms, albumdir, artistkey, albumkey, namekey, t_artist, t_album, t_title, t_trackno)
			SELECT t.fileid, t.hash, t.folderid, t.name, t.category, t.artist, t.album, t.albumartist, t.title, t.genre,
				t.trackno, t.disc, t.duration_ms,
				CASE WHEN f.path IS NULL OR t.albumdir = f.path THEN t.folderid ELSE f.parent END,
				t.artistkey, t.albumkey, t.namekey,
				nullif(t.t_artist, t.artist), nullif(t.t_album, t.album), nullif(t.t_title, t.title), t.t_trackno
			FROM tracks4 t LEFT JOIN folders f ON f.folderid = t.folderid`,
			`DROP TABLE tracks4`,
			`INSERT INTO tracks_fts(tracks_fts) VALUES('rebuild')`,
			`INSERT INTO albums SELECT albumdir, album, min(albumartist), pcplay_sortkey(album), pcplay_sortkey(min(albumartist)), count(*)
				FROM tracks GROUP BY albumdir, album`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return l.setMeta(ctx, tx, "schema", schemaVersion)
	})
	if err != nil {
		return err
	}
	_, err = l.db.ExecContext(ctx, `VACUUM`)
	return err
}

func (l *Library) dropAll(ctx context.Context) error {
	for _, q := range []string{"DROP TABLE IF EXISTS tracks_fts", "DROP TABLE IF EXISTS albums", "DROP TABLE IF EXISTS tracks", "DROP TABLE IF EXISTS folders", "DROP TABLE IF EXISTS durations",
		"DROP TABLE IF EXISTS rescan_files", "DROP TABLE IF EXISTS rescan_folders", "DELETE FROM meta"} {
		if _, err := l.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// Notice is a sentence to show once after [Open] ("" when there is none):
// the index was damaged and is being rebuilt.
func (l *Library) Notice() string { return l.notice }

// Close closes the database.
func (l *Library) Close() error {
	l.searchMu.Lock()
	for _, st := range l.searchSt {
		if st != nil {
			st.Close()
		}
	}
	l.searchMu.Unlock()
	return l.db.Close()
}

// Path is the index file.
func (l *Library) Path() string { return l.path }

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (l *Library) metaMaybe(ctx context.Context, key string) (string, error) {
	var exists int
	if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name='meta'`).Scan(&exists); err != nil || exists == 0 {
		return "", err
	}
	return getMeta(ctx, l.db, key)
}

func getMeta(ctx context.Context, q execer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key=?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func (l *Library) setMeta(ctx context.Context, q execer, key, value string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, key, value)
	return err
}

func metaUint(ctx context.Context, q execer, key string) (uint64, error) {
	v, err := getMeta(ctx, q, key)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseUint(v, 10, 64)
}

// write runs fn in a transaction, one writer at a time.
//
// Its connection keeps its temp store in memory meanwhile: each track's
// upsert, with its full-text trigger, keeps a statement journal of the
// pages it changes, and in temp files those were 2.1 GB of the 2.4 GB a
// first scan of 100,000 tracks wrote (bench/library.sh; an SD card wears
// with them). In memory they are ~100 KB at a time. Reads, and VACUUM
// with its whole copy of the index, keep SQLite's default (files).
func (l *Library) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA temp_store=MEMORY`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA temp_store=DEFAULT`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer l.gen.Add(1)
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// configKey is what a finished scan depends on: the folders and the video
// switch. Another key makes [Library.Scan] start over.
func configKey(folders []string, video bool) string {
	key := strings.Join(folders, "\x00") + "|video=" + strconv.FormatBool(video)
	if len(folders) > 0 && folders[0] != "/" {
		// Tags read from the path start below the library folders since
		// this mark: an index an older pcplay wrote is scanned again (it
		// made "/Music" the artist of "/Music/Big Folder/x.mp3").
		key += "|below-root"
	}
	return key
}

// configChanged reports whether the index was scanned for other folders
// (or another video switch) than these: the next [Library.Scan] starts
// over.
func (l *Library) configChanged(ctx context.Context, folders []string) bool {
	cfg, err := getMeta(ctx, l.db, "config")
	return err == nil && cfg != "" && cfg != configKey(normFolders(folders), l.opts.Video)
}
