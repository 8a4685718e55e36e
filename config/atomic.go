package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// testHookBeforeRename, when set (by tests only), runs after the temporary
// file is written, synced and closed, just before it is renamed over the
// target. A test makes the process exit here to simulate a crash.
var testHookBeforeRename func(tmp string)

// staleTempAge is how old a leftover temporary file of an interrupted write
// must be before a later write of the same file removes it. It is generous so
// that a concurrent writer's live temporary file is never touched.
var staleTempAge = 10 * time.Minute

// WriteFileAtomic replaces path with data so that, whatever happens (a crash,
// a kill, a full disk), path holds either its old contents or the new ones,
// whole. It writes a temporary file in the same directory with mode perm,
// fsyncs it, renames it over path and fsyncs the directory. The directory must
// exist. If path is a symbolic link, the file it points to is replaced and the
// link kept. Leftover temporary files of earlier interrupted writes to the
// same path are removed once they are stale.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	if path == "" {
		return errors.New("cannot write a file with an empty name")
	}
	if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, serr := filepath.EvalSymlinks(path); serr == nil {
			path = target
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return fmt.Errorf("cannot write %s: it names a directory", path)
	}
	prefix := "." + base + ".tmp-"
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, reason(err))
	}
	tmp := f.Name()
	renamed := false
	defer func() {
		if !renamed {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	// CreateTemp makes the file 0600; set the asked mode exactly (no umask).
	if err := f.Chmod(perm.Perm()); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("cannot write %s: %w", path, reason(err))
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, reason(err))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, reason(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, reason(err))
	}
	if testHookBeforeRename != nil {
		testHookBeforeRename(tmp)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, reason(err))
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("cannot write %s: syncing its directory: %w", path, reason(err))
	}
	removeStaleTemps(dir, prefix)
	return nil
}

// syncDir makes a rename in dir durable. Systems that cannot sync a
// directory (Windows) are not an error.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		var pe *fs.PathError
		if errors.As(err, &pe) && (strings.Contains(pe.Err.Error(), "invalid argument")) {
			return nil // some file systems refuse fsync on directories
		}
		return err
	}
	return nil
}

// removeStaleTemps deletes temporary files that interrupted writes left in
// dir, once they are older than staleTempAge. Errors are ignored: this is
// housekeeping.
func removeStaleTemps(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	now := time.Now()
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < staleTempAge {
			continue
		}
		_ = os.Remove(filepath.Join(dir, e.Name()))
	}
}

// reason strips the operation and path from an [*fs.PathError] (the caller's
// sentence already names the file) and returns the bare cause.
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
