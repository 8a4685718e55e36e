package config

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Umasked follows the process's umask, as a file the shell makes does.
func TestUmasked(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	if got := Umasked(0o666); got != 0o600 {
		t.Errorf("under umask 077: %o, want 600", got)
	}
	syscall.Umask(0o022)
	if got := Umasked(0o666); got != 0o644 {
		t.Errorf("under umask 022: %o, want 644", got)
	}
	p := filepath.Join(t.TempDir(), "x.m3u8")
	syscall.Umask(0o077)
	if err := WriteFileAtomic(p, []byte("#EXTM3U\n"), Umasked(0o666)); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("written under umask 077 as %o", fi.Mode().Perm())
	}
}
