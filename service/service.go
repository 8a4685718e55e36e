// Package service is `pcplay service install|uninstall|status|unit`: the
// background engine as a systemd user unit, so that the music comes back
// after a reboot (with lingering on, before anyone logs in).
//
// install writes the unit (Unit) to $XDG_CONFIG_HOME/systemd/user/
// pcplay.service, enables and starts it; uninstall stops, disables and
// removes it; status says what is installed and running; unit prints the
// unit (for packagers: unit --exe /usr/bin/pcplay). The engine under the
// unit is `pcplay engine` as any pcplay starts it: it puts the session back
// and serves its socket in $XDG_RUNTIME_DIR/pcplay, where the UI, pcplay
// ctl and pcplay stop find it.
//
// Everything that touches the system (systemctl, the lingering flag, the
// executable's path, the wait for the engine to settle) is in Env, which
// tests replace: they run without systemd.
package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/cli"
)

// Usage is `pcplay service help`.
const Usage = `usage: pcplay [flags] service COMMAND
  install     write the systemd user unit for the engine, enable and start it:
              the engine starts with your systemd user manager (at login, or
              at boot with loginctl enable-linger) and puts the session back
              (paused; playing, as it was, with resume_playing = true in
              the config file); the flags given before "service" are the engine's (as --output)
  uninstall   stop the engine (the session is saved), disable and remove the unit
  status      what is installed, enabled and running
  unit        print the unit (--exe PATH: the pcplay it runs; default this one)
Exit status: 0 done (status: running), 1 failed (with a sentence), 2 usage,
3 status: installed but not running, or not installed.`

// Systemctl runs `systemctl --user ARGS...` and returns what it printed
// (stdout and stderr). An error means it could not run or exited non-zero.
type Systemctl func(ctx context.Context, args ...string) (string, error)

// Env is what the sub-command uses of the system.
type Env struct {
	Getenv    func(string) string
	Exe       string // the pcplay executable the unit runs
	Cwd       string // relative file names among the flags are from here
	User      string // the user name, for loginctl enable-linger
	Systemctl Systemctl
	// Linger reports whether lingering is on for the user (the user
	// manager, and so the unit, starts at boot).
	Linger func() bool
	// Settle is how long install waits after starting the unit before it
	// looks whether the engine stayed up.
	Settle time.Duration
}

// Run is `pcplay [flags] service ARGS...`; flags are the global flags
// before "service". It returns the exit status.
func Run(ctx context.Context, flags, args []string, std cli.Stdio, logger *slog.Logger) int {
	return run(ctx, systemEnv(), flags, args, std, logger)
}

// systemEnv is the Env of this process on this machine.
func systemEnv() Env {
	e := Env{Getenv: os.Getenv, Settle: 2 * time.Second}
	e.Exe, _ = os.Executable()
	e.Cwd, _ = os.Getwd()
	if u, err := user.Current(); err == nil {
		e.User = u.Username
	} else {
		e.User = os.Getenv("USER")
	}
	e.Systemctl = runSystemctl
	e.Linger = func() bool {
		_, err := os.Stat(filepath.Join("/var/lib/systemd/linger", e.User))
		return err == nil
	}
	return e
}

// runSystemctl is the real Systemctl. A login without XDG_RUNTIME_DIR (su,
// some SSH setups) gets the user manager's /run/user/UID when it exists,
// which is where `systemctl --user` finds the manager.
func runSystemctl(ctx context.Context, args ...string) (string, error) {
	path, err := exec.LookPath("systemctl")
	if err != nil {
		return "", errNoSystemctl
	}
	cmd := exec.CommandContext(ctx, path, append([]string{"--user", "--no-pager"}, args...)...)
	cmd.Env = os.Environ()
	if os.Getenv("XDG_RUNTIME_DIR") == "" {
		rt := "/run/user/" + strconv.Itoa(os.Getuid())
		if fi, err := os.Stat(rt); err == nil && fi.IsDir() {
			cmd.Env = append(cmd.Env, "XDG_RUNTIME_DIR="+rt)
		}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.String(), err
}

var errNoSystemctl = errors.New("systemctl not found")

// cmdTimeout bounds a whole service command (systemctl waits for the
// engine to stop on disable --now; it saves the session first).
const cmdTimeout = 2 * time.Minute

func run(ctx context.Context, e Env, flags, args []string, std cli.Stdio, logger *slog.Logger) int {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	usage := func(msg string) int {
		fmt.Fprintln(std.Err, "pcplay: "+msg)
		fmt.Fprintln(std.Err, Usage)
		return config.ExitUsage
	}
	if len(args) == 0 {
		return usage("service needs a command: install, uninstall, status or unit")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "--help", "-h":
		fmt.Fprintln(std.Out, Usage)
		return 0
	case "install", "uninstall", "status":
		if len(rest) > 0 {
			return usage("service " + cmd + " takes no argument")
		}
	case "unit":
		if len(rest) == 2 && rest[0] == "--exe" {
			e.Exe = rest[1]
		} else if len(rest) == 1 && strings.HasPrefix(rest[0], "--exe=") {
			e.Exe = strings.TrimPrefix(rest[0], "--exe=")
		} else if len(rest) > 0 {
			return usage("service unit takes only --exe PATH")
		}
		if !filepath.IsAbs(e.Exe) {
			return usage("service unit --exe needs an absolute path, such as " + PackagedExe)
		}
	default:
		return usage(fmt.Sprintf("unknown service command %q", cmd))
	}
	ef, err := engineFlags(flags, e.Cwd)
	if err != nil {
		return usage(err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, cmdTimeout)
	defer cancel()
	c := &command{Env: e, flags: ef, std: std, logger: logger}
	switch cmd {
	case "install":
		return c.install(ctx)
	case "uninstall":
		return c.uninstall(ctx)
	case "status":
		return c.status(ctx)
	default:
		fmt.Fprint(std.Out, Unit(e.Exe, ef))
		return 0
	}
}

// UnitPath is where install writes the unit: $XDG_CONFIG_HOME/systemd/user
// (~/.config/systemd/user), where `systemctl --user` looks first.
func UnitPath(getenv func(string) string) (string, error) {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" || !filepath.IsAbs(home) {
			return "", errors.New("neither XDG_CONFIG_HOME nor HOME is set to an absolute path, so there is no place for the unit")
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "systemd", "user", UnitName), nil
}

type command struct {
	Env
	flags  []string
	std    cli.Stdio
	logger *slog.Logger
}

func (c *command) say(format string, args ...any) {
	fmt.Fprintf(c.std.Out, "pcplay service: "+format+"\n", args...)
}

func (c *command) fail(format string, args ...any) int {
	fmt.Fprintf(c.std.Err, "pcplay service: "+format+"\n", args...)
	return 1
}

// systemctl runs systemctl, logging what it did.
func (c *command) systemctl(ctx context.Context, args ...string) (string, error) {
	out, err := c.Systemctl(ctx, args...)
	c.logger.Info("systemctl --user", "args", args, "err", err, "out", strings.TrimSpace(out))
	return out, err
}

// unitState is what `systemctl --user show` says of the unit.
type unitState struct {
	Load, Active, Sub, FileState, Fragment, Result string
	PID, ExitStatus, Restarts                      int
}

func (u unitState) loaded() bool  { return u.Load == "loaded" }
func (u unitState) running() bool { return u.Active == "active" && u.Sub == "running" }
func (u unitState) enabled() bool { return strings.HasPrefix(u.FileState, "enabled") }

const showProps = "LoadState,ActiveState,SubState,UnitFileState,FragmentPath,Result,MainPID,ExecMainStatus,NRestarts"

// show asks systemd for the unit's state. Its error is a sentence: no
// systemctl, or no user manager to talk to.
func (c *command) show(ctx context.Context) (unitState, error) {
	out, err := c.systemctl(ctx, "show", UnitName, "--property="+showProps)
	if err != nil {
		return unitState{}, c.reachError(out, err)
	}
	var u unitState
	for line := range strings.Lines(out) {
		k, v, _ := strings.Cut(strings.TrimSpace(line), "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "LoadState":
			u.Load = v
		case "ActiveState":
			u.Active = v
		case "SubState":
			u.Sub = v
		case "UnitFileState":
			u.FileState = v
		case "FragmentPath":
			u.Fragment = v
		case "Result":
			u.Result = v
		case "MainPID":
			u.PID = n
		case "ExecMainStatus":
			u.ExitStatus = n
		case "NRestarts":
			u.Restarts = n
		}
	}
	return u, nil
}

// reachError is why systemctl could not be used, as a sentence saying what
// to do.
func (c *command) reachError(out string, err error) error {
	switch {
	case errors.Is(err, errNoSystemctl):
		return errors.New("systemctl was not found: this system does not run systemd, so there is no user service to install. " +
			"Start the engine another way at boot: it is `pcplay engine`, with PCPLAY_IDLE_EXIT=0 in its environment so that it stays")
	case strings.Contains(out, "Failed to connect to bus") || strings.Contains(out, "XDG_RUNTIME_DIR"):
		return fmt.Errorf("your systemd user manager cannot be reached from this login (%s). "+
			"Log in on the machine (an SSH login with systemd-logind will do) or run `sudo loginctl enable-linger %s`, then try again",
			firstLine(out), c.User)
	}
	return fmt.Errorf("systemctl --user failed: %s", firstLine(out+" "+err.Error()))
}

// systemctlError is a failed systemctl command as a sentence.
func systemctlError(what, out string, err error) error {
	msg := firstLine(out)
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("systemctl --user %s failed: %s", what, msg)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// checkExe refuses an executable the unit could not run later: one `go
// run` built in a temporary directory, or none at all.
func (c *command) checkExe() error {
	switch {
	case c.Exe == "" || !filepath.IsAbs(c.Exe):
		return errors.New("cannot tell where this pcplay is, so the unit could not run it; run pcplay by its full path")
	case strings.Contains(c.Exe, "/go-build"):
		return fmt.Errorf("this pcplay is a temporary build (%s, from go run); install it (go install, make build, the .deb) and run service install with that one", c.Exe)
	}
	return nil
}

// install writes the unit when it differs, enables it, and starts it (or
// restarts it when it is running with an older unit). Run again, it
// changes nothing.
func (c *command) install(ctx context.Context) int {
	if err := c.checkExe(); err != nil {
		return c.fail("%v", err)
	}
	path, err := UnitPath(c.Getenv)
	if err != nil {
		return c.fail("%v", err)
	}
	before, err := c.show(ctx) // systemd is there, before anything is written
	if err != nil {
		return c.fail("%v", err)
	}
	text := Unit(c.Exe, c.flags)
	old, err := os.ReadFile(path)
	changed := err != nil || string(old) != text
	if changed {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return c.fail("cannot create %s: %v", filepath.Dir(path), err)
		}
		if err := config.WriteFileAtomic(path, []byte(text), 0o644); err != nil {
			return c.fail("%v", err)
		}
		if out, err := c.systemctl(ctx, "daemon-reload"); err != nil {
			return c.fail("%v", systemctlError("daemon-reload", out, err))
		}
		c.say("wrote %s (it runs %s)", path, execLine(text))
	}
	if !before.enabled() || changed {
		if out, err := c.systemctl(ctx, "enable", UnitName); err != nil {
			return c.fail("%v", systemctlError("enable", out, err))
		}
	}
	switch {
	case before.running() && !changed:
		c.say("already installed, enabled and running (pid %d)", before.PID)
		c.lingerNote()
		c.envNote()
		return 0
	case before.running():
		// New flags or a new executable take effect now; the engine saves
		// the session as it stops and the new one puts it back.
		if out, err := c.systemctl(ctx, "restart", UnitName); err != nil {
			return c.fail("%v", systemctlError("restart", out, err))
		}
	default:
		if out, err := c.systemctl(ctx, "start", UnitName); err != nil {
			return c.fail("%v", systemctlError("start", out, err))
		}
	}
	if code := c.checkStarted(ctx); code != 0 {
		return code
	}
	c.lingerNote()
	c.envNote()
	return 0
}

// envNote says that the service does not get this shell's environment,
// when pcplay is logged in through it.
func (c *command) envNote() {
	if c.Getenv(config.EnvToken) != "" {
		c.say("%s is set here, but the service does not get this shell's environment: its engine uses the saved login (pcplay login saves one)", config.EnvToken)
	}
}

// checkStarted waits Settle and looks whether the engine stayed up: a
// Type=simple unit is "active" as soon as it is forked, and an engine with
// no sound device exits a moment later (and is tried again every 5 s).
func (c *command) checkStarted(ctx context.Context) int {
	select {
	case <-time.After(c.Settle):
	case <-ctx.Done():
	}
	u, err := c.show(ctx)
	if err != nil {
		return c.fail("%v", err)
	}
	if u.running() {
		c.say("enabled and running (pid %d): the engine starts with your systemd user manager and puts the session back; pcplay attaches to it", u.PID)
		return 0
	}
	why := fmt.Sprintf("it is %s (%s)", u.Active, u.Sub)
	switch u.ExitStatus {
	case 3:
		why = "the engine found no sound device (exit status 3; see Running over SSH in the README: a user service reaches PulseAudio/PipeWire only as a user service itself, or use the ALSA card directly by being in the audio group)"
	case 2:
		why = "the engine refused its settings (exit status 2: a mistake in the config file or the flags)"
	default:
		if u.ExitStatus != 0 {
			why = fmt.Sprintf("the engine exited with status %d", u.ExitStatus)
		}
	}
	return c.fail("the service is enabled but the engine did not stay up: %s. systemd tries again every 5 s; journalctl --user -u pcplay and ~/.local/state/pcplay/engine.log say more", why)
}

// lingerNote says, once, what lingering is for, when it is off.
func (c *command) lingerNote() {
	if c.Linger != nil && c.Linger() {
		return
	}
	c.say("the engine starts when you log in. For music after a reboot with no one logged in, "+
		"let your user manager start at boot: sudo loginctl enable-linger %s", c.User)
}

// execLine is the ExecStart= of a unit's text.
func execLine(text string) string {
	for line := range strings.Lines(text) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "ExecStart="); ok {
			return v
		}
	}
	return ""
}

// uninstall stops and disables the unit and removes the file install
// wrote. Nothing installed is fine.
func (c *command) uninstall(ctx context.Context) int {
	path, err := UnitPath(c.Getenv)
	if err != nil {
		return c.fail("%v", err)
	}
	u, err := c.show(ctx)
	if err != nil {
		return c.fail("%v", err)
	}
	_, statErr := os.Stat(path)
	have := statErr == nil
	if u.enabled() || u.Active == "active" || u.Active == "activating" || have {
		// Stops the engine (it saves the session on SIGTERM) and removes
		// the enablement links.
		if out, err := c.systemctl(ctx, "disable", "--now", UnitName); err != nil && u.loaded() {
			return c.fail("%v", systemctlError("disable --now", out, err))
		}
	}
	if have {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return c.fail("cannot remove %s: %v", path, err)
		}
		if out, err := c.systemctl(ctx, "daemon-reload"); err != nil {
			return c.fail("%v", systemctlError("daemon-reload", out, err))
		}
	}
	switch {
	case have:
		c.say("stopped (the session is saved), disabled, and removed %s", path)
	case u.enabled() || u.Active == "active":
		c.say("stopped (the session is saved) and disabled %s", u.Fragment)
	default:
		c.say("not installed; nothing to do")
	}
	return 0
}

// Exit statuses of status besides 0 (running) and 1.
const exitNotRunning = 3

// status says what is installed, enabled and running.
func (c *command) status(ctx context.Context) int {
	path, err := UnitPath(c.Getenv)
	if err != nil {
		return c.fail("%v", err)
	}
	u, err := c.show(ctx)
	if err != nil {
		return c.fail("%v", err)
	}
	w := c.std.Out
	data, rerr := os.ReadFile(path)
	switch {
	case rerr == nil:
		fmt.Fprintf(w, "unit:     %s\n", path)
		fmt.Fprintf(w, "runs:     %s\n", execLine(string(data)))
		if exe := execLine(string(data)); c.checkExe() == nil && !strings.HasPrefix(exe, quoteExec(c.Exe)+" ") {
			fmt.Fprintf(w, "          (another pcplay than this one, %s: pcplay service install makes it this one)\n", c.Exe)
		}
	case u.loaded():
		fmt.Fprintf(w, "unit:     %s (not written by pcplay service install)\n", u.Fragment)
	default:
		fmt.Fprintln(w, "unit:     not installed (pcplay service install)")
	}
	if u.loaded() {
		fmt.Fprintf(w, "enabled:  %s\n", yesNo(u.enabled(), u.FileState))
		state := u.Active + " (" + u.Sub + ")"
		if u.PID > 0 {
			state += ", pid " + strconv.Itoa(u.PID)
		}
		if u.Restarts > 0 {
			state += fmt.Sprintf(", restarted %d times", u.Restarts)
		}
		if !u.running() && u.ExitStatus != 0 {
			state += fmt.Sprintf(", last exit status %d", u.ExitStatus)
		}
		fmt.Fprintf(w, "state:    %s\n", state)
	}
	if c.Linger != nil && c.Linger() {
		fmt.Fprintf(w, "at boot:  yes (lingering is on for %s)\n", c.User)
	} else {
		fmt.Fprintf(w, "at boot:  no, at login (lingering is off for %s)\n", c.User)
	}
	if u.running() {
		return 0
	}
	return exitNotRunning
}

func yesNo(b bool, detail string) string {
	s := "no"
	if b {
		s = "yes"
	}
	if detail != "" && detail != "enabled" && detail != "disabled" {
		s += " (" + detail + ")"
	}
	return s
}
