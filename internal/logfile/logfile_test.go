package logfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRotate(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "engine.log")
	os.WriteFile(p, make([]byte, 100), 0o600)
	Rotate(p, 100)
	if _, err := os.Stat(p); err != nil {
		t.Fatal("a log at the limit was moved")
	}
	os.WriteFile(p, make([]byte, 101), 0o600)
	Rotate(p, 100)
	if _, err := os.Stat(p + ".1"); err != nil {
		t.Error("a log over the limit was not moved")
	}
	if _, err := os.Stat(p); err == nil {
		t.Error("the log is still there")
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.log")
	l, closeLog, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	l.Info("hello", "n", 1)
	closeLog()
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), "msg=hello n=1") {
		t.Errorf("the log has %q", b)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	if _, _, err := Open(filepath.Join(dir, "missing", "x.log")); err == nil || !strings.Contains(err.Error(), "directory that exists") {
		t.Errorf("a log in a missing directory: %v", err)
	}
}
