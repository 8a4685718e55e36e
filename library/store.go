package library

import (
	"context"
	"database/sql"
	"errors"
	"path"
	"strings"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/internal/order"
)

// batch is one write transaction of the scan or the change feed.
type batch struct {
	ctx    context.Context
	tx     *sql.Tx
	l      *Library
	track  *sql.Stmt
	folder *sql.Stmt
	dirs   map[int64]bool // album folders whose album artist must be worked out again
	parent *sql.Stmt      // a folder's parent (see albumDir)
	was    *sql.Stmt      // a track's album folder before it is written
	seen   [2]*sql.Stmt   // a rescan's marks of a file, a folder met (see Library.Rescan); nil otherwise
	files  int            // tracks written
}

// upsertTrack writes a track; a row that is already so is left alone (no
// page written, no full-text row deleted and added again): a folder moved
// or listed again writes only the tracks that changed.
const upsertTrack = `INSERT INTO tracks(fileid, hash, folderid, name, category, artist, album, albumartist, title, genre,
	trackno, disc, duration_ms, albumdir, artistkey, albumkey, namekey, t_artist, t_album, t_title, t_trackno)
	VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?8, ?9, ?10, ?11, (SELECT ms FROM durations WHERE fileid=?1 AND hash=?2),
		?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
	ON CONFLICT(fileid) DO UPDATE SET hash=excluded.hash, folderid=excluded.folderid, name=excluded.name,
		category=excluded.category, artist=excluded.artist, album=excluded.album, title=excluded.title, genre=excluded.genre,
		trackno=excluded.trackno, disc=excluded.disc, duration_ms=excluded.duration_ms, albumdir=excluded.albumdir,
		artistkey=excluded.artistkey, albumkey=excluded.albumkey, namekey=excluded.namekey, t_artist=excluded.t_artist,
		t_album=excluded.t_album, t_title=excluded.t_title, t_trackno=excluded.t_trackno
	WHERE (tracks.hash, tracks.folderid, tracks.name, tracks.category, tracks.artist, tracks.album, tracks.title, tracks.genre,
		tracks.trackno, tracks.disc, tracks.duration_ms, tracks.albumdir, tracks.artistkey, tracks.albumkey, tracks.namekey,
		tracks.t_artist, tracks.t_album, tracks.t_title, tracks.t_trackno)
	IS NOT (excluded.hash, excluded.folderid, excluded.name, excluded.category, excluded.artist, excluded.album, excluded.title, excluded.genre,
		excluded.trackno, excluded.disc, excluded.duration_ms, excluded.albumdir, excluded.artistkey, excluded.albumkey, excluded.namekey,
		excluded.t_artist, excluded.t_album, excluded.t_title, excluded.t_trackno)`

func (l *Library) newBatch(ctx context.Context, tx *sql.Tx) (*batch, error) {
	b := &batch{ctx: ctx, tx: tx, l: l, dirs: map[int64]bool{}}
	var err error
	if b.parent, err = tx.PrepareContext(ctx, `SELECT parent FROM folders WHERE folderid=?`); err != nil {
		return nil, err
	}
	if b.was, err = tx.PrepareContext(ctx, `SELECT albumdir FROM tracks WHERE fileid=?`); err != nil {
		return nil, err
	}
	if b.track, err = tx.PrepareContext(ctx, upsertTrack); err != nil {
		return nil, err
	}
	if b.folder, err = tx.PrepareContext(ctx, `INSERT INTO folders(folderid, parent, path, state) VALUES(?, ?, ?, ?)
		ON CONFLICT(folderid) DO UPDATE SET parent=excluded.parent, path=excluded.path, state=max(state, excluded.state)
		WHERE (folders.parent, folders.path, folders.state) IS NOT (excluded.parent, excluded.path, max(folders.state, excluded.state))`); err != nil {
		return nil, err
	}
	if l.marking.Load() {
		for i, table := range []string{"rescan_files", "rescan_folders"} {
			if b.seen[i], err = tx.PrepareContext(ctx, `INSERT OR IGNORE INTO `+table+`(id) VALUES(?)`); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

// close closes the batch's statements.
func (b *batch) close() {
	for _, st := range []*sql.Stmt{b.track, b.folder, b.parent, b.was, b.seen[0], b.seen[1]} {
		if st != nil {
			st.Close()
		}
	}
}

// met marks a file (0) or a folder (1) a rescan's listing met.
func (b *batch) met(kind int, id uint64) error {
	if b.seen[kind] == nil {
		return nil
	}
	_, err := b.seen[kind].ExecContext(b.ctx, int64(id))
	return err
}

// batch runs fn in a write transaction, then works out the album artists
// of the album folders it touched.
func (l *Library) batch(ctx context.Context, fn func(b *batch) error) (int, error) {
	files := 0
	err := l.write(ctx, func(tx *sql.Tx) error {
		b, err := l.newBatch(ctx, tx)
		if err != nil {
			return err
		}
		defer b.close()
		if err := fn(b); err != nil {
			return err
		}
		files = b.files
		return b.albumArtists()
	})
	return files, err
}

// wanted reports whether a file belongs in the index.
func (l *Library) wanted(m *api.Metadata) bool {
	return !m.IsFolder && (m.Category == api.CategoryAudio || (l.opts.Video && m.Category == api.CategoryVideo))
}

func join(dir, name string) string {
	if dir == "/" || dir == "" {
		return "/" + name
	}
	return dir + "/" + name
}

// putFile writes a file found in the folder at dir.
func (b *batch) putFile(m *api.Metadata, dir string) error {
	if !b.l.wanted(m) {
		return b.deleteFile(m.FileID)
	}
	p := join(dir, m.Name)
	return b.putTrack(m.FileID, m.Hash, m.ParentFolderID, p, m.Name, int(m.Category),
		Tags{Artist: m.Artist, Album: m.Album, Title: m.Title, Genre: m.Genre, TrackNo: m.TrackNo})
}

func (b *batch) putTrack(fileID, hash, folderID uint64, p, name string, cat int, t Tags) error {
	in := InferIn(b.l.rootOf(p), p, t)
	dir, err := b.albumDir(folderID, p, in.AlbumDir)
	if err != nil {
		return err
	}
	// A track that leaves an album folder changes that album too.
	var was int64
	switch err := b.was.QueryRowContext(b.ctx, int64(fileID)).Scan(&was); {
	case err == nil && was != dir:
		b.dirs[was] = true
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return err
	}
	// A tag the same as what is shown is kept as NULL (see sameAs).
	res, err := b.track.ExecContext(b.ctx, int64(fileID), int64(hash), int64(folderID), name, cat,
		in.Artist, in.Album, in.Title, in.Genre, in.TrackNo, in.Disc,
		dir, sortKey(in.Artist), sortKey(in.Album), order.Key(name),
		sameAs(t.Artist, in.Artist), sameAs(t.Album, in.Album), sameAs(t.Title, in.Title), t.TrackNo)
	if err != nil {
		return err
	}
	// The album's artist is worked out again only where a track changed:
	// a rescan meeting the same tracks writes nothing for them.
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		b.dirs[dir] = true
	}
	b.files++
	return b.met(0, fileID)
}

// sameAs is a tag to store: nil (NULL) when it is what is shown (most
// tagged tracks), read back with coalesce(t_x, x).
func sameAs(tag, shown string) any {
	if tag == shown {
		return nil
	}
	return tag
}

// albumDir is the folder id of a track's album folder (albumDir, from
// [Infer]): the track's folder (folderID), or its parent for a Disc N
// folder.
func (b *batch) albumDir(folderID uint64, p, albumDir string) (int64, error) {
	if path.Clean(albumDir) == path.Dir(p) {
		return int64(folderID), nil
	}
	var parent int64
	err := b.parent.QueryRowContext(b.ctx, int64(folderID)).Scan(&parent)
	if errors.Is(err, sql.ErrNoRows) {
		return int64(folderID), nil
	}
	return parent, err
}

// putTree writes a listed folder (at path dir) and, for a recursive
// listing, everything below it: its subfolders are recorded as listed. For
// a plain listing the subfolders are queued (state 0) and returned.
func (b *batch) putTree(m *api.Metadata, dir string, recursive bool) ([]Folder, error) {
	var queued []Folder
	var walk func(f *api.Metadata, dir string) error
	walk = func(f *api.Metadata, dir string) error {
		for _, c := range f.Contents {
			if !c.IsFolder {
				if b.l.wanted(c) {
					if c.ParentFolderID == 0 {
						c.ParentFolderID = f.FolderID
					}
					if err := b.putFile(c, dir); err != nil {
						return err
					}
				}
				continue
			}
			p := join(dir, c.Name)
			if !recursive {
				queued = append(queued, Folder{ID: c.FolderID, Path: p})
			}
			if err := b.putFolder(c.FolderID, f.FolderID, p, recursive); err != nil {
				return err
			}
			if recursive {
				if err := walk(c, p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(m, dir); err != nil {
		return nil, err
	}
	_, err := b.tx.ExecContext(b.ctx, `UPDATE folders SET state=1 WHERE folderid=?`, int64(m.FolderID))
	return queued, err
}

// putFolder writes a folder found in a listing: listed when the listing
// was recursive, else queued to be listed (even when an earlier listing,
// cut in the middle, had it listed: its contents may be incomplete).
func (b *batch) putFolder(id, parent uint64, p string, listed bool) error {
	var err error
	if listed {
		_, err = b.folder.ExecContext(b.ctx, int64(id), int64(parent), p, 1)
	} else {
		_, err = b.tx.ExecContext(b.ctx, `INSERT INTO folders(folderid, parent, path, state) VALUES(?, ?, ?, 0)
		ON CONFLICT(folderid) DO UPDATE SET parent=excluded.parent, path=excluded.path, state=0`, int64(id), int64(parent), p)
	}
	if err != nil {
		return err
	}
	return b.met(1, id)
}

// deleteFile forgets a file (nothing when it is not indexed).
func (b *batch) deleteFile(id uint64) error {
	return b.deleteTracks(`DELETE FROM tracks WHERE fileid=? RETURNING albumdir`, int64(id))
}

// subtree is the folder ids at and below a folder.
const subtree = `WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT f.folderid FROM folders f JOIN sub ON f.parent = sub.id)`

// deleteFolder forgets a folder and everything below it.
func (b *batch) deleteFolder(id uint64) error {
	if err := b.deleteTracks(subtree+` DELETE FROM tracks WHERE folderid IN (SELECT id FROM sub) RETURNING albumdir`, int64(id)); err != nil {
		return err
	}
	_, err := b.tx.ExecContext(b.ctx, subtree+` DELETE FROM folders WHERE folderid IN (SELECT id FROM sub)`, int64(id))
	return err
}

// deleteTracks runs a DELETE of tracks RETURNING their albumdir: their
// albums are worked out again.
func (b *batch) deleteTracks(q string, args ...any) error {
	rows, err := b.tx.QueryContext(b.ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return err
		}
		b.dirs[d] = true
	}
	return rows.Err()
}

// moveFolder gives a known folder a new parent and path; the paths (and
// the tags read from them) of everything below change with it.
func (b *batch) moveFolder(id, parent uint64, newPath string) error {
	var old string
	if err := b.tx.QueryRowContext(b.ctx, `SELECT path FROM folders WHERE folderid=?`, int64(id)).Scan(&old); err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(b.ctx, `UPDATE folders SET parent=?, path=? WHERE folderid=?`, int64(parent), newPath, int64(id)); err != nil {
		return err
	}
	if old == newPath {
		return nil
	}
	if _, err := b.tx.ExecContext(b.ctx, subtree+` UPDATE folders SET path = ?2 || substr(path, ?3) WHERE folderid IN (SELECT id FROM sub) AND folderid != ?1`,
		int64(id), newPath, len(old)+1); err != nil {
		return err
	}
	// The paths are the new ones already: a track's is its folder's.
	rows, err := b.tx.QueryContext(b.ctx, subtree+` SELECT fileid, hash, folderid, `+pathCol+`, name, category,
		coalesce(t_artist, artist), coalesce(t_album, album), coalesce(t_title, title), genre, t_trackno, albumdir
		FROM tracks WHERE folderid IN (SELECT id FROM sub)`, int64(id))
	if err != nil {
		return err
	}
	type row struct {
		id, hash, folder int64
		path, name       string
		cat              int
		t                Tags
		dir              int64
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.hash, &r.folder, &r.path, &r.name, &r.cat, &r.t.Artist, &r.t.Album, &r.t.Title, &r.t.Genre, &r.t.TrackNo, &r.dir); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range all {
		b.dirs[r.dir] = true
		if err := b.putTrack(uint64(r.id), uint64(r.hash), uint64(r.folder), r.path, r.name, r.cat, r.t); err != nil {
			return err
		}
	}
	return nil
}

// albumArtists works out the album artist of the album folders touched:
// per album (folder and album name), the artist when all its tracks have
// the same one, else [VariousArtists].
func (b *batch) albumArtists() error {
	if len(b.dirs) == 0 {
		return nil
	}
	q, err := b.tx.PrepareContext(b.ctx, `SELECT album, count(DISTINCT artist), min(artist), count(*) FROM tracks WHERE albumdir=? GROUP BY album`)
	if err != nil {
		return err
	}
	defer q.Close()
	up, err := b.tx.PrepareContext(b.ctx, `UPDATE tracks SET albumartist=?1 WHERE albumdir=?2 AND album=?3 AND albumartist != ?1`)
	if err != nil {
		return err
	}
	defer up.Close()
	del, err := b.tx.PrepareContext(b.ctx, `DELETE FROM albums WHERE albumdir=?`)
	if err != nil {
		return err
	}
	defer del.Close()
	put, err := b.tx.PrepareContext(b.ctx, `INSERT INTO albums(albumdir, album, albumartist, albumkey, aakey, tracks) VALUES(?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer put.Close()
	for dir := range b.dirs {
		rows, err := q.QueryContext(b.ctx, dir)
		if err != nil {
			return err
		}
		type group struct {
			album, aa string
			n         int
		}
		var gs []group
		for rows.Next() {
			var album, artist string
			var n, tracks int
			if err := rows.Scan(&album, &n, &artist, &tracks); err != nil {
				rows.Close()
				return err
			}
			if n != 1 {
				artist = VariousArtists
			}
			gs = append(gs, group{album, artist, tracks})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := del.ExecContext(b.ctx, dir); err != nil {
			return err
		}
		for _, g := range gs {
			if _, err := up.ExecContext(b.ctx, g.aa, dir, g.album); err != nil {
				return err
			}
			if _, err := put.ExecContext(b.ctx, dir, g.album, g.aa, sortKey(g.album), sortKey(g.aa), g.n); err != nil {
				return err
			}
		}
	}
	b.dirs = map[int64]bool{}
	return nil
}

// setRoots notes the library folders (normalised) tracks are written for.
func (l *Library) setRoots(folders []string) { l.roots.Store(&folders) }

// rootOf is the library folder p is in: the innermost that holds it, "/"
// for none.
func (l *Library) rootOf(p string) string {
	root := "/"
	if rs := l.roots.Load(); rs != nil {
		for _, r := range *rs {
			if len(r) > len(root) && strings.HasPrefix(p, r+"/") {
				root = r
			}
		}
	}
	return root
}
