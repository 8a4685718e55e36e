// Package dbfile is what pcplay's SQLite files (the library index, the
// scrobble queue) share about a damaged file: how to tell one, the few
// words that say why, and setting it aside so that a new one can be made
// and nothing is lost for good (the old file is kept beside it).
package dbfile

import (
	"context"
	"database/sql"
	"errors"
	"os"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// CheckError is a file that opened but failed SQLite's quick check.
type CheckError struct{ Msg string }

func (e *CheckError) Error() string { return "integrity check: " + e.Msg }

// Check runs SQLite's quick check on db: a [*CheckError] when it finds
// damage.
func Check(ctx context.Context, db *sql.DB) error {
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&check); err != nil {
		return err
	}
	if check != "ok" {
		return &CheckError{check}
	}
	return nil
}

// Damaged reports whether err says the file is not a usable database.
func Damaged(err error) bool {
	var ce *CheckError
	if errors.As(err, &ce) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return true
		}
	}
	return false
}

// Why is a few words on a damaged file's err, for a sentence.
func Why(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return "not a database"
		case sqlite3.SQLITE_CORRUPT:
			return "corrupt"
		}
	}
	return "failed its integrity check"
}

// SetAside moves the file at path, with its -wal and -shm, to
// path+".damaged" (replacing an older one): a new file can be made at
// path, and the old one is kept for the person.
func SetAside(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Rename(path+suffix, path+".damaged"+suffix)
	}
}
