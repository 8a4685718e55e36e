// Package ownfile opens a file pcplay writes for the person at a path the
// person gave (--log, --output FILE.wav): never through a symbolic link,
// only a regular file of this user's, a new one 0600. In /tmp anyone can
// plant a link or a file to make pcplay write where it should not.
package ownfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// Open opens path for writing with the extra flags (os.O_APPEND or
// os.O_TRUNC), creating it 0600: never through a symbolic link, and only
// a regular file of this user's.
func Open(path string, flags int) (*os.File, error) {
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

// PrivateDB makes an SQLite database at path (created empty when missing)
// and its -wal and -shm, where they exist, the person's alone: 0600.
func PrivateDB(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Chmod(path+suffix, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
