package scrobble

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/dbfile"
	"github.com/pcplay/pcplay/internal/ownfile"
	_ "modernc.org/sqlite" // the queue's database
)

// Queue is the durable queue of listens not yet accepted, one row per
// listen and service, and what each service last said. It lives in a
// SQLite file (0600) written with full syncs: a listen added is on disk
// before Add returns, and survives kill -9 and a power cut.
type Queue struct {
	db     *sql.DB
	notice string
}

var queueSchema = []string{
	`CREATE TABLE IF NOT EXISTS listens (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		service TEXT NOT NULL,
		key TEXT NOT NULL,
		listened_at INTEGER NOT NULL,
		fileid INTEGER NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		artist TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		album TEXT NOT NULL DEFAULT '',
		trackno INTEGER NOT NULL DEFAULT 0,
		duration_ms INTEGER NOT NULL DEFAULT 0,
		UNIQUE(service, key))`,
	`CREATE TABLE IF NOT EXISTS services (
		service TEXT PRIMARY KEY,
		last_ok INTEGER NOT NULL DEFAULT 0,
		last_err TEXT NOT NULL DEFAULT '',
		last_err_at INTEGER NOT NULL DEFAULT 0,
		needs TEXT NOT NULL DEFAULT '')`,
	historySchema,
}

// OpenQueue opens (creating it) the queue at path. A damaged file is set
// aside as path+".damaged" and a new queue made: [Queue.Notice] says so
// (the listens in it are not sent; the file is kept).
func OpenQueue(path string) (*Queue, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot make the folder for the scrobble queue: %w", err)
	}
	q, bad := openQueue(path)
	if bad == nil || !dbfile.Damaged(bad) {
		return q, bad
	}
	dbfile.SetAside(path)
	q, err := openQueue(path)
	if err != nil {
		return nil, err
	}
	q.notice = fmt.Sprintf("The scrobble queue was damaged (%s); it was moved to %s and a new one started: listens queued in it will not be sent.",
		dbfile.Why(bad), filepath.Base(path)+".damaged")
	return q, nil
}

func openQueue(path string) (*Queue, error) {
	if err := ownfile.PrivateDB(path); err != nil {
		return nil, fmt.Errorf("cannot open the scrobble queue %s: %w", path, err)
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := dbfile.Check(context.Background(), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot open the scrobble queue %s: %w", path, err)
	}
	if err := makeTables(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot open the scrobble queue %s: %w", path, err)
	}
	return &Queue{db: db}, ownfile.PrivateDB(path)
}

// makeTables makes the queue's tables where they are missing.
func makeTables(db *sql.DB) error {
	for _, q := range queueSchema {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	return nil
}

// Notice is a sentence to show once after [OpenQueue] ("" when there is
// none): a damaged queue was set aside.
func (q *Queue) Notice() string { return q.notice }

// Close closes the database.
func (q *Queue) Close() error { return q.db.Close() }

// Queued is a listen in the queue.
type Queued struct {
	Seq int64
	Listen
}

// Add queues l for each of services; a listen already queued (same key)
// is not queued twice.
func (q *Queue) Add(ctx context.Context, l Listen, services ...string) error {
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t := l.Track
	for _, s := range services {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO listens
			(service, key, listened_at, fileid, name, artist, title, album, trackno, duration_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s, l.Key(), l.Started.Unix(), int64(t.FileID), t.Name, t.Artist, t.Title, t.Album, t.TrackNo, l.Duration.Milliseconds())
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Peek is the n oldest listens queued for service, oldest first.
func (q *Queue) Peek(ctx context.Context, service string, n int) ([]Queued, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT seq, listened_at, fileid, name, artist, title, album, trackno, duration_ms
		FROM listens WHERE service = ? ORDER BY listened_at, seq LIMIT ?`, service, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Queued
	for rows.Next() {
		var e Queued
		var at, id, ms int64
		t := &e.Track
		if err := rows.Scan(&e.Seq, &at, &id, &t.Name, &t.Artist, &t.Title, &t.Album, &t.TrackNo, &ms); err != nil {
			return nil, err
		}
		t.FileID = uint64(id)
		e.Started = time.Unix(at, 0)
		e.Duration = time.Duration(ms) * time.Millisecond
		t.Duration = e.Duration
		out = append(out, e)
	}
	return out, rows.Err()
}

// Remove takes the listens seqs of service out of the queue.
func (q *Queue) Remove(ctx context.Context, service string, seqs ...int64) error {
	if len(seqs) == 0 {
		return nil
	}
	args := []any{service}
	for _, s := range seqs {
		args = append(args, s)
	}
	_, err := q.db.ExecContext(ctx, `DELETE FROM listens WHERE service = ? AND seq IN (?`+strings.Repeat(",?", len(seqs)-1)+`)`, args...)
	return err
}

// Count is how many listens are queued for service.
func (q *Queue) Count(ctx context.Context, service string) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM listens WHERE service = ?`, service).Scan(&n)
	return n, err
}

// State is what a service last said.
type State struct {
	LastOK    time.Time // zero: never
	LastErr   string    // "" none since the last success
	LastErrAt time.Time
	// Needs is what the person must do for the service to take listens
	// again (log in again); "" nothing.
	Needs string
}

// NoteOK records that service accepted something at at, and clears its
// error.
func (q *Queue) NoteOK(ctx context.Context, service string, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO services (service, last_ok) VALUES (?, ?)
		ON CONFLICT(service) DO UPDATE SET last_ok = excluded.last_ok, last_err = '', last_err_at = 0, needs = ''`, service, at.Unix())
	return err
}

// NoteErr records service's last error, a sentence for the person.
func (q *Queue) NoteErr(ctx context.Context, service, msg string, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO services (service, last_err, last_err_at) VALUES (?, ?, ?)
		ON CONFLICT(service) DO UPDATE SET last_err = excluded.last_err, last_err_at = excluded.last_err_at`, service, msg, at.Unix())
	return err
}

// NoteNeeds records what the person must do for service ("" nothing).
func (q *Queue) NoteNeeds(ctx context.Context, service, msg string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO services (service, needs) VALUES (?, ?)
		ON CONFLICT(service) DO UPDATE SET needs = excluded.needs`, service, msg)
	return err
}

// State is what service last said.
func (q *Queue) State(ctx context.Context, service string) (State, error) {
	var ok, errAt int64
	var st State
	err := q.db.QueryRowContext(ctx, `SELECT last_ok, last_err, last_err_at, needs FROM services WHERE service = ?`, service).Scan(&ok, &st.LastErr, &errAt, &st.Needs)
	if errors.Is(err, sql.ErrNoRows) {
		return State{}, nil
	}
	if ok > 0 {
		st.LastOK = time.Unix(ok, 0)
	}
	if errAt > 0 {
		st.LastErrAt = time.Unix(errAt, 0)
	}
	return st, err
}
