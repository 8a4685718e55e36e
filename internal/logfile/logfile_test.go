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

// A planted link or another user's file is refused; nothing is written
// there (--log /tmp/x.log appended to another user's file and followed a
// planted symlink).
func TestOpenRefusesLinksAndOthersFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "victim")
	os.WriteFile(target, []byte("keep"), 0o600)
	link := filepath.Join(dir, "x.log")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("through a link: %v", err)
	}
	if _, err := OpenOwn(link, os.O_TRUNC); err == nil {
		t.Error("OpenOwn truncated through a link")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the link's target now holds %q", b)
	}
	if os.Geteuid() == 0 {
		other := filepath.Join(dir, "other.log")
		os.WriteFile(other, []byte("theirs"), 0o666)
		if err := os.Chown(other, 4242, 4242); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Open(other); err == nil || !strings.Contains(err.Error(), "another user") {
			t.Errorf("another user's file: %v", err)
		}
		if _, err := OpenOwn(other, os.O_TRUNC); err == nil {
			t.Error("another user's file truncated")
		}
		if b, _ := os.ReadFile(other); string(b) != "theirs" {
			t.Errorf("another user's file now holds %q", b)
		}
	}
	if _, _, err := Open(dir); err == nil {
		t.Error("a directory opened as a log")
	}
}
