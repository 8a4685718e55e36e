package logfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/internal/ownfile"
)

// The engine's log moves itself aside at its limit while it runs (it was
// rotated only when an engine started: ~15 MB a day at one ctl a second).
func TestRotating(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "engine.log")
	l, closeLog, err := OpenRotating(p, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		l.Info("a line of about sixty bytes, written many times", "i", i)
	}
	closeLog()
	cur, err1 := os.Stat(p)
	old, err2 := os.Stat(p + ".1")
	if err1 != nil || err2 != nil || cur.Size() > 1000 || old.Size() > 1000 || old.Size() < 900 {
		t.Fatalf("engine.log %v (%v), engine.log.1 %v (%v)", cur, err1, old, err2)
	}
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), "i=99") {
		t.Errorf("the last line is not in the current log:\n%s", b)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("the new log is %o", fi.Mode().Perm())
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
	if _, err := ownfile.Open(link, os.O_TRUNC); err == nil {
		t.Error("ownfile.Open truncated through a link")
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
		if _, err := ownfile.Open(other, os.O_TRUNC); err == nil {
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
