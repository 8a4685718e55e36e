// Package logfile is pcplay's debug log: a file (the terminal belongs to the
// UI), or nowhere.
package logfile

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// EngineName is the engine's log in the state directory when --log is not
// given: the engine never writes to a terminal.
const EngineName = "engine.log"

// MaxEngine: a longer engine.log becomes engine.log.1 when an engine
// starts, so that a long-lived engine's log stays bounded.
const MaxEngine = 4 << 20

// Open opens the debug log at path. Without a path, logging goes nowhere.
func Open(path string) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open the log file %s: %v; give --log a file in a directory that exists", path, errors.Unwrap(err))
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug})), func() { f.Close() }, nil
}

// Rotate moves path to path.1 when it is over max bytes.
func Rotate(path string, max int64) {
	if fi, err := os.Stat(path); err == nil && fi.Size() > max {
		os.Rename(path, path+".1")
	}
}

// Engine is the engine's log in the state directory dir, rotated when it
// is over MaxEngine.
func Engine(dir string) string {
	p := filepath.Join(dir, EngineName)
	Rotate(p, MaxEngine)
	return p
}
