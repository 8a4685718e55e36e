package library

import (
	"database/sql"
	"fmt"
	"os"
)

// OpenReader opens, read only, an index another process writes (the
// engine's [Keeper]): SQLite's write-ahead log lets it read beside the
// writer. It never changes the file, nor moves a damaged one aside (the
// writer does). The lists it caches are kept until [Library.Reload].
func OpenReader(path string) (*Library, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("library: no index yet at %s", path)
	}
	dsn := "file:" + path + "?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	l := &Library{db: db, path: path}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("library: cannot read the index %s: %w", path, err)
	}
	return l, nil
}

// Reload forgets the cached lists: another process changed the index
// (the [Keeper]'s [State.Gen] moved on).
func (l *Library) Reload() { l.gen.Add(1) }
