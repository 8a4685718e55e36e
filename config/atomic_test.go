//go:build unix

package config

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The helper process: when PCPLAY_ATOMIC_HELPER is set, the test binary runs
// TestAtomicHelperProcess as a child that writes and dies.
const helperEnv = "PCPLAY_ATOMIC_HELPER"

func TestAtomicHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper process only")
	}
	path := os.Getenv("PCPLAY_ATOMIC_PATH")
	switch mode {
	case "crash-before-rename":
		// Write new contents, and die after the temporary file is complete
		// but before the rename.
		testHookBeforeRename = func(tmp string) {
			fmt.Println("TEMP", tmp)
			os.Exit(3)
		}
		err := WriteFileAtomic(path, bytes.Repeat([]byte("new\n"), 1000), 0o600)
		fmt.Println("returned", err)
		os.Exit(4)
	case "loop":
		// Rewrite the file forever, alternating two contents, until killed.
		a := bytes.Repeat([]byte("a"), 256<<10)
		b := bytes.Repeat([]byte("b"), 256<<10)
		for i := 0; ; i++ {
			data := a
			if i%2 == 1 {
				data = b
			}
			if err := WriteFileAtomic(path, data, 0o600); err != nil {
				fmt.Println("error", err)
				os.Exit(5)
			}
			fmt.Println("wrote", i)
		}
	}
}

func helperCmd(t *testing.T, mode, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAtomicHelperProcess$", "-test.v=false")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "PCPLAY_ATOMIC_PATH="+path)
	return cmd
}

func TestWriteFileAtomicCrashBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.json")
	old := []byte(`{"old":true}` + "\n")
	if err := WriteFileAtomic(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := helperCmd(t, "crash-before-rename", path).Output()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 3 {
		t.Fatalf("helper: %v, output %q; want exit status 3 from the hook", err, out)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, old) {
		t.Fatalf("after a crash before rename the file holds %q, want the old contents", got)
	}
	// The crash left its complete temporary file behind.
	tmp := strings.TrimSpace(strings.TrimPrefix(string(out), "TEMP"))
	if filepath.Dir(tmp) != dir || !strings.HasPrefix(filepath.Base(tmp), ".session.json.tmp-") {
		t.Fatalf("temporary file %q is not a hidden sibling of the target", tmp)
	}
	if fi, err := os.Stat(tmp); err != nil || fi.Size() != 4000 {
		t.Fatalf("temporary file: %v, %v", fi, err)
	}
	// A later write succeeds and leaves a fresh temp alone...
	if err := WriteFileAtomic(path, []byte("v2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Errorf("a fresh temporary file was removed: %v", err)
	}
	// ...and removes it once it is stale.
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(tmp, past, past); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, []byte("v3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("stale temporary file still there: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "v3\n" {
		t.Errorf("file = %q", got)
	}
}

// TestWriteFileAtomicKilled kills a process that rewrites a file in a loop at
// arbitrary moments: the file is always one whole version, never a mix or a
// truncation.
func TestWriteFileAtomicKilled(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for round := 0; round < 5; round++ {
		cmd := helperCmd(t, "loop", path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		// Let it write a few times (a different number each round), then kill
		// it wherever it is.
		for n := 0; n <= round*3 && sc.Scan(); n++ {
			if !strings.HasPrefix(sc.Text(), "wrote ") {
				t.Fatalf("helper said %q", sc.Text())
			}
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for sc.Scan() {
		}
		_ = cmd.Wait()

		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if len(data) != 256<<10 {
			t.Fatalf("round %d: file is %d bytes, want %d", round, len(data), 256<<10)
		}
		if c := data[0]; (c != 'a' && c != 'b') || !bytes.Equal(data, bytes.Repeat([]byte{c}, len(data))) {
			t.Fatalf("round %d: file is a mix of versions", round)
		}
	}
}

func TestWriteFileAtomicModes(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := t.TempDir()
	for _, perm := range []os.FileMode{0o600, 0o644, 0o640} {
		p := filepath.Join(dir, "f"+strconv.Itoa(int(perm)))
		// A new file and a replaced one both get exactly perm.
		for i := 0; i < 2; i++ {
			if err := WriteFileAtomic(p, []byte("x"), perm); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != perm {
				t.Errorf("mode %04o, want %04o", fi.Mode().Perm(), perm)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("directory holds %d entries, want 3 (no temporary files left)", len(entries))
	}
}

func TestWriteFileAtomicErrors(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f"), []byte("x"), 0o600); err == nil {
		t.Error("write into a missing directory succeeded")
	}
	if err := WriteFileAtomic("", []byte("x"), 0o600); err == nil {
		t.Error("write to an empty name succeeded")
	}
	if err := WriteFileAtomic(dir+"/", []byte("x"), 0o600); err == nil {
		t.Error("write to a directory name succeeded")
	}
	// Renaming over a directory fails, and the temporary file goes away.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "keep"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(sub, []byte("x"), 0o600); err == nil {
		t.Error("write over a non-empty directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left after a failed write", e.Name())
		}
	}
}

func TestWriteFileAtomicKeepsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.toml")
	link := filepath.Join(dir, "link.toml")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	if err := WriteFileAtomic(link, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced by a file: %v %v", fi, err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Errorf("target = %q", got)
	}
}
