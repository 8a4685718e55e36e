package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/internal/dbfile"
)

// Source is what the library needs of pCloud; [*api.Client] has it.
type Source interface {
	ListFolderWith(ctx context.Context, folderID uint64, o api.ListOptions) (*api.Metadata, error)
	ListPath(ctx context.Context, path string, recursive bool) (*api.Metadata, error)
	Diff(ctx context.Context, o api.DiffOptions) (*api.DiffPage, error)
}

// Folder is a folder of the account the scan knows.
type Folder struct {
	ID   uint64
	Path string
}

// Progress is reported while a scan runs.
type Progress struct {
	Files       int // tracks in the index so far (a resumed scan's earlier runs included)
	FoldersDone int // folders listed in this run
	FoldersLeft int // folders known and not yet listed
	Done        bool
}

// ScanOptions configure [Library.Scan].
type ScanOptions struct {
	// Folders are the library folders ("/Music", ...); none: the whole
	// account ("/").
	Folders []string
	// Parallel is the number of listings in flight (default 4).
	Parallel int
	// Progress, when set, is called (from one goroutine at a time) after
	// each folder.
	Progress func(Progress)
	// Backoff is the wait before retrying a call refused for rate
	// limits (4xxx) after n tries (default: 2 s·n, at most 30 s).
	Backoff func(n int) time.Duration
}

// ErrScanning is returned by queries of Scanned-dependent state... (unused)

// Scan brings the index up to date. The first time (or after [Library.Rescan], a
// `reset`, other folders or a damaged index) it lists the library folders
// in full; a cancelled scan resumes where it stopped; once a scan has
// finished, Scan costs one `diff` call and applies the changes since.
func (l *Library) Scan(ctx context.Context, src Source, o ScanOptions) error {
	l.scanMu.Lock()
	defer l.scanMu.Unlock()
	return l.scanLocked(ctx, src, o)
}

// Rescan lists everything again (the R key) without emptying the index
// first: the lists stay whole while it runs, a track that is the same is
// not written again (see upsertTrack), and what the listings no longer
// hold is swept at the end (mark and sweep: the ids seen are kept in the
// rescan_files and rescan_folders tables, so a rescan stopped half-way
// resumes as one). Learnt durations are kept.
func (l *Library) Rescan(ctx context.Context, src Source, o ScanOptions) error {
	l.scanMu.Lock()
	defer l.scanMu.Unlock()
	if err := l.markRescan(ctx); err != nil {
		return l.dbErr(err)
	}
	return l.scanLocked(ctx, src, o)
}

// markRescan begins a rescan: the tables of the ids seen, empty, and the
// state of a scan to start.
func (l *Library) markRescan(ctx context.Context) error {
	return l.write(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`CREATE TABLE IF NOT EXISTS rescan_files(id INTEGER PRIMARY KEY)`,
			`CREATE TABLE IF NOT EXISTS rescan_folders(id INTEGER PRIMARY KEY)`,
			`DELETE FROM rescan_files`, `DELETE FROM rescan_folders`,
			`DELETE FROM meta WHERE key IN ('state','diffid','scan_diffid')`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return l.setMeta(ctx, tx, "rescan", "1")
	})
}

// sweep ends a rescan: the tracks and folders its listings did not meet
// are forgotten, and the marks with them.
func (l *Library) sweep(ctx context.Context) error {
	_, err := l.batch(ctx, func(b *batch) error {
		if err := b.deleteTracks(`DELETE FROM tracks WHERE fileid NOT IN (SELECT id FROM rescan_files) RETURNING albumdir`); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM folders WHERE folderid NOT IN (SELECT id FROM rescan_folders)`,
			`DROP TABLE rescan_files`, `DROP TABLE rescan_folders`, `DELETE FROM meta WHERE key='rescan'`,
		} {
			if _, err := b.tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

func normFolders(fs []string) []string {
	var out []string
	for _, f := range fs {
		f = path.Clean("/" + strings.TrimSpace(f))
		if f == "/" {
			return []string{"/"}
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return []string{"/"}
	}
	return out
}

// clear empties the index (not the learnt durations).
func (l *Library) clear(ctx context.Context) error {
	return l.write(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM tracks`, `DELETE FROM albums`, `DELETE FROM folders`,
			`DROP TABLE IF EXISTS rescan_files`, `DROP TABLE IF EXISTS rescan_folders`,
			`DELETE FROM meta WHERE key IN ('state','diffid','scan_diffid','config','rescan')`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}

func (l *Library) scanLocked(ctx context.Context, src Source, o ScanOptions) error {
	folders := normFolders(o.Folders)
	l.setRoots(folders)
	key := configKey(folders, l.opts.Video)
	state, err := getMeta(ctx, l.db, "state")
	if err != nil {
		return l.dbErr(err)
	}
	rescan, err := getMeta(ctx, l.db, "rescan")
	if err != nil {
		return l.dbErr(err)
	}
	// A rescan's listings mark what they meet (see Rescan), a resumed one's
	// too.
	l.marking.Store(rescan != "")
	defer l.marking.Store(false)
	if cfg, _ := getMeta(ctx, l.db, "config"); cfg != key && (state != "" || rescan != "") {
		if err := l.clear(ctx); err != nil {
			return l.dbErr(err)
		}
		state, rescan = "", ""
		l.marking.Store(false)
	}
	if state == "done" {
		reset, err := l.catchUp(ctx, src, o)
		if err != nil || !reset {
			return err
		}
		if err := l.clear(ctx); err != nil {
			return l.dbErr(err)
		}
		state = ""
	}
	var p Progress
	if state == "" {
		if p.Files, err = l.start(ctx, src, o, folders, key); err != nil {
			return err
		}
	} else if p.Files, err = l.Count(ctx); err != nil { // resumed: what the runs before found counts
		return l.dbErr(err)
	}
	if err := l.listPending(ctx, src, o, p); err != nil {
		return err
	}
	if rescan != "" {
		if err := l.sweep(ctx); err != nil {
			return l.dbErr(err)
		}
	}
	if err := l.write(ctx, func(tx *sql.Tx) error {
		id, err := getMeta(ctx, tx, "scan_diffid")
		if err != nil {
			return err
		}
		if err := l.setMeta(ctx, tx, "diffid", id); err != nil {
			return err
		}
		return l.setMeta(ctx, tx, "state", "done")
	}); err != nil {
		return l.dbErr(err)
	}
	// A full scan into an empty index wrote every page anyway: pack them
	// (its indexes, filled in no order, are a tenth larger; 39 → 35 MB for
	// 100,000 tracks). A rescan wrote only what changed: no rewrite of the
	// whole file for it. Then fold the write-ahead log in.
	l.wmu.Lock()
	if rescan == "" {
		_, err = l.db.ExecContext(ctx, `VACUUM`)
	}
	if err == nil {
		_, err = l.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	l.wmu.Unlock()
	return l.dbErr(err)
}

// start begins a full scan: it notes the current diffid (changes during
// the scan are applied after it), lists the library folders plainly and
// queues their subfolders.
func (l *Library) start(ctx context.Context, src Source, o ScanOptions, folders []string, key string) (int, error) {
	page, err := rateRetry(ctx, o, func() (*api.DiffPage, error) { return src.Diff(ctx, api.DiffOptions{Latest: true}) })
	if err != nil {
		return 0, err
	}
	files := 0
	if err := l.write(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{"state": "scanning", "config": key, "scan_diffid": strconv.FormatUint(page.DiffID, 10)} {
			if err := l.setMeta(ctx, tx, k, v); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return 0, l.dbErr(err)
	}
	for _, f := range folders {
		m, err := rateRetry(ctx, o, func() (*api.Metadata, error) { return src.ListPath(ctx, f, false) })
		if err != nil {
			var e *api.Error
			if errors.As(err, &e) && (e.Code == 2005 || e.Code == 2002) {
				continue // a library folder that is not there (any more): nothing to index
			}
			return files, err
		}
		n, err := l.batch(ctx, func(b *batch) error {
			if err := b.putFolder(m.FolderID, m.ParentFolderID, f, true); err != nil {
				return err
			}
			_, err := b.putTree(m, f, false)
			return err
		})
		if err != nil {
			return files, l.dbErr(err)
		}
		files += n
	}
	return files, nil
}

func (l *Library) pending(ctx context.Context) ([]Folder, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT folderid, path FROM folders WHERE state=0 ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Folder
	for rows.Next() {
		var f Folder
		var id int64
		if err := rows.Scan(&id, &f.Path); err != nil {
			return nil, err
		}
		f.ID = uint64(id)
		out = append(out, f)
	}
	return out, rows.Err()
}

type listed struct {
	f      Folder
	files  int
	queued []Folder
	err    error
}

// listPending lists every queued folder, a few at once.
func (l *Library) listPending(ctx context.Context, src Source, o ScanOptions, p Progress) error {
	queue, err := l.pending(ctx)
	if err != nil {
		return l.dbErr(err)
	}
	par := o.Parallel
	if par <= 0 {
		par = 4
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work, results := l.workers(ctx, src, o, par)
	defer close(work)
	if p.FoldersLeft = len(queue); o.Progress != nil && len(queue) > 0 {
		o.Progress(p) // the scan is under way: what is queued (a resumed scan's too)
	}
	inflight := 0
	var firstErr error
	for len(queue) > 0 || inflight > 0 {
		var send chan<- Folder
		var next Folder
		if len(queue) > 0 && firstErr == nil {
			send, next = work, queue[0]
		}
		if send == nil && inflight == 0 {
			break
		}
		select {
		case send <- next:
			queue = queue[1:]
			inflight++
		case r := <-results:
			inflight--
			if r.err != nil {
				if firstErr == nil {
					firstErr = r.err
					cancel()
				}
				continue
			}
			queue = append(queue, r.queued...)
			p.Files += r.files
			p.FoldersDone++
			p.FoldersLeft = len(queue) + inflight
			if o.Progress != nil {
				o.Progress(p)
			}
		}
	}
	if firstErr != nil {
		if ctx.Err() != nil && errors.Is(firstErr, context.Canceled) {
			return context.Cause(ctx)
		}
		return firstErr
	}
	p.Done, p.FoldersLeft = true, 0
	// The count shown at the end is the index's own (a file listed twice,
	// or one the runs before held, counted once).
	if n, err := l.Count(ctx); err == nil {
		p.Files = n
	}
	if o.Progress != nil {
		o.Progress(p)
	}
	return nil
}

// workers start par listers: folders in, results out.
func (l *Library) workers(ctx context.Context, src Source, o ScanOptions, par int) (chan<- Folder, <-chan listed) {
	work := make(chan Folder)
	results := make(chan listed)
	for range par {
		go func() {
			for f := range work {
				results <- l.listOne(ctx, src, o, f)
			}
		}()
	}
	return work, results
}

// listOne lists a folder recursively; when that fails (5000 on a huge
// tree, the depth abort, or any answer that is not about the token, the
// rate or the folder being gone) it lists it plainly and queues its
// children.
func (l *Library) listOne(ctx context.Context, src Source, o ScanOptions, f Folder) listed {
	w := &treeWriter{l: l, ctx: ctx, f: f, recursive: true}
	err := l.listRetry(ctx, src, o, f, w)
	if err != nil && splittable(err) && ctx.Err() == nil {
		w = &treeWriter{l: l, ctx: ctx, f: f}
		err = l.listRetry(ctx, src, o, f, w)
	}
	if err != nil {
		var e *api.Error
		if errors.As(err, &e) && (e.Code == 2005 || e.Code == 2003) {
			// Gone or closed to us: forget it and what was below.
			_, err = l.batch(ctx, func(b *batch) error { return b.deleteFolder(f.ID) })
			return listed{f: f, err: err}
		}
		return listed{f: f, err: l.dbErr(err)}
	}
	return listed{f: f, files: w.files, queued: w.queued}
}

// listRetry lists once (see rateRetry), the listing going to w as it is
// read.
func (l *Library) listRetry(ctx context.Context, src Source, o ScanOptions, f Folder, w *treeWriter) error {
	opts := api.ListOptions{Recursive: w.recursive, Visit: w.visit}
	if w.recursive {
		opts.Attempts = 1
	}
	_, err := rateRetry(ctx, o, func() (*api.Metadata, error) {
		if err := w.restart(); err != nil {
			return nil, err
		}
		m, err := src.ListFolderWith(ctx, f.ID, opts)
		if err == nil {
			err = w.finish()
		}
		return m, err
	})
	return err
}

// writeBatch is the most entries a listing holds before writing them (in
// one transaction): a listing of any size is written in bounded steps,
// never held whole.
var writeBatch = 2000 // a variable for the tests

// treeWriter writes a listing of a folder (f) as it is read: its files,
// and the folders below it, listed (recursive) or queued (plain).
type treeWriter struct {
	l         *Library
	ctx       context.Context
	f         Folder
	recursive bool

	dirs   []string // the folders open, f first
	ids    []uint64
	ops    []writeOp
	files  int
	queued []Folder
}

// writeOp is a file (m) in the folder at dir, or a folder (m) at dir
// below parent.
type writeOp struct {
	m      *api.Metadata
	dir    string
	parent uint64
}

// restart forgets what an earlier try of the listing passed on and did
// not write (what it wrote stays: writes are idempotent).
func (w *treeWriter) restart() error {
	w.dirs, w.ids, w.ops, w.queued = nil, nil, nil, nil
	return nil
}

func (w *treeWriter) visit(ev api.ListEvent, m *api.Metadata) error {
	switch ev {
	case api.ListFolder:
		if len(w.dirs) == 0 || m.FolderID == w.f.ID {
			// The listed folder: the start of the listing, or of a new
			// try of it after one cut short (what that one passed on and
			// was not written is passed on again).
			w.dirs, w.ids = []string{w.f.Path}, []uint64{w.f.ID}
			w.ops, w.queued = nil, nil
			return nil
		}
		p := join(w.dirs[len(w.dirs)-1], m.Name)
		w.ops = append(w.ops, writeOp{m: m, dir: p, parent: w.ids[len(w.ids)-1]})
		if !w.recursive {
			w.queued = append(w.queued, Folder{ID: m.FolderID, Path: p})
		}
		w.dirs, w.ids = append(w.dirs, p), append(w.ids, m.FolderID)
	case api.ListFile:
		if len(w.dirs) == 0 || !w.l.wanted(m) {
			return nil
		}
		if m.ParentFolderID == 0 {
			m.ParentFolderID = w.ids[len(w.ids)-1]
		}
		w.ops = append(w.ops, writeOp{m: m, dir: w.dirs[len(w.dirs)-1]})
	case api.ListEnd:
		if len(w.dirs) > 0 {
			w.dirs, w.ids = w.dirs[:len(w.dirs)-1], w.ids[:len(w.ids)-1]
		}
	}
	if len(w.ops) >= writeBatch {
		return w.flush(false)
	}
	return nil
}

// flush writes the entries held; last marks f listed too.
func (w *treeWriter) flush(last bool) error {
	ops := w.ops
	w.ops = nil
	n, err := w.l.batch(w.ctx, func(b *batch) error {
		for _, op := range ops {
			if !op.m.IsFolder {
				if err := b.putFile(op.m, op.dir); err != nil {
					return err
				}
				continue
			}
			if err := b.putFolder(op.m.FolderID, op.parent, op.dir, w.recursive); err != nil {
				return err
			}
		}
		if !last {
			return nil
		}
		_, err := b.tx.ExecContext(b.ctx, `UPDATE folders SET state=1 WHERE folderid=?`, int64(w.f.ID))
		return err
	})
	w.files += n
	return err
}

// finish writes the rest once the listing was read whole.
func (w *treeWriter) finish() error { return w.flush(true) }

// rateRetry runs a call, retrying refusals for the rate (4xxx) with a
// growing wait, at most 8 times.
func rateRetry[T any](ctx context.Context, o ScanOptions, call func() (T, error)) (T, error) {
	backoff := o.Backoff
	if backoff == nil {
		backoff = func(n int) time.Duration { return min(time.Duration(n)*2*time.Second, 30*time.Second) }
	}
	for n := 1; ; n++ {
		v, err := call()
		if err == nil || !api.IsRateLimit(err) || n >= 8 {
			return v, err
		}
		t := time.NewTimer(backoff(n))
		select {
		case <-ctx.Done():
			t.Stop()
			return v, ctx.Err()
		case <-t.C:
		}
	}
}

// splittable reports whether a failed recursive listing is worth doing
// plainly instead.
func splittable(err error) bool {
	if api.IsAuth(err) || api.IsRateLimit(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var e *api.Error
	if errors.As(err, &e) && (e.Code == 2005 || e.Code == 2003 || (e.Code >= 1000 && e.Code < 2000)) {
		return false
	}
	return true
}

// dbErr words a database failure for a person.
func (l *Library) dbErr(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return err
	}
	if dbfile.Damaged(err) {
		return fmt.Errorf("library: the index %s is damaged: restart pcplay to rebuild it (%w)", l.path, err)
	}
	return fmt.Errorf("library: the index %s: %w", l.path, err)
}
