package library

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/order"
)

// Track is an indexed audio file.
type Track struct {
	FileID, Hash uint64
	FolderID     uint64
	Path, Name   string
	Artist       string
	Album        string
	AlbumArtist  string
	Title        string
	Genre        string
	TrackNo      int           // 0: unknown
	Disc         int           // 1 unless a tag or a "Disc N" folder says otherwise
	Duration     time.Duration // 0: not known yet (see [Library.SetDuration])
	Video        bool          // the sound of a video file
}

// Artist is an album artist with the number of its albums.
type Artist struct {
	Name   string
	Albums int
	Tracks int
}

// Album is an album: its name and album artist identify it.
type Album struct {
	Name, Artist string
	Tracks       int
}

// pathCol is a track's path: its folder's and its name (the path is kept
// once per folder, not per track).
const pathCol = `coalesce((SELECT CASE f.path WHEN '/' THEN '/' ELSE f.path || '/' END FROM folders f WHERE f.folderid = tracks.folderid), '/') || tracks.name`

const trackCols = `fileid, hash, folderid, ` + pathCol + `, name, artist, album, albumartist, title, genre, trackno, disc, duration_ms, category`

func scanTracks(rows *sql.Rows, err error) ([]Track, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Track
	for rows.Next() {
		var t Track
		var id, hash, folder int64
		var ms sql.NullInt64
		var cat int
		if err := rows.Scan(&id, &hash, &folder, &t.Path, &t.Name, &t.Artist, &t.Album, &t.AlbumArtist, &t.Title, &t.Genre, &t.TrackNo, &t.Disc, &ms, &cat); err != nil {
			return nil, err
		}
		t.FileID, t.Hash, t.FolderID = uint64(id), uint64(hash), uint64(folder)
		t.Duration = time.Duration(ms.Int64) * time.Millisecond
		t.Video = cat == 2
		out = append(out, t)
	}
	return out, rows.Err()
}

// Artists lists the album artists A–Z (case, accents and a leading "The"
// ignored) with their album counts.
func (l *Library) Artists(ctx context.Context) ([]Artist, error) {
	return cached(l, "artists", func() ([]Artist, error) { return l.artists(ctx) })
}

// cacheKey names a cached list and the write generation it was read at.
type cacheKey struct {
	name string
	gen  uint64
}

// cached returns the list read since the last write, or reads it. The
// lists of all artists and albums take tens of ms on 100,000 tracks; a
// view opened again costs nothing.
func cached[T any](l *Library, name string, read func() ([]T, error)) ([]T, error) {
	k := cacheKey{name, l.gen.Load()}
	if v, ok := l.cache.Load(k); ok {
		return append([]T(nil), v.([]T)...), nil
	}
	v, err := read()
	if err != nil {
		return nil, err
	}
	l.cache.Range(func(old, _ any) bool { // forget stale generations
		if old.(cacheKey).name == name {
			l.cache.Delete(old)
		}
		return true
	})
	if l.gen.Load() == k.gen {
		l.cache.Store(k, v)
	}
	return append([]T(nil), v...), nil
}

func (l *Library) artists(ctx context.Context) ([]Artist, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT albumartist, count(DISTINCT albumkey), sum(tracks) FROM albums GROUP BY aakey, albumartist ORDER BY aakey, albumartist`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Artist
	for rows.Next() {
		var a Artist
		if err := rows.Scan(&a.Name, &a.Albums, &a.Tracks); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Albums lists the albums A–Z with their album artists; with artist not
// "", only that album artist's.
func (l *Library) Albums(ctx context.Context, artist string) ([]Album, error) {
	if artist == "" {
		return cached(l, "albums", func() ([]Album, error) { return l.albums(ctx, "") })
	}
	return l.albums(ctx, artist)
}

func (l *Library) albums(ctx context.Context, artist string) ([]Album, error) {
	var rows *sql.Rows
	var err error
	if artist == "" {
		rows, err = l.db.QueryContext(ctx, `SELECT album, albumartist, sum(tracks) FROM albums GROUP BY albumkey, aakey, album, albumartist ORDER BY albumkey, aakey, album, albumartist`)
	} else {
		rows, err = l.db.QueryContext(ctx, `SELECT album, albumartist, sum(tracks) FROM albums WHERE aakey=? AND albumartist=? GROUP BY albumkey, album ORDER BY albumkey, album`, sortKey(artist), artist)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Album
	for rows.Next() {
		var a Album
		if err := rows.Scan(&a.Name, &a.Artist, &a.Tracks); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AlbumTracks lists an album's tracks by disc, track number, then name in
// [order.Compare]'s order ("2 x" before "10 x").
func (l *Library) AlbumTracks(ctx context.Context, a Album) ([]Track, error) {
	return scanTracks(l.db.QueryContext(ctx, `SELECT `+trackCols+` FROM tracks WHERE albumdir IN
		(SELECT albumdir FROM albums WHERE aakey=?1 AND albumkey=?2 AND album=?3 AND albumartist=?4) AND album=?3 AND albumartist=?4
		ORDER BY disc, trackno, namekey, name`, sortKey(a.Artist), sortKey(a.Name), a.Name, a.Artist))
}

// Songs lists a page of all tracks, sorted by artist, album, disc, track
// number and name: limit tracks from offset (limit 0: all).
func (l *Library) Songs(ctx context.Context, offset, limit int) ([]Track, error) {
	if limit <= 0 {
		limit = -1
	}
	return scanTracks(l.db.QueryContext(ctx, `SELECT `+trackCols+` FROM tracks ORDER BY artistkey, albumkey, disc, trackno, namekey LIMIT ? OFFSET ?`, limit, offset))
}

// Count is the number of tracks.
func (l *Library) Count(ctx context.Context) (int, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM tracks`).Scan(&n)
	return n, err
}

// TracksUnder lists the tracks in the folder at path and below it in the
// order a person browsing the folder meets them, as the Folders view shows
// them: in each folder its folders first, then its files, each by name in
// [order.Compare]'s order ("/A/2 Two" before "/A/10 Ten").
func (l *Library) TracksUnder(ctx context.Context, folder string) ([]Track, error) {
	folder = strings.TrimSuffix(folder, "/")
	ts, err := scanTracks(l.db.QueryContext(ctx, `SELECT `+trackCols+` FROM tracks WHERE folderid IN
		(SELECT folderid FROM folders WHERE ?1 = '' OR path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0'))`, folder))
	if err != nil {
		return nil, err
	}
	browseOrder(ts, len(folder)+1)
	return ts, nil
}

// browseOrder sorts tracks folder by folder (see [Library.TracksUnder]), their
// paths read from byte skip on.
func browseOrder(ts []Track, skip int) {
	type entry struct {
		parts []order.Name // the folders, then the file
		i     int          // in ts
	}
	names := map[string]order.Name{} // a folder's name is in many paths: its key is worked out once
	es := make([]entry, len(ts))
	for i, t := range ts {
		parts := strings.Split(t.Path[min(skip, len(t.Path)):], "/")
		e := entry{parts: make([]order.Name, len(parts)), i: i}
		for j, p := range parts {
			n, ok := names[p]
			if !ok {
				n = order.NameOf(p)
				names[p] = n
			}
			e.parts[j] = n
		}
		es[i] = e
	}
	slices.SortFunc(es, func(a, b entry) int {
		for i := range min(len(a.parts), len(b.parts)) {
			aDir, bDir := i < len(a.parts)-1, i < len(b.parts)-1
			if aDir != bDir { // a folder before a file
				if aDir {
					return -1
				}
				return 1
			}
			if c := a.parts[i].Compare(b.parts[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(ts[a.i].FileID, ts[b.i].FileID) // one path twice
	})
	sorted := make([]Track, len(ts))
	for k, e := range es {
		sorted[k] = ts[e.i]
	}
	copy(ts, sorted)
}

// Track returns one track by file id (ok false when not indexed).
func (l *Library) Track(ctx context.Context, fileID uint64) (Track, bool, error) {
	ts, err := scanTracks(l.db.QueryContext(ctx, `SELECT `+trackCols+` FROM tracks WHERE fileid=?`, int64(fileID)))
	if err != nil || len(ts) == 0 {
		return Track{}, false, err
	}
	return ts[0], true, nil
}

// SetDuration records a track's length, learnt while streaming it. It is
// kept by file id and content hash: a changed file is measured again; a
// rescan keeps it.
func (l *Library) SetDuration(ctx context.Context, fileID, hash uint64, d time.Duration) error {
	ms := d.Milliseconds()
	return l.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO durations(fileid, hash, ms) VALUES(?, ?, ?) ON CONFLICT DO UPDATE SET ms=excluded.ms`, int64(fileID), int64(hash), ms); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE tracks SET duration_ms=? WHERE fileid=? AND hash=?`, ms, int64(fileID), int64(hash))
		return err
	})
}

// Scanned reports whether a full scan has finished (the lists are
// complete); false while the first scan, or a rescan, is under way or was
// interrupted.
func (l *Library) Scanned(ctx context.Context) (bool, error) {
	s, err := getMeta(ctx, l.db, "state")
	return s == "done", err
}
