// Package logfile is pcplay's debug log: a file (the terminal belongs to the
// UI), or nowhere.
package logfile

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/pcplay/pcplay/internal/ownfile"
)

// EngineName is the engine's log in the state directory when --log is not
// given: the engine never writes to a terminal.
const EngineName = "engine.log"

// MaxEngine: a longer engine.log becomes engine.log.1 (as the engine
// writes it), so that a long-lived engine's log stays bounded: two files
// of at most this size.
const MaxEngine = 4 << 20

// Open opens the debug log at path, appending. Without a path, logging
// goes nowhere. A new log is made 0600; a symbolic link is not followed
// and a file of another user's is refused (in /tmp either could be
// planted to make pcplay write where it should not).
func Open(path string) (*slog.Logger, func(), error) {
	return OpenRotating(path, 0)
}

// OpenRotating is Open with a size limit: once the log is over max bytes
// it becomes path.1 (the previous .1 goes) and a new one is started, so a
// long-lived engine's log stays bounded while it runs. max 0: no limit.
func OpenRotating(path string, max int64) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	f, err := ownfile.Open(path, os.O_APPEND)
	if err != nil {
		return nil, nil, fmt.Errorf("%v; give --log a file of yours in a directory that exists", err)
	}
	w := &rotating{path: path, max: max, f: f}
	if fi, err := f.Stat(); err == nil {
		w.size = fi.Size()
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})), w.close, nil
}

// rotating is a log file that moves itself aside at its size limit.
type rotating struct {
	path string
	max  int64

	mu   sync.Mutex
	f    *os.File
	size int64
}

func (w *rotating) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, os.ErrClosed
	}
	if w.max > 0 && w.size > 0 && w.size+int64(len(b)) > w.max {
		// Moved aside, then a new file: a failure keeps the old one.
		if err := os.Rename(w.path, w.path+".1"); err == nil {
			if f, err := ownfile.Open(w.path, os.O_APPEND); err == nil {
				w.f.Close()
				w.f, w.size = f, 0
			}
		}
	}
	n, err := w.f.Write(b)
	w.size += int64(n)
	return n, err
}

func (w *rotating) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f != nil {
		w.f.Close()
		w.f = nil
	}
}

// Engine is the engine's log in the state directory dir.
func Engine(dir string) string { return filepath.Join(dir, EngineName) }
