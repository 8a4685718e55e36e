package library

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"strconv"
	"time"

	"github.com/pcplay/pcplay/api"
)

// FollowOptions configure [Library.Follow].
type FollowOptions struct {
	ScanOptions
	// Wait is how long one blocking `diff` call may be held (default 90 s,
	// as rclone waits). An HTTP client with a shorter response-header
	// timeout (api's default client: 30 s) just makes the polls shorter: a
	// timeout is taken as "nothing new".
	Wait time.Duration
	// Changed, when set, is called after changes were applied, with the
	// number of events (0 after a full scan or rescan).
	Changed func(events int)
	// Error, when set, is told of failures [Library.Follow] retries after (the
	// network is down, pCloud answers 5000): a sentence to show, not a
	// reason to stop.
	Error func(err error)
	// RetryWait is the pause after a failed call (default 10 s, doubling
	// to 5 min).
	RetryWait time.Duration
}

// Follow keeps the index fresh until ctx ends: it scans when the index is
// not complete, then long-polls pCloud's change feed (`diff` with block=1)
// and applies every change; a `reset`, or a history too old, leads to a
// full rescan. It returns ctx's error, or an error that retrying cannot
// mend (the token refused). Run it in a goroutine.
func (l *Library) Follow(ctx context.Context, src Source, o FollowOptions) error {
	if o.Wait <= 0 {
		o.Wait = 90 * time.Second
	}
	if o.RetryWait <= 0 {
		o.RetryWait = 10 * time.Second
	}
	wait := o.RetryWait
	for ctx.Err() == nil {
		// A complete index waits for changes right away (the first
		// blocking diff answers at once when there are some).
		state, err := getMeta(ctx, l.db, "state")
		switch {
		case err != nil:
			err = l.dbErr(err)
		case state != "done" || l.configChanged(ctx, o.Folders):
			// Not finished, or finished for other library folders (the
			// config changed since): Scan starts over.
			if err = l.Scan(ctx, src, o.ScanOptions); err == nil && o.Changed != nil {
				o.Changed(0)
			}
		default:
			err = l.followOnce(ctx, src, o)
		}
		if err == nil {
			wait = o.RetryWait
			continue
		}
		if ctx.Err() != nil {
			break
		}
		if api.IsAuth(err) {
			return err
		}
		if o.Error != nil {
			o.Error(err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		wait = min(wait*2, 5*time.Minute)
	}
	return ctx.Err()
}

// followOnce waits for changes (one blocking diff) and applies them.
func (l *Library) followOnce(ctx context.Context, src Source, o FollowOptions) error {
	id, err := metaUint(ctx, l.db, "diffid")
	if err != nil {
		return l.dbErr(err)
	}
	cctx, cancel := context.WithTimeout(ctx, o.Wait)
	page, err := src.Diff(cctx, api.DiffOptions{DiffID: id, Block: true, Limit: diffPage})
	// Held to the end (ours, or an HTTP client's response-header timeout
	// shorter than Wait): nothing new.
	var ne net.Error
	quiet := err != nil && ctx.Err() == nil && (cctx.Err() != nil || errors.As(err, &ne) && ne.Timeout())
	cancel()
	if quiet {
		return nil
	}
	if err != nil {
		return l.diffErr(ctx, src, o.ScanOptions, err)
	}
	l.scanMu.Lock()
	defer l.scanMu.Unlock()
	if now, err := metaUint(ctx, l.db, "diffid"); err != nil || now != id {
		return err // a rescan or another catch-up moved on meanwhile
	}
	l.setRoots(normFolders(o.Folders))
	n, reset, err := l.apply(ctx, src, o.ScanOptions, page)
	if err != nil {
		return err
	}
	if reset {
		return l.rescanLocked(ctx, src, o)
	}
	if n > 0 && o.Changed != nil {
		o.Changed(n)
	}
	return nil
}

func (l *Library) rescanLocked(ctx context.Context, src Source, o FollowOptions) error {
	if err := l.clear(ctx); err != nil {
		return l.dbErr(err)
	}
	err := l.scanLocked(ctx, src, o.ScanOptions)
	if err == nil && o.Changed != nil {
		o.Changed(0)
	}
	return err
}

// diffErr handles a failed diff: an answer about the diffid itself (not
// the network, the token or pCloud being busy) means the history is gone:
// the next [Library.Scan] is a full one.
func (l *Library) diffErr(ctx context.Context, src Source, o ScanOptions, err error) error {
	var e *api.Error
	if errors.As(err, &e) && e.Code >= 1000 && e.Code < 3000 && !api.IsAuth(err) {
		if cerr := l.clear(ctx); cerr != nil {
			return l.dbErr(cerr)
		}
	}
	return err
}

// diffPage is the most events asked of one diff call: a page is held
// whole (its entries are small: no folder contents), so it is bounded.
const diffPage = 1000

// catchUp applies the changes since the stored diffid (non-blocking, page
// after page). reset reports that a full rescan is needed.
func (l *Library) catchUp(ctx context.Context, src Source, o ScanOptions) (reset bool, err error) {
	for {
		id, err := metaUint(ctx, l.db, "diffid")
		if err != nil {
			return false, l.dbErr(err)
		}
		page, err := src.Diff(ctx, api.DiffOptions{DiffID: id, Limit: diffPage})
		if err != nil {
			var e *api.Error
			if errors.As(err, &e) && e.Code >= 1000 && e.Code < 3000 && !api.IsAuth(err) {
				return true, nil
			}
			return false, err
		}
		_, reset, err := l.apply(ctx, src, o, page)
		if err != nil || reset || len(page.Entries) == 0 || page.DiffID == id {
			return reset, err
		}
		if len(page.Entries) < diffPage {
			return false, nil // a short page: that was all
		}
	}
}

// apply writes a page of events and the new diffid in one transaction, then
// lists folders that came into the library with their contents.
func (l *Library) apply(ctx context.Context, src Source, o ScanOptions, page *api.DiffPage) (n int, reset bool, err error) {
	_, err = l.batch(ctx, func(b *batch) error {
		for _, e := range page.Entries {
			if e.Event == api.EventReset {
				reset = true
				return nil
			}
			ok, err := b.event(e)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return l.setMeta(ctx, b.tx, "diffid", strconv.FormatUint(page.DiffID, 10))
	})
	if err != nil || reset {
		return n, reset, l.dbErr(err)
	}
	// Folders moved in from outside the library are listed now.
	if err := l.listPending(ctx, src, o, Progress{}); err != nil {
		return n, false, err
	}
	return n, false, nil
}

// folderPath is the path of a known folder.
func (b *batch) folderPath(id uint64) (string, bool, error) {
	var p string
	err := b.tx.QueryRowContext(b.ctx, `SELECT path FROM folders WHERE folderid=?`, int64(id)).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return p, err == nil, err
}

// event applies one change; ok reports whether it touched the library.
func (b *batch) event(e api.DiffEntry) (bool, error) {
	m := e.Metadata
	if m == nil {
		return false, nil
	}
	switch e.Event {
	case api.EventCreateFile, api.EventModifyFile:
		dir, known, err := b.folderPath(m.ParentFolderID)
		if err != nil {
			return false, err
		}
		if !known || !b.l.wanted(m) {
			var had int
			_ = b.tx.QueryRowContext(b.ctx, `SELECT count(*) FROM tracks WHERE fileid=?`, int64(m.FileID)).Scan(&had)
			return had > 0, b.deleteFile(m.FileID) // moved out of the library, or not music
		}
		return true, b.putFile(m, dir)
	case api.EventDeleteFile:
		return true, b.deleteFile(m.FileID)
	case api.EventCreateFolder, api.EventModifyFolder:
		dir, parentKnown, err := b.folderPath(m.ParentFolderID)
		if err != nil {
			return false, err
		}
		_, known, err := b.folderPath(m.FolderID)
		if err != nil {
			return false, err
		}
		switch {
		case !parentKnown && known:
			return true, b.deleteFolder(m.FolderID) // moved out of the library
		case !parentKnown:
			return false, nil
		case known:
			return true, b.moveFolder(m.FolderID, m.ParentFolderID, join(dir, m.Name))
		}
		// New here: an empty new folder, or one moved in with contents
		// (listed afterwards).
		state := 1
		if e.Event == api.EventModifyFolder {
			state = 0
		}
		_, err = b.folder.ExecContext(b.ctx, int64(m.FolderID), int64(m.ParentFolderID), join(dir, m.Name), state)
		return true, err
	case api.EventDeleteFolder:
		return true, b.deleteFolder(m.FolderID)
	}
	return false, nil
}
