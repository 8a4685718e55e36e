//go:build unix

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/ctl"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
)

// engineWorld is a world for the background-engine tests: pcplay runs with
// the account's token in PCLOUD_TOKEN and the global flags flags (the null
// output, 128 kbit/s, the fake's API).
type engineWorld struct {
	*world
	token string
	flags []string          // global flags, before the sub-command
	ids   map[string]uint64 // the /Music/Album fixtures' file ids by name
}

func newEngineWorld(t *testing.T, tweaks ...func(*pcloudtest.Options)) *engineWorld {
	t.Helper()
	w := &engineWorld{world: newWorld(t, tweaks...), ids: map[string]uint64{}}
	w.token = w.srv.Token(email)
	w.setenv("PCLOUD_TOKEN", w.token)
	for _, n := range music {
		w.ids[n] = w.srv.FileID("/Music/Album/" + n + ".mp3")
	}
	w.flags = []string{"--output", "null", "--bitrate", "128", "--api-url", w.srv.URL()}
	t.Cleanup(w.stopAll)
	return w
}

// args is the global flags followed by args.
func (w *engineWorld) args(args ...string) []string {
	return append(append([]string(nil), w.flags...), args...)
}

// sessionFile is where pcplay keeps the session.
func (w *engineWorld) sessionFile() string { return w.path("state", "pcplay", "session.json") }

// saveSession writes the session pcplay restores: the three fixtures of
// /Music/Album, the first cued at 2 s, volume 40.
func (w *engineWorld) saveSession() {
	var q []config.SessionTrack
	for _, n := range music {
		f := fixtures.Get(n)
		q = append(q, config.SessionTrack{FileID: w.ids[n], Name: f.File, Title: f.Title, Artist: f.Artist})
	}
	err := config.SaveSession(w.sessionFile(), config.Session{
		Folder: config.Folder{Path: "/Music/Album"}, Queue: q, Index: 0, Position: 2 * time.Second, Volume: 40, Bitrate: 128,
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// pcplay runs pcplay with the flags and args, stdin not a terminal, and
// returns stdout, stderr and the exit status.
func (w *engineWorld) pcplay(args ...string) (stdout, stderr string, code int) {
	w.t.Helper()
	r := w.run("", w.args(args...)...)
	return r.stdout, r.stderr, r.code
}

// runTTY is pcplay with stdin and stdout on a pseudo-terminal (what the UI
// needs) and stderr apart; stderr is returned, the screen is discarded.
func (w *engineWorld) runTTY(args ...string) (string, int) {
	w.t.Helper()
	ptm, pts, err := pty.Open()
	if err != nil {
		w.t.Fatal(err)
	}
	defer ptm.Close()
	go io.Copy(io.Discard, ptm)
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	c := exec.CommandContext(ctx, bin, w.args(args...)...)
	c.Env = w.env
	var errb bytes.Buffer
	c.Stdin, c.Stdout, c.Stderr = pts, pts, &errb
	err = c.Run()
	pts.Close()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return errb.String(), ee.ExitCode()
	case err != nil:
		w.t.Fatal(err)
	}
	return errb.String(), 0
}

// ctl runs `pcplay ctl args` and fails the test unless it succeeds.
func (w *engineWorld) ctl(args ...string) string {
	w.t.Helper()
	out, errs, code := w.pcplay(append([]string{"ctl"}, args...)...)
	if code != 0 {
		w.t.Fatalf("pcplay ctl %v: exit %d: %s", args, code, errs)
	}
	return out
}

// status is `pcplay ctl status --json`.
func (w *engineWorld) status() ctl.StatusObject {
	w.t.Helper()
	var o ctl.StatusObject
	out := w.ctl("status", "--json")
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		w.t.Fatalf("status --json printed %q: %v", out, err)
	}
	return o
}

// proc is a started process; done closes when it has exited.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// startEngine runs `pcplay engine` as Ensure would: its own session,
// stdio on /dev/null; it returns once ctl reaches it.
func (w *engineWorld) startEngine() *proc {
	w.t.Helper()
	c := exec.Command(bin, w.args("engine")...)
	c.Env = w.env
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := c.Start(); err != nil {
		w.t.Fatal(err)
	}
	p := &proc{cmd: c, done: make(chan struct{})}
	go func() { c.Wait(); close(p.done) }()
	w.t.Cleanup(func() {
		c.Process.Signal(syscall.SIGTERM)
		if !poll.Eventually(patience, p.exited) {
			c.Process.Kill()
		}
	})
	poll.Until(w.t, "the engine's socket", func() bool {
		if p.exited() {
			w.t.Fatal("the engine exited")
		}
		_, _, code := w.pcplay("ctl", "status")
		return code == 0
	})

	return p
}

// stopAll stops whatever engine is left, and waits until this world's
// pcplay processes are gone: an engine goes on closing its host (the
// library, the log) after its goodbye, and a UI whose tmux went away saves
// as it leaves, and either wrote into the state directory while the test's
// temporary directory was being removed.
func (w *engineWorld) stopAll() {
	w.run("", "stop")
	poll.Eventually(patience, func() bool { return w.engineCount() == 0 && w.uiCount() == 0 })
}

// pids are the running pcplay processes of the built binary in this world
// (its XDG_RUNTIME_DIR): the engines, or the others (the UIs). Zombies do
// not count.
func (w *engineWorld) pids(engines bool) []int {
	var out []int
	runtime := "XDG_RUNTIME_DIR=" + w.path("run")
	ds, _ := os.ReadDir("/proc")
	for _, d := range ds {
		b, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		if len(args) < 2 || args[0] != bin || (args[len(args)-1] == "engine") != engines {
			continue
		}
		if env, err := os.ReadFile(filepath.Join("/proc", d.Name(), "environ")); err != nil || !bytes.Contains(env, []byte(runtime+"\x00")) {
			continue // another world's
		}
		var pid int
		if _, err := fmt.Sscan(d.Name(), &pid); err == nil && !gone(pid) {
			out = append(out, pid)
		}
	}
	return out
}

// engineCount counts this world's running engines; uiCount its other
// pcplay processes (the UIs).
func (w *engineWorld) engineCount() int { return len(w.pids(true)) }
func (w *engineWorld) uiCount() int     { return len(w.pids(false)) }

// gone reports whether process pid has exited (a zombie nobody reaped
// counts: in a container, pid 1 may not reap orphans).
func gone(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(f) > 0 && f[0] == "Z"
}

// testHelper runs this test binary as a helper process when
// PCPLAY_TEST_HELPER says so (it never returns then).
func testHelper() {
	switch os.Getenv("PCPLAY_TEST_HELPER") {
	case "attach": // a client that attaches and waits to be killed
		c, err := engine.Find(context.Background())
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("attached", c.EnginePID())
		<-c.Done()
		os.Exit(0)
	case "oldengine": // an engine of another protocol, ended by SIGTERM
		fakeOldEngine()
		os.Exit(0)
	}
}

func fakeOldEngine() {
	path, err := engine.SocketPath()
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	ln, err := engine.Listen(path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	go func() {
		<-term
		ln.Close()
		os.Exit(0)
	}()
	fmt.Println("listening")
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer nc.Close()
			if _, err := bufio.NewReader(nc).ReadString('\n'); err == nil {
				nc.Write([]byte(`{"hello":{"protocol":2,"version":"v9.9.9"}}` + "\n"))
			}
		}()
	}
}
