//go:build unix

package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/poll"
)

// The background engine as a process: `pcplay engine` in its own session,
// `pcplay ctl` and `pcplay stop` against it, and pcplay UIs attaching to it.

func TestEngineProcessCtlAndStop(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t)
	if _, errs, code := w.pcplay("ctl", "status"); code != 1 || !strings.Contains(errs, "no pcplay engine is running") {
		t.Errorf("ctl with no engine: exit %d, %q", code, errs)
	}
	if out, _, code := w.pcplay("stop"); code != 0 || !strings.Contains(out, "no engine running") {
		t.Errorf("stop with no engine: exit %d, %q", code, out)
	}
	w.saveSession()
	eng := w.startEngine()

	// The session came back paused at 2 s.
	st := w.status()
	if st.State != "paused" || st.Index != 0 || st.QueueLength != 3 || st.Volume != 40 || st.PositionSeconds < 2 || st.PositionSeconds >= 3 {
		t.Errorf("restored: %+v", st)
	}
	if out := w.ctl("play"); !strings.Contains(out, "a128") {
		t.Errorf("ctl play printed %q", out)
	}
	poll.Until(t, "playing past 3 s", func() bool {
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
	poll.Until(t, "the position to go on", func() bool {
		st := w.status()
		return st.State == "playing" && st.PositionSeconds >= at+1
	})

	out := w.ctl("next")
	if !strings.Contains(out, "b128") {
		t.Errorf("ctl next printed %q", out)
	}
	w.ctl("vol", "55")
	w.ctl("pause")
	st = w.status()
	if st.State != "paused" || st.Volume != 55 || st.Index != 1 {
		t.Errorf("after next, vol 55, pause: %+v", st)
	}
	if _, errs, code := w.pcplay("ctl", "vol", "loud"); code != 2 || !strings.Contains(errs, "volume") {
		t.Errorf("ctl vol loud: exit %d, %q", code, errs)
	}

	if out, errs, code := w.pcplay("stop"); code != 0 || !strings.Contains(out, "stopped") {
		t.Fatalf("stop: exit %d, %q %q", code, out, errs)
	}
	poll.Until(t, "the engine to exit", eng.exited)
	sess, err := config.LoadSession(filepath.Join(w.home, "state", "pcplay", "session.json"))
	if err != nil {
		t.Fatal(err)
	}
	if sess.Index != 1 || sess.Volume != 55 || sess.Folder.Path != "/Music/Album" || len(sess.Queue) != 3 {
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
	w := newEngineWorld(t)
	dirWav := filepath.Join(w.home, "taken.wav")
	if err := os.Mkdir(dirWav, 0o700); err != nil {
		t.Fatal(err)
	}
	w.flags = []string{"--output", dirWav, "--api-url", w.srv.URL()}
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
	t.Parallel()
	w := newEngineWorld(t)
	w.saveSession()
	eng := w.startEngine()
	w.ctl("vol", "33")
	w.ctl("seek", "7")
	poll.Until(t, "the seek", func() bool { return w.status().PositionSeconds >= 7 })
	eng.cmd.Process.Signal(syscall.SIGTERM)
	poll.Until(t, "the engine to exit on SIGTERM", eng.exited)
	sessPath := filepath.Join(w.home, "state", "pcplay", "session.json")
	sess, err := config.LoadSession(sessPath)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Volume != 33 || sess.Index != 0 || sess.Position < 7*time.Second || sess.Folder.Path != "/Music/Album" {
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
	poll.Until(t, "the idle exit", eng.exited)
	if sess, err := config.LoadSession(sessPath); err != nil || sess.Volume != 33 || sess.Index != 0 || len(sess.Queue) != 3 {
		t.Errorf("saved on idle exit: %+v, %v", sess, err)
	}
	if b, _ := os.ReadFile(filepath.Join(w.home, "state", "pcplay", "engine.log")); !bytes.Contains(b, []byte("idle")) {
		t.Errorf("the log does not tell the idle exit:\n%s", b)
	}
}

// The ctl commands of modes and queue positions through the binary:
// shuffle, repeat, bitrate, jump and remove, each printing the status.
func TestCtlModesAndQueuePositions(t *testing.T) {
	w := newEngineWorld(t)
	w.saveSession()
	w.startEngine()
	ctl := func(args ...string) string {
		t.Helper()
		out := w.ctl(args...)
		if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "paused  ") && !strings.HasPrefix(out, "playing  ") && !strings.HasPrefix(out, "loading  ") && !strings.HasPrefix(out, "buffering  ") {
			t.Errorf("ctl %v printed %q, want the status line", args, out)
		}
		return out
	}
	ctl("shuffle", "on")
	if st := w.status(); !st.Shuffle {
		t.Errorf("after ctl shuffle on: %+v", st)
	}
	ctl("shuffle")
	if st := w.status(); st.Shuffle {
		t.Errorf("ctl shuffle did not switch it off: %+v", st)
	}
	ctl("repeat", "one")
	ctl("bitrate", "64")
	if st := w.status(); st.Repeat != "one" || st.Bitrate != 64 {
		t.Errorf("after ctl repeat one, bitrate 64: %+v", st)
	}
	if out := ctl("jump", "3"); !strings.Contains(out, "Tone Title") {
		t.Errorf("ctl jump 3 printed %q, want the third track, tagged", out)
	}
	ctl("remove", "1")
	if names, playing := w.queueNames(); len(names) != 2 || names[0] != "b128.mp3" || names[1] != "tagged.mp3" || playing != 1 {
		t.Errorf("after ctl remove 1: queue %v, playing %d", names, playing)
	}
	for _, args := range [][]string{{"ctl", "repeat", "sometimes"}, {"ctl", "bitrate", "999"}, {"ctl", "remove", "0"}, {"ctl", "jump"}} {
		if _, errs, code := w.pcplay(args...); code != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("pcplay %q: exit %d, stderr %q; want 2 and one line", args, code, errs)
		}
	}
}

// A pcplay of another protocol: ctl says so in a sentence, stop ends it.
func TestOldEngineProtocolMismatch(t *testing.T) {
	w := newEngineWorld(t)
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
	_, errs, code := w.pcplay("ctl", "status")
	want := "pcplay: the running pcplay engine is version v9.9.9 (protocol 2); this pcplay speaks protocol 3 — run `pcplay stop` and start again\n"
	if code != 1 || errs != want {
		t.Errorf("ctl status: exit %d, stderr %q, want %q", code, errs, want)
	}
	if out, errs, code := w.pcplay("stop"); code != 0 || !strings.Contains(out, "stopped") {
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

// Several pcplay started at once, for real: Ensure's flock, re-exec in a new
// session, and the wait for the socket, end with one engine, which runs in
// a session of its own with no terminal.
func TestRealEnsureConcurrentStarts(t *testing.T) {
	w := newEngineWorld(t)
	w.saveSession()
	const n = 3
	uis := make([]*term, n)
	for i := range uis {
		uis[i] = w.start(w.args()...)
	}
	for _, tm := range uis {
		tm.waitFor("a128")
	}
	pids := w.pids(true)
	if len(pids) != 1 {
		t.Fatalf("%d engines run (%v), want 1", len(pids), pids)
	}
	pid := pids[0]
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if sid, tty := f[3], f[4]; sid != fmt.Sprint(pid) || tty != "0" {
		t.Errorf("engine pid %d: session %s, tty %s; want its own session and no tty", pid, sid, tty)
	}
	for _, tm := range uis {
		tm.quit()
	}
	if out, errs, code := w.pcplay("stop"); code != 0 || !strings.Contains(out, "stopped") {
		t.Errorf("stop: %d %q %q", code, out, errs)
	}
	poll.Until(t, "the engine to exit", func() bool { return gone(pid) })
}

// With an engine, the engine is the session's one writer: a UI that leaves
// tells it its folder, the file has it as the UI exits, and the engine keeps
// it when it saves again at its end; the next UI opens there.
func TestEngineKeepsTheFolderOfTheUI(t *testing.T) {
	w := newEngineWorld(t)
	w.saveSession() // in /Music/Album
	tm := w.start(w.args()...)
	tm.waitFor("Tone Title")
	tm.send(keyBack)
	tm.waitFor("Album/", "Other/")
	tm.quit() // q: the music keeps playing in the engine
	folder := func() string {
		t.Helper()
		sess, err := config.LoadSession(w.sessionFile())
		if err != nil {
			t.Fatal(err)
		}
		return sess.Folder.Path
	}
	if got := folder(); got != "/Music" {
		t.Errorf("after q the session's folder is %q, want /Music", got)
	}
	if n := w.engineCount(); n != 1 {
		t.Fatalf("%d engines run after q, want 1", n)
	}
	w.ctl("vol", "25")
	if out, errs, code := w.pcplay("stop"); code != 0 || !strings.Contains(out, "stopped") {
		t.Fatalf("stop: exit %d, %q %q", code, out, errs)
	}
	poll.Until(t, "the engine to exit", func() bool { return w.engineCount() == 0 })
	sess, err := config.LoadSession(w.sessionFile())
	if err != nil {
		t.Fatal(err)
	}
	if sess.Folder.Path != "/Music" || sess.Volume != 25 || len(sess.Queue) != 3 {
		t.Errorf("saved by the engine at its end: folder %q volume %d queue %d; want /Music, 25, 3", sess.Folder.Path, sess.Volume, len(sess.Queue))
	}
	tm = w.start(w.args()...)
	tm.waitFor("Album/", "Other/")
	tm.send("Q")
	if code := tm.wait(); code != 0 {
		t.Errorf("Q: exit %d", code)
	}
	poll.Until(t, "the engine to stop after Q", func() bool { return w.engineCount() == 0 })
}

// volume = 0 in the config file is silence, not "unset" (it played at 70).
func TestConfigVolumeZero(t *testing.T) {
	w := newEngineWorld(t)
	cfg := w.path("config", "pcplay", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("volume = 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.startEngine()
	if st := w.status(); st.Volume != 0 {
		t.Errorf("volume = 0 in the config: the engine plays at %d", st.Volume)
	}
}
