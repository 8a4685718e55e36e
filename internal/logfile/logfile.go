// Package logfile is pcplay's debug log: a file (the terminal belongs to the
// UI), or nowhere.
package logfile

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
)

// EngineName is the engine's log in the state directory when --log is not
// given: the engine never writes to a terminal.
const EngineName = "engine.log"

// MaxEngine: a longer engine.log becomes engine.log.1 when an engine
// starts, so that a long-lived engine's log stays bounded.
const MaxEngine = 4 << 20

// Open opens the debug log at path, appending. Without a path, logging
// goes nowhere. A new log is made 0600; a symbolic link is not followed
// and a file of another user's is refused (in /tmp either could be
// planted to make pcplay write where it should not).
func Open(path string) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	f, err := OpenOwn(path, os.O_APPEND)
	if err != nil {
		return nil, nil, fmt.Errorf("%v; give --log a file of yours in a directory that exists", err)
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

// OpenOwn opens path for writing with the extra flags (os.O_APPEND or
// os.O_TRUNC), creating it 0600: never through a symbolic link, and only
// a regular file of this user's.
func OpenOwn(path string, flags int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|flags&^os.O_TRUNC, 0o600)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("%s is a symbolic link; pcplay does not write through one", path)
		}
		return nil, fmt.Errorf("cannot open %s: %v", path, errors.Unwrap(err))
	}
	fi, err := f.Stat()
	if err == nil {
		st, ok := fi.Sys().(*syscall.Stat_t)
		switch {
		case !fi.Mode().IsRegular():
			err = fmt.Errorf("%s is not a regular file", path)
		case ok && int(st.Uid) != os.Geteuid():
			err = fmt.Errorf("%s belongs to another user; pcplay writes only to files of yours", path)
		}
	}
	if err == nil && flags&os.O_TRUNC != 0 {
		// Truncated only once it is known to be ours.
		err = f.Truncate(0)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
