package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/cli"
)

// fakeSystemd is a user manager as `systemctl --user` shows it: the unit
// is loaded when its file is in unitDir (or packaged is set).
type fakeSystemd struct {
	t        *testing.T
	unitDir  string
	packaged bool // a unit in /usr/lib/systemd/user too
	enabled  bool
	active   bool
	pid      int
	restarts int
	// engineExits: the engine exits with this status as soon as it starts
	// (and systemd tries again); 0: it stays up.
	engineExits int
	calls       [][]string
	failWith    error // every call fails so
	failOut     string
}

func (f *fakeSystemd) systemctl(_ context.Context, args ...string) (string, error) {
	f.calls = append(f.calls, args)
	if f.failWith != nil {
		return f.failOut, f.failWith
	}
	path := filepath.Join(f.unitDir, UnitName)
	_, err := os.Stat(path)
	loaded := err == nil || f.packaged
	switch args[0] {
	case "show":
		if !loaded {
			return "LoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\nFragmentPath=\nResult=success\nMainPID=0\nExecMainStatus=0\nNRestarts=0\n", nil
		}
		frag := path
		if err != nil {
			frag = "/usr/lib/systemd/user/" + UnitName
		}
		st := "disabled"
		if f.enabled {
			st = "enabled"
		}
		active, sub, pid, status := "inactive", "dead", 0, 0
		switch {
		case f.active && f.engineExits != 0:
			active, sub, status = "activating", "auto-restart", f.engineExits
		case f.active:
			active, sub, pid = "active", "running", f.pid
		}
		return fmt.Sprintf("LoadState=loaded\nActiveState=%s\nSubState=%s\nUnitFileState=%s\nFragmentPath=%s\nResult=success\nMainPID=%d\nExecMainStatus=%d\nNRestarts=%d\n",
			active, sub, st, frag, pid, status, f.restarts), nil
	case "daemon-reload":
		return "", nil
	}
	if !loaded {
		return "Failed to " + args[0] + " unit: Unit file " + UnitName + " does not exist.\n", errors.New("exit status 1")
	}
	switch strings.Join(args, " ") {
	case "enable " + UnitName:
		f.enabled = true
		return "Created symlink " + filepath.Join(f.unitDir, "default.target.wants", UnitName) + " → " + path + ".\n", nil
	case "start " + UnitName:
		if !f.active {
			f.active, f.pid = true, 4242
		}
	case "restart " + UnitName:
		f.active, f.pid = true, f.pid+1
	case "disable --now " + UnitName:
		f.enabled, f.active, f.pid = false, false, 0
	default:
		f.t.Errorf("unexpected systemctl --user %q", args)
		return "", errors.New("exit status 1")
	}
	return "", nil
}

// verbs are the systemctl commands called, without the show calls.
func (f *fakeSystemd) verbs() []string {
	var out []string
	for _, c := range f.calls {
		if c[0] != "show" {
			out = append(out, strings.Join(c, " "))
		}
	}
	return out
}

type harness struct {
	env     Env
	sd      *fakeSystemd
	unit    string // the unit file's path
	linger  bool
	cfgHome string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	root := t.TempDir()
	h := &harness{cfgHome: filepath.Join(root, "config")}
	h.unit = filepath.Join(h.cfgHome, "systemd", "user", UnitName)
	h.sd = &fakeSystemd{t: t, unitDir: filepath.Dir(h.unit)}
	vars := map[string]string{"XDG_CONFIG_HOME": h.cfgHome, "HOME": filepath.Join(root, "home")}
	h.env = Env{
		Getenv:    func(k string) string { return vars[k] },
		Exe:       "/opt/pcplay/bin/pcplay",
		Cwd:       "/home/me/music",
		User:      "me",
		Systemctl: h.sd.systemctl,
		Linger:    func() bool { return h.linger },
	}
	return h
}

// run runs `pcplay FLAGS service ARGS` and gives the exit status, stdout
// and stderr.
func (h *harness) run(t *testing.T, flags []string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), h.env, flags, args, cli.Stdio{Out: &out, Err: &errb}, nil)
	return code, out.String(), errb.String()
}

func TestUnitText(t *testing.T) {
	u := Unit("/usr/bin/pcplay", nil)
	for _, want := range []string{
		"\n[Service]\nType=simple\n",
		"\nExecStartPre=-/usr/bin/pcplay stop\n",
		"\nExecStart=/usr/bin/pcplay engine\n",
		"\nEnvironment=PCPLAY_IDLE_EXIT=0\n",
		"\nRestart=on-failure\n",
		"\nRestartPreventExitStatus=2\n",
		"\nStartLimitIntervalSec=0\n",
		"\n[Install]\nWantedBy=default.target\n",
		"loginctl enable-linger",
	} {
		if !strings.Contains(u, want) {
			t.Errorf("the unit lacks %q:\n%s", want, u)
		}
	}
	if EnvIdleExit != config.EnvIdleExit {
		t.Errorf("the unit sets %s, config reads %s", EnvIdleExit, config.EnvIdleExit)
	}
	for _, banned := range []string{"Type=forking", "PIDFile", "Restart=always"} {
		if strings.Contains(u, banned) {
			t.Errorf("the unit has %q", banned)
		}
	}
	u = Unit("/home/me/my bin/pcplay", []string{"--output=/home/me/100% $HOME.wav", `--log=/tmp/a"b\c`})
	want := `ExecStart="/home/me/my bin/pcplay" "--output=/home/me/100%% $$HOME.wav" "--log=/tmp/a\"b\\c" engine`
	if execLine(u) != strings.TrimPrefix(want, "ExecStart=") {
		t.Errorf("ExecStart=%s\nwant %s", execLine(u), want)
	}
}

func TestEngineFlags(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
		err  string
	}{
		{nil, nil, ""},
		{[]string{"--output", "null", "-bitrate=128"}, []string{"--output=null", "--bitrate=128"}, ""},
		{[]string{"--output", "rec/out.wav", "--config=../c.toml", "--log", "/var/log/p.log"},
			[]string{"--output=/home/me/music/rec/out.wav", "--config=/home/me/c.toml", "--log=/var/log/p.log"}, ""},
		{[]string{"--output=pipe:snap.fifo"}, []string{"--output=pipe:/home/me/music/snap.fifo"}, ""},
		{[]string{"--output=~/x.wav"}, []string{"--output=~/x.wav"}, ""},
		{[]string{"--region", "eu", "--api-url", "https://eapi.pcloud.com"}, []string{"--region=eu", "--api-url=https://eapi.pcloud.com"}, ""},
		{[]string{"--demo"}, nil, "demo library"},
		{[]string{"--foreground=true"}, nil, "--foreground"},
		{[]string{"--log"}, nil, "needs a value"},
	} {
		got, err := engineFlags(tc.in, "/home/me/music")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("engineFlags(%q): error %v, want one with %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("engineFlags(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestFlagTablesMatchUsage keeps valueFlags in step with pcplay's flags: a
// new value flag unknown here would be taken for a boolean and its value
// for a stray word.
func TestFlagTablesMatchUsage(t *testing.T) {
	re := regexp.MustCompile(`(?m)^  --([a-z-]+)( [A-Z]+)?\s`)
	n := 0
	for _, m := range re.FindAllStringSubmatch(config.Usage(""), -1) {
		n++
		if takesValue := m[2] != ""; takesValue != valueFlags[m[1]] {
			t.Errorf("--%s: takes a value %v in pcplay --help, %v in service's valueFlags", m[1], takesValue, valueFlags[m[1]])
		}
	}
	if n < 8 {
		t.Fatalf("found %d flags in pcplay --help; the pattern is out of date", n)
	}
}

func TestInstallWritesEnablesStartsAndIsIdempotent(t *testing.T) {
	h := newHarness(t)
	code, out, errs := h.run(t, []string{"--output", "null"}, "install")
	if code != 0 {
		t.Fatalf("install: status %d, stderr %q", code, errs)
	}
	data, err := os.ReadFile(h.unit)
	if err != nil {
		t.Fatalf("no unit at %s: %v", h.unit, err)
	}
	if string(data) != Unit("/opt/pcplay/bin/pcplay", []string{"--output=null"}) {
		t.Errorf("the unit file is not Unit(...):\n%s", data)
	}
	if fi, _ := os.Stat(h.unit); fi.Mode().Perm() != 0o644 {
		t.Errorf("unit mode %v, want 0644", fi.Mode().Perm())
	}
	wantVerbs := []string{"daemon-reload", "enable " + UnitName, "start " + UnitName}
	if !slices.Equal(h.sd.verbs(), wantVerbs) {
		t.Errorf("systemctl calls %q, want %q", h.sd.verbs(), wantVerbs)
	}
	for _, want := range []string{"wrote " + h.unit, "/opt/pcplay/bin/pcplay --output=null engine", "enabled and running (pid 4242)"} {
		if !strings.Contains(out, want) {
			t.Errorf("install output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "loginctl enable-linger me"); n != 1 {
		t.Errorf("the linger sentence is said %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "after a reboot with no one logged in") {
		t.Errorf("install does not say what lingering is for:\n%s", out)
	}
	if strings.Contains(out, "PCLOUD_TOKEN") {
		t.Errorf("install speaks of PCLOUD_TOKEN, which is not set:\n%s", out)
	}

	// Again: nothing changes, nothing is restarted.
	h.sd.calls = nil
	code, out, errs = h.run(t, []string{"--output", "null"}, "install")
	if code != 0 || len(h.sd.verbs()) != 0 {
		t.Errorf("second install: status %d, systemctl %q, stderr %q", code, h.sd.verbs(), errs)
	}
	if !strings.Contains(out, "already installed, enabled and running (pid 4242)") || strings.Contains(out, "wrote") {
		t.Errorf("second install output:\n%s", out)
	}

	// New flags: the unit is rewritten and the running engine restarted.
	h.sd.calls = nil
	h.linger = true
	code, out, _ = h.run(t, []string{"--bitrate", "320"}, "install")
	wantVerbs = []string{"daemon-reload", "enable " + UnitName, "restart " + UnitName}
	if code != 0 || !slices.Equal(h.sd.verbs(), wantVerbs) {
		t.Errorf("install with new flags: status %d, systemctl %q, want %q", code, h.sd.verbs(), wantVerbs)
	}
	if strings.Contains(out, "enable-linger") {
		t.Errorf("with lingering on, install still explains it:\n%s", out)
	}
	if data, _ := os.ReadFile(h.unit); !strings.Contains(string(data), "ExecStart=/opt/pcplay/bin/pcplay --bitrate=320 engine\n") {
		t.Errorf("the unit was not rewritten:\n%s", data)
	}
}

func TestInstallUsesHomeConfigWithoutXDG(t *testing.T) {
	h := newHarness(t)
	home := t.TempDir()
	h.env.Getenv = func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	h.sd.unitDir = filepath.Join(home, ".config", "systemd", "user")
	if code, _, errs := h.run(t, nil, "install"); code != 0 {
		t.Fatalf("install: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(home, ".config/systemd/user/pcplay.service")); err != nil {
		t.Error(err)
	}
}

func TestInstallSaysTheServiceHasNotPCLOUDTOKEN(t *testing.T) {
	h := newHarness(t)
	getenv := h.env.Getenv
	h.env.Getenv = func(k string) string {
		if k == config.EnvToken {
			return "secret-token"
		}
		return getenv(k)
	}
	code, out, _ := h.run(t, nil, "install")
	if code != 0 || !strings.Contains(out, "PCLOUD_TOKEN is set here, but the service does not get this shell's environment") {
		t.Errorf("status %d, output:\n%s", code, out)
	}
	if data, _ := os.ReadFile(h.unit); strings.Contains(out+string(data), "secret-token") {
		t.Error("the token reached the output or the unit")
	}
}

func TestInstallSaysWhenTheEngineDoesNotStayUp(t *testing.T) {
	h := newHarness(t)
	h.sd.engineExits = 3
	code, _, errs := h.run(t, nil, "install")
	if code != 1 || !strings.Contains(errs, "no sound device") || !strings.Contains(errs, "journalctl --user -u pcplay") {
		t.Errorf("status %d, stderr %q", code, errs)
	}
}

func TestInstallRefusesWhatCannotWork(t *testing.T) {
	h := newHarness(t)
	h.env.Exe = "/tmp/go-build123/b001/exe/pcplay"
	if code, _, errs := h.run(t, nil, "install"); code != 1 || !strings.Contains(errs, "go run") {
		t.Errorf("go run build: status %d, stderr %q", code, errs)
	}
	h = newHarness(t)
	if code, _, errs := h.run(t, []string{"--demo"}, "install"); code != config.ExitUsage || !strings.Contains(errs, "demo") {
		t.Errorf("--demo: status %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(h.unit); err == nil {
		t.Error("a unit was written for --demo")
	}
	// No systemd: said, and nothing written.
	h = newHarness(t)
	h.sd.failWith = errNoSystemctl
	if code, _, errs := h.run(t, nil, "install"); code != 1 || !strings.Contains(errs, "does not run systemd") {
		t.Errorf("no systemctl: status %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(h.unit); err == nil {
		t.Error("a unit was written with no systemd")
	}
	h.sd.failWith, h.sd.failOut = errors.New("exit status 1"), "Failed to connect to bus: No medium found\n"
	if code, _, errs := h.run(t, nil, "status"); code != 1 || !strings.Contains(errs, "user manager cannot be reached") || !strings.Contains(errs, "enable-linger me") {
		t.Errorf("no bus: status %d, stderr %q", code, errs)
	}
}

func TestUninstall(t *testing.T) {
	h := newHarness(t)
	if code, _, errs := h.run(t, nil, "install"); code != 0 {
		t.Fatal(errs)
	}
	h.sd.calls = nil
	code, out, errs := h.run(t, nil, "uninstall")
	if code != 0 {
		t.Fatalf("uninstall: %d %s", code, errs)
	}
	if want := []string{"disable --now " + UnitName, "daemon-reload"}; !slices.Equal(h.sd.verbs(), want) {
		t.Errorf("systemctl calls %q, want %q", h.sd.verbs(), want)
	}
	if _, err := os.Stat(h.unit); err == nil {
		t.Error("the unit file is still there")
	}
	if h.sd.active || h.sd.enabled {
		t.Error("the service is still active or enabled")
	}
	if !strings.Contains(out, "stopped (the session is saved), disabled, and removed "+h.unit) {
		t.Errorf("uninstall output: %q", out)
	}
	// Again: nothing to do.
	h.sd.calls = nil
	code, out, _ = h.run(t, nil, "uninstall")
	if code != 0 || len(h.sd.verbs()) != 0 || !strings.Contains(out, "not installed; nothing to do") {
		t.Errorf("second uninstall: status %d, calls %q, output %q", code, h.sd.verbs(), out)
	}
	// The packaged unit, enabled by hand with systemctl: disabled.
	h.sd.packaged, h.sd.enabled, h.sd.active, h.sd.calls = true, true, true, nil
	code, out, _ = h.run(t, nil, "uninstall")
	if code != 0 || !slices.Equal(h.sd.verbs(), []string{"disable --now " + UnitName}) || !strings.Contains(out, "/usr/lib/systemd/user/pcplay.service") {
		t.Errorf("packaged unit: status %d, calls %q, output %q", code, h.sd.verbs(), out)
	}
}

func TestStatus(t *testing.T) {
	h := newHarness(t)
	code, out, _ := h.run(t, nil, "status")
	if code != exitNotRunning || !strings.Contains(out, "unit:     not installed (pcplay service install)") ||
		!strings.Contains(out, "at boot:  no, at login (lingering is off for me)") || strings.Contains(out, "state:") {
		t.Errorf("not installed: status %d\n%s", code, out)
	}
	h.run(t, []string{"--output=null"}, "install")
	h.linger = true
	code, out, _ = h.run(t, nil, "status")
	want := "unit:     " + h.unit + "\n" +
		"runs:     /opt/pcplay/bin/pcplay --output=null engine\n" +
		"enabled:  yes\n" +
		"state:    active (running), pid 4242\n" +
		"at boot:  yes (lingering is on for me)\n"
	if code != 0 || out != want {
		t.Errorf("running: status %d\n%s\nwant\n%s", code, out, want)
	}
	// Installed by another pcplay; stopped.
	h.env.Exe = "/usr/bin/pcplay"
	h.sd.active, h.sd.restarts = false, 2
	code, out, _ = h.run(t, nil, "status")
	for _, w := range []string{"another pcplay than this one, /usr/bin/pcplay", "state:    inactive (dead), restarted 2 times"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if code != exitNotRunning {
		t.Errorf("stopped: status %d, want %d", code, exitNotRunning)
	}
}

func TestUsage(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{nil, {"bogus"}, {"status", "x"}, {"unit", "--exe", "rel/pcplay"}} {
		if code, _, errs := h.run(t, nil, args...); code != config.ExitUsage || !strings.Contains(errs, "usage: pcplay [flags] service") {
			t.Errorf("%q: status %d, stderr %q", args, code, errs)
		}
	}
	code, out, _ := h.run(t, nil, "unit", "--exe", PackagedExe)
	if code != 0 || out != Unit(PackagedExe, nil) {
		t.Errorf("unit --exe: status %d\n%s", code, out)
	}
	if len(h.sd.calls) != 0 {
		t.Errorf("usage errors or unit called systemctl: %q", h.sd.calls)
	}
}

// TestUnitVerifies runs systemd-analyze verify on the unit: systemd's own
// reading of it (a misspelt key or value is only a warning to systemd, so
// any output is a failure). Under CI the tool must be there
// (scripts/install-deps.sh test installs systemd); elsewhere a missing
// tool skips.
func TestUnitVerifies(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("systemd-analyze is missing (Debian: apt-get install systemd; scripts/install-deps.sh test does it)")
		}
		t.Skip("systemd-analyze is not installed (Debian: systemd); the unit is not verified")
	}
	dir := t.TempDir()
	// The unit's commands must exist and be executable for verify.
	exe := filepath.Join(dir, "bin", "pcplay")
	if err := os.MkdirAll(filepath.Dir(exe), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	rt := filepath.Join(dir, "run")
	if err := os.Mkdir(rt, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, flags := range map[string][]string{
		"packaged":   nil,
		"with flags": {"--output=" + filepath.Join(dir, "my music", "100% out.wav"), "--bitrate=128"},
	} {
		unit := filepath.Join(dir, name, UnitName)
		if err := os.MkdirAll(filepath.Dir(unit), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(unit, []byte(Unit(exe, flags)), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(tool, "--user", "verify", unit)
		cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+rt, "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "SYSTEMD_LOG_COLOR=0")
		out, err := cmd.CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) != 0 {
			t.Errorf("%s: systemd-analyze --user verify: %v\n%s\n--- unit:\n%s", name, err, out, Unit(exe, flags))
		}
	}
}
