//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/fixtures"
)

// The process-level tests run the built binary: `pcplay engine` in its own
// session, `pcplay ctl` and `pcplay stop` against it, and (with tmux) the
// whole program in a terminal that goes away.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// pcplayBinary builds the program once per test run.
func pcplayBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pcplay-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pcplay")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	// A helper process: a client that attaches and waits to be killed.
	if os.Getenv("PCPLAY_TEST_HELPER") == "attach" {
		c, err := engine.Find(context.Background())
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("attached", c.EnginePID())
		<-c.Done()
		os.Exit(0)
	}
	switch os.Getenv("PCPLAY_TEST_HELPER") {
	case "pcplay": // this test binary as the program (the engine Ensure starts)
		os.Exit(run(context.Background(), os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr}, os.Getenv))
	case "oldengine": // an engine of another protocol, ended by SIGTERM
		fakeOldEngine()
	case "ensure": // engine.Ensure as pcplay does it, re-executing this binary
		os.Setenv("PCPLAY_TEST_HELPER", "pcplay")
		c, err := engine.Ensure(context.Background(), engine.EnsureOptions{Args: os.Args[1:]})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("engine", c.EnginePID())
		c.Close()
		os.Exit(0)
	}
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

const e2eEmail = "e2e@example.com"

// world is a private home for the program (config, state, runtime
// directories) and a fake pCloud with fixtures in /Music.
type world struct {
	t     *testing.T
	bin   string
	home  string
	srv   *pcloudtest.Server
	token string // the account's token, in PCLOUD_TOKEN
	env   []string
	args  []string // global flags
	ids   map[string]uint64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	bin := pcplayBinary(t)
	home, err := os.MkdirTemp("", "pcw")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	names := []string{"a128", "b128", "tagged"}
	var files []*pcloudtest.Node
	for _, n := range names {
		f := fixtures.Get(n)
		files = append(files, pcloudtest.AudioFile(f.File, map[int][]byte{128: f.Data()}, pcloudtest.Tags{Title: f.Title, Artist: f.Artist}))
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: e2eEmail, Password: "pw"}},
		Root:     pcloudtest.Dir("", pcloudtest.Dir("Music", files...)),
	})
	t.Cleanup(srv.Close)
	w := &world{t: t, bin: bin, home: home, srv: srv, ids: map[string]uint64{}, token: srv.Token(e2eEmail)}
	for _, n := range names {
		w.ids[n] = srv.FileID("/Music/" + n + ".mp3")
	}
	for _, d := range []string{"run", "config", "state", "cache"} {
		os.Mkdir(filepath.Join(home, d), 0o700)
	}
	w.env = []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "run"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"PCLOUD_TOKEN=" + w.token,
		"TERM=xterm-256color",
	}
	w.args = []string{"--output", "null", "--bitrate", "128", "--api-url", srv.URL()}
	t.Cleanup(w.stopAll)
	return w
}

// saveSession writes the session the engine restores: the three fixtures,
// the first cued at 2 s.
func (w *world) saveSession() {
	var q []config.SessionTrack
	for _, n := range []string{"a128", "b128", "tagged"} {
		f := fixtures.Get(n)
		q = append(q, config.SessionTrack{FileID: w.ids[n], Name: f.File, Title: f.Title, Artist: f.Artist})
	}
	err := config.SaveSession(filepath.Join(w.home, "state", "pcplay", "session.json"), config.Session{
		Folder: config.Folder{Path: "/Music"}, Queue: q, Index: 0, Position: 2 * time.Second, Volume: 40, Bitrate: 128,
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) cmd(args ...string) *exec.Cmd {
	c := exec.Command(w.bin, append(append([]string(nil), w.args...), args...)...)
	c.Env = w.env
	return c
}

// run runs pcplay with args and returns stdout, stderr and the exit status.
func (w *world) run(args ...string) (string, string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, w.bin, append(append([]string(nil), w.args...), args...)...)
	c.Env = w.env
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// runTTY is run with stdin and stdout on a pseudo-terminal (what the UI
// needs); stderr is returned, the screen is discarded.
func (w *world) runTTY(args ...string) (string, int) {
	w.t.Helper()
	ptm, pts, err := pty.Open()
	if err != nil {
		w.t.Fatal(err)
	}
	defer ptm.Close()
	go io.Copy(io.Discard, ptm)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, w.bin, append(append([]string(nil), w.args...), args...)...)
	c.Env = w.env
	var errb bytes.Buffer
	c.Stdin, c.Stdout, c.Stderr = pts, pts, &errb
	err = c.Run()
	pts.Close()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatal(err)
	}
	return errb.String(), code
}

// ctl runs `pcplay ctl args` and fails the test unless it succeeds.
func (w *world) ctl(args ...string) string {
	w.t.Helper()
	out, errs, code := w.run(append([]string{"ctl"}, args...)...)
	if code != 0 {
		w.t.Fatalf("pcplay ctl %v: exit %d: %s", args, code, errs)
	}
	return out
}

// status is `pcplay ctl status --json`.
func (w *world) status() engine.StatusObject {
	w.t.Helper()
	var o engine.StatusObject
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
// stdio on /dev/null.
func (w *world) startEngine() *proc {
	w.t.Helper()
	c := w.cmd("engine")
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := c.Start(); err != nil {
		w.t.Fatal(err)
	}
	p := &proc{cmd: c, done: make(chan struct{})}
	go func() { c.Wait(); close(p.done) }()
	w.t.Cleanup(func() {
		c.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			c.Process.Kill()
		}
	})
	waitFor(w.t, "the engine's socket", func() bool {
		if p.exited() {
			w.t.Fatal("the engine exited")
		}
		_, _, code := w.run("ctl", "status")
		return code == 0
	})
	return p
}

// stopAll stops whatever engine is left.
func (w *world) stopAll() {
	w.run("stop")
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestEngineProcessCtlAndStop(t *testing.T) {
	w := newWorld(t)
	if _, errs, code := w.run("ctl", "status"); code != 1 || !strings.Contains(errs, "no pcplay engine is running") {
		t.Errorf("ctl with no engine: exit %d, %q", code, errs)
	}
	if out, _, code := w.run("stop"); code != 0 || !strings.Contains(out, "no engine running") {
		t.Errorf("stop with no engine: exit %d, %q", code, out)
	}
	w.saveSession()
	eng := w.startEngine()

	// The session came back paused at 2 s.
	st := w.status()
	if st.State != "paused" || st.Index != 0 || st.QueueLength != 3 || st.Volume != 40 || st.PositionSeconds < 2 || st.PositionSeconds >= 3 {
		t.Errorf("restored: %+v", st)
	}
	if out := w.ctl("play"); !strings.Contains(out, "a128.mp3") {
		t.Errorf("ctl play printed %q", out)
	}
	waitFor(t, "playing past 3 s", func() bool {
		st := w.status()
		return st.State == "playing" && st.PositionSeconds >= 3
	})

	// A client attached from another process is killed: the music goes on.
	helper := exec.Command(os.Args[0], "-test.run=^$")
	helper.Env = append(append([]string(nil), w.env...), "PCPLAY_TEST_HELPER=attach")
	hout, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(hout).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		if want := fmt.Sprintf("attached %d\n", eng.cmd.Process.Pid); line != want {
			t.Errorf("the helper printed %q, want %q", line, want)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the helper did not attach")
	}
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	// SIGHUP (the terminal went away) is ignored by the engine.
	eng.cmd.Process.Signal(syscall.SIGHUP)
	at := w.status().PositionSeconds
	waitFor(t, "the position to go on", func() bool {
		st := w.status()
		return st.State == "playing" && st.PositionSeconds >= at+1
	})

	out := w.ctl("next")
	if !strings.Contains(out, "b128.mp3") {
		t.Errorf("ctl next printed %q", out)
	}
	w.ctl("vol", "55")
	w.ctl("pause")
	st = w.status()
	if st.State != "paused" || st.Volume != 55 || st.Index != 1 {
		t.Errorf("after next, vol 55, pause: %+v", st)
	}
	if _, errs, code := w.run("ctl", "vol", "loud"); code != 2 || !strings.Contains(errs, "volume") {
		t.Errorf("ctl vol loud: exit %d, %q", code, errs)
	}

	if out, errs, code := w.run("stop"); code != 0 || !strings.Contains(out, "stopped") {
		t.Fatalf("stop: exit %d, %q %q", code, out, errs)
	}
	waitFor(t, "the engine to exit", eng.exited)
	sess, err := config.LoadSession(filepath.Join(w.home, "state", "pcplay", "session.json"))
	if err != nil {
		t.Fatal(err)
	}
	if sess.Index != 1 || sess.Volume != 55 || sess.Folder.Path != "/Music" || len(sess.Queue) != 3 {
		t.Errorf("saved session: index %d volume %d folder %q queue %d", sess.Index, sess.Volume, sess.Folder.Path, len(sess.Queue))
	}
	if _, err := os.Stat(filepath.Join(w.home, "run", "pcplay", engine.SocketName)); !os.IsNotExist(err) {
		t.Errorf("the socket is left after stop: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(w.home, "state", "pcplay", "engine.log")); err != nil || bytes.Contains(b, []byte(w.token)) {
		t.Errorf("engine log: %v (or it holds the token)", err)
	}
}

// An engine that can't start says why to the pcplay that started it.
func TestEngineStartFailureIsReported(t *testing.T) {
	w := newWorld(t)
	dirWav := filepath.Join(w.home, "taken.wav")
	if err := os.Mkdir(dirWav, 0o700); err != nil {
		t.Fatal(err)
	}
	w.args = []string{"--output", dirWav, "--api-url", w.srv.URL()}
	errs, code := w.runTTY()
	if code != 1 || !strings.HasPrefix(errs, "pcplay: the pcplay engine did not start: the player did not start: ") || !strings.Contains(errs, "taken.wav") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("more than one line: %q", errs)
	}
}

// SIGTERM saves the session and ends the engine; with idle_exit the engine
// ends by itself when nothing plays and nobody is attached.
func TestEngineSIGTERMAndIdleExit(t *testing.T) {
	w := newWorld(t)
	w.saveSession()
	eng := w.startEngine()
	w.ctl("vol", "33")
	w.ctl("seek", "7")
	waitFor(t, "the seek", func() bool { return w.status().PositionSeconds >= 7 })
	eng.cmd.Process.Signal(syscall.SIGTERM)
	waitFor(t, "the engine to exit on SIGTERM", eng.exited)
	sessPath := filepath.Join(w.home, "state", "pcplay", "session.json")
	sess, err := config.LoadSession(sessPath)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Volume != 33 || sess.Index != 0 || sess.Position < 7*time.Second || sess.Folder.Path != "/Music" {
		t.Errorf("saved on SIGTERM: volume %d index %d position %v folder %q", sess.Volume, sess.Index, sess.Position, sess.Folder.Path)
	}

	cfg := filepath.Join(w.home, "config", "pcplay")
	os.MkdirAll(cfg, 0o700)
	if err := os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("idle_exit = \"2s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	eng = w.startEngine() // paused (restored), nobody attached after the check
	// The idle exit writes the session again.
	if err := os.Remove(sessPath); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the idle exit", eng.exited)
	if sess, err := config.LoadSession(sessPath); err != nil || sess.Volume != 33 || sess.Index != 0 || len(sess.Queue) != 3 {
		t.Errorf("saved on idle exit: %+v, %v", sess, err)
	}
	if b, _ := os.ReadFile(filepath.Join(w.home, "state", "pcplay", "engine.log")); !bytes.Contains(b, []byte("idle")) {
		t.Errorf("the log does not tell the idle exit:\n%s", b)
	}
}

// Several pcplay started at once, for real: Ensure's flock, re-exec in a new
// session, and the wait for the socket, end with one engine.
func TestRealEnsureConcurrentStarts(t *testing.T) {
	w := newWorld(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const n = 3
	outs := make([]bytes.Buffer, n)
	cmds := make([]*exec.Cmd, n)
	for i := range cmds {
		c := exec.Command(self, w.args...)
		c.Env = append(append([]string(nil), w.env...), "PCPLAY_TEST_HELPER=ensure")
		c.Stdout = &outs[i]
		cmds[i] = c
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("ensure %d: %v: %s", i, err, outs[i].String())
		}
	}
	first := outs[0].String()
	var pid int
	if _, err := fmt.Sscanf(first, "engine %d", &pid); err != nil || pid <= 0 {
		t.Fatalf("ensure printed %q", first)
	}
	for i := range outs {
		if outs[i].String() != first {
			t.Errorf("ensure %d attached to %q, ensure 0 to %q", i, outs[i].String(), first)
		}
	}
	// The engine runs in a session of its own (setsid), with no terminal.
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if sid, tty := f[3], f[4]; sid != fmt.Sprint(pid) || tty != "0" {
		t.Errorf("engine pid %d: session %s, tty %s; want its own session and no tty", pid, sid, tty)
	}
	engines := 0
	ds, _ := os.ReadDir("/proc")
	for _, d := range ds {
		b, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err == nil && strings.HasPrefix(string(b), self+"\x00") && strings.HasSuffix(string(b), "\x00engine\x00") {
			engines++
		}
	}
	if engines != 1 {
		t.Errorf("%d engines run, want 1", engines)
	}
	if out, errs, code := w.run("stop"); code != 0 || !strings.Contains(out, "stopped") {
		t.Errorf("stop: %d %q %q", code, out, errs)
	}
	waitFor(t, "the engine to exit", func() bool { return gone(pid) })
}

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

// A pcplay of another protocol: ctl says so in a sentence, stop ends it.
func TestOldEngineProtocolMismatch(t *testing.T) {
	w := newWorld(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	old := exec.Command(self)
	old.Env = append(append([]string(nil), w.env...), "PCPLAY_TEST_HELPER=oldengine")
	out, err := old.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- old.Wait() }()
	t.Cleanup(func() { old.Process.Kill() })
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "listening\n" {
		t.Fatalf("the old engine said %q", line)
	}
	_, errs, code := w.run("ctl", "status")
	want := "pcplay: the running pcplay engine is version v9.9.9 (protocol 2); this pcplay speaks protocol 1 — run `pcplay stop` and start again\n"
	if code != 1 || errs != want {
		t.Errorf("ctl status: exit %d, stderr %q, want %q", code, errs, want)
	}
	if out, errs, code := w.run("stop"); code != 0 || !strings.Contains(out, "stopped") {
		t.Errorf("stop: exit %d %q %q", code, out, errs)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the old engine: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the old engine is still running")
	}
}
