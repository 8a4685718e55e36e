package scrobble

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The listening history: every listen [Rules] counts, whether or not a
// service takes it, kept in the queue's database (its own table) so that
// the person can see what they listened to ("Recently played").

// HistoryMax is how many listens the history keeps: the oldest go first.
const HistoryMax = 5000

var historySchema = `CREATE TABLE IF NOT EXISTS history (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		started INTEGER NOT NULL,
		fileid INTEGER NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		artist TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		album TEXT NOT NULL DEFAULT '',
		trackno INTEGER NOT NULL DEFAULT 0,
		duration_ms INTEGER NOT NULL DEFAULT 0)`

// OpenMemoryQueue is a queue kept in memory only, gone when closed: the
// demo's (it writes nothing of the person's).
func OpenMemoryQueue() (*Queue, error) {
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return nil, err
	}
	// One connection, never closed while idle: the memory database lives
	// as long as it does.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	if err := makeTables(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot make the listening history: %w", err)
	}
	return &Queue{db: db}, nil
}

// Remember adds ls to the history, in order (the last is the newest), on
// disk before it returns (one transaction), and drops the oldest listens
// beyond [HistoryMax].
func (q *Queue) Remember(ctx context.Context, ls ...Listen) error {
	if len(ls) == 0 {
		return nil
	}
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO history
		(started, fileid, name, artist, title, album, trackno, duration_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	var seq int64
	for _, l := range ls {
		t := l.Track
		res, err := ins.ExecContext(ctx, l.Started.UnixMilli(), int64(t.FileID), t.Name, t.Artist, t.Title, t.Album, t.TrackNo, l.Duration.Milliseconds())
		if err != nil {
			return err
		}
		if seq, err = res.LastInsertId(); err != nil {
			return err
		}
	}
	// Rows are only ever taken from the oldest end, so the last
	// HistoryMax seqs are the last HistoryMax listens.
	if _, err := tx.ExecContext(ctx, `DELETE FROM history WHERE seq <= ?`, seq-HistoryMax); err != nil {
		return err
	}
	return tx.Commit()
}

// History is the last n listens (at most [HistoryMax]), newest first.
func (q *Queue) History(ctx context.Context, n int) ([]Listen, error) {
	n = min(max(n, 0), HistoryMax)
	rows, err := q.db.QueryContext(ctx, `SELECT started, fileid, name, artist, title, album, trackno, duration_ms
		FROM history ORDER BY seq DESC LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Listen{}
	for rows.Next() {
		var l Listen
		var at, id, ms int64
		t := &l.Track
		if err := rows.Scan(&at, &id, &t.Name, &t.Artist, &t.Title, &t.Album, &t.TrackNo, &ms); err != nil {
			return nil, err
		}
		t.FileID = uint64(id)
		l.Started = time.UnixMilli(at)
		l.Duration = time.Duration(ms) * time.Millisecond
		t.Duration = l.Duration
		out = append(out, l)
	}
	return out, rows.Err()
}
