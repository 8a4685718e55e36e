//go:build unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pcplay/pcplay/internal/poll"
)

// pcplay help and pcplay version are --help and --version; --help lists the
// default keys; pcplay ctl --help is the ctl usage.
func TestHelpAliasesAndKeys(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	help, version := w.run("", "--help"), w.run("", "--version")
	if r := w.run("", "help"); r.code != 0 || r.stdout != help.stdout {
		t.Errorf("pcplay help: exit %d, the same as --help: %v", r.code, r.stdout == help.stdout)
	}
	if r := w.run("", "version"); r.code != 0 || r.stdout != version.stdout {
		t.Errorf("pcplay version: exit %d, stdout %q, want %q", r.code, r.stdout, version.stdout)
	}
	for _, want := range []string{"space", "toggle", "pause / resume", "stop_quit", "shift+left"} {
		if !strings.Contains(help.stdout, want) {
			t.Errorf("--help does not list the keys (%q missing)", want)
		}
	}
	r := w.run("", "ctl", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage: pcplay ctl COMMAND") || !strings.Contains(r.stdout, "stop: stop playback") {
		t.Errorf("ctl --help: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// Usage mistakes are exit 2 with one sentence, found before anything else:
// an unknown ctl command (no engine running), a log file in a directory
// that does not exist.
func TestUsageMistakesExit2(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, args := range [][]string{
		{"ctl", "frob"},
		{"ctl"},
		{"ctl", "vol", "loud"},
		{"--log", "/nonexistent/x.log", "ctl", "status"},
		{"--demo=moon"}, // not a demo world: the worlds are named
	} {
		r := w.run("", args...)
		if msg := strings.TrimSpace(r.stderr); r.code != 2 || strings.Count(msg, "\n") != 0 || !strings.HasPrefix(msg, "pcplay: ") {
			t.Errorf("pcplay %q: exit %d, stderr %q; want 2 and one line", args, r.code, r.stderr)
		}
	}
	if r := w.run("", "--demo=moon"); !strings.Contains(r.stderr, "small, big, outage or hostile") {
		t.Errorf("pcplay --demo=moon: %q", r.stderr)
	}
	if r := w.run("", "--help"); !strings.Contains(r.stdout, "--demo[=WORLD]") {
		t.Errorf("--help lacks --demo[=WORLD]:\n%s", r.stdout)
	}
}

// A broken config file does not keep ctl and stop from the running engine:
// they say the file is ignored and go on.
func TestBrokenConfigCtlAndStop(t *testing.T) {
	w := newEngineWorld(t)
	w.startEngine()
	cfg := filepath.Join(w.home, "config", "pcplay", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("bitrat = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := w.pcplay("ctl", "status")
	if code != 0 || !strings.HasPrefix(out, "stopped") && !strings.HasPrefix(out, "paused") || !strings.Contains(errs, "config file is ignored") || !strings.Contains(errs, "bitrat") {
		t.Errorf("ctl status with a broken config: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	out, errs, code = w.pcplay("stop")
	if code != 0 || !strings.Contains(out, "stopped") {
		t.Errorf("stop with a broken config: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	poll.Until(t, "the engine to stop", func() bool { return w.engineCount() == 0 })
	// The player itself still refuses the file.
	if _, errs, code := w.pcplay(); code != 2 || !strings.Contains(errs, "bitrat") {
		t.Errorf("pcplay with a broken config: exit %d, stderr %q", code, errs)
	}

	// A file nested 8000 deep is refused with one sentence.
	deep := "x = " + strings.Repeat("{a = ", 8000) + "1" + strings.Repeat("}", 8000) + "\n"
	if err := os.WriteFile(cfg, []byte(deep), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := w.pcplay(); code != 2 || !strings.Contains(errs, "nested deeper") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("pcplay with a deep config: exit %d, stderr %q", code, errs)
	}
}

// A key bound to two actions is refused with a sentence naming both,
// before an engine starts.
func TestKeyBoundTwice(t *testing.T) {
	w := newEngineWorld(t)
	cfg := filepath.Join(w.home, "config", "pcplay", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("[keys]\nnext = [\"q\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	errs, code := w.runTTY()
	if code != 2 || !strings.Contains(errs, "next") || !strings.Contains(errs, "quit") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if n := w.engineCount(); n != 0 {
		t.Errorf("%d engines started for a refused config", n)
	}
}

// Flags given to a pcplay that attaches to a running engine: the bitrate is
// applied, the others are named in one line.
func TestFlagsToARunningEngine(t *testing.T) {
	w := newEngineWorld(t)
	w.saveSession()
	w.startEngine()
	args := []string{"--output", "null", "--bitrate", "64", "--api-url", w.srv.URL()}
	tm := w.start(args...)
	tm.waitFor("a128")
	poll.Until(t, "the bitrate to reach the engine", func() bool { return w.status().Bitrate == 64 })
	// On the screen, not in the bytes written: a first frame drawn before
	// the terminal's size is known wraps the line at 80 columns, and the
	// next one writes only the cells that changed.
	tm.waitFor("the engine was running already: --output and --api-url apply only as an engine starts")
	tm.quit()
}

// ctl as another user, whose engine's socket it may not reach, says so
// rather than "no engine".
func TestCtlAsAnotherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run pcplay as another user")
	}
	w := newEngineWorld(t)
	w.startEngine()
	// A copy of the binary that the other user may run.
	dir, err := os.MkdirTemp("", "pcplay-other")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	exe := filepath.Join(dir, "pcplay")
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	c := exec.Command(exe, "ctl", "status")
	c.Env = w.env
	c.Dir = dir
	c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := c.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "belongs to another user") || strings.Contains(string(out), "no pcplay engine is running") {
		t.Errorf("ctl status as another user: %v, output %q", err, out)
	}
}

// A corrupt token file leads to the login screen with a line saying why.
func TestCorruptTokenOnTheLoginScreen(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if err := os.MkdirAll(filepath.Dir(w.tokenFile()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.tokenFile(), []byte("{corrupt"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := w.start("--foreground", "--output", "null", "--api-url", w.api)
	tm.waitFor("E-mail", "The saved login could not be read", "not valid JSON")
	tm.send("\x03") // ctrl+c
	tm.wait()
}
