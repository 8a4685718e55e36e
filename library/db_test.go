package library

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The index and its -wal and -shm are the person's alone, whatever the
// umask (they were 0644).
func TestIndexFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "library.db")
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Count(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(path + suffix)
		if err != nil {
			t.Fatalf("%s: %v", suffix, err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("library.db%s is %o", suffix, fi.Mode().Perm())
		}
	}
}
