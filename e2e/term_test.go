package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"github.com/pcplay/pcplay/internal/poll"
)

// The terminal: pcplay in a pseudo-terminal read through a terminal
// emulator, and what the tests read off its screen.

// Keys as a terminal sends them.
const (
	keyEnter = "\r"
	keySpace = " "
	keyRight = "\x1b[C"
	keyLeft  = "\x1b[D"
	keyBack  = "\x7f"
)

// Sequences pcplay must leave the terminal with.
const (
	exitAltScreen = "\x1b[?1049l"
	showCursor    = "\x1b[?25h"
)

// term is pcplay running in a 120×40 pseudo-terminal whose output feeds a
// terminal emulator (the screen) and a byte log (the raw output).
type term struct {
	t    *testing.T
	cmd  *exec.Cmd
	ptmx *os.File

	mu  sync.Mutex
	emu *vt.Emulator
	raw bytes.Buffer

	readDone chan struct{} // the pty's output has ended
	exited   chan struct{} // the process has exited
	waitErr  error
}

// start runs pcplay with args in a pseudo-terminal.
func (w *world) start(args ...string) *term {
	w.t.Helper()
	c := exec.Command(bin, args...)
	c.Env = w.env
	ptmx, err := pty.StartWithSize(c, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		w.t.Fatalf("starting pcplay in a pty: %v", err)
	}
	tm := &term{
		t: w.t, cmd: c, ptmx: ptmx,
		emu:      vt.NewEmulator(120, 40),
		readDone: make(chan struct{}),
		exited:   make(chan struct{}),
	}
	// The emulator answers the program's queries (cursor position,
	// colours...) as a terminal would: its answers go back to the pty.
	answers := tm.emu.InputPipe().(*io.PipeWriter)
	go func() {
		buf := make([]byte, 256)
		for {
			n, err := tm.emu.Read(buf)
			if n > 0 {
				_, _ = ptmx.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		defer close(tm.readDone)
		buf := make([]byte, 32<<10)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.raw.Write(buf[:n])
				_, _ = tm.emu.Write(buf[:n])
				tm.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		tm.waitErr = c.Wait()
		close(tm.exited)
	}()
	w.t.Cleanup(func() {
		select {
		case <-tm.exited:
		default:
			_ = c.Process.Kill()
			<-tm.exited
		}
		ptmx.Close()
		answers.Close()
	})
	return tm
}

// resize changes the terminal's size, as a terminal window does.
func (tm *term) resize(cols, rows int) {
	tm.t.Helper()
	tm.mu.Lock()
	tm.emu.Resize(cols, rows)
	tm.mu.Unlock()
	if err := pty.Setsize(tm.ptmx, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)}); err != nil {
		tm.t.Fatalf("resizing the pty: %v", err)
	}
}

// signal sends sig to pcplay.
func (tm *term) signal(sig os.Signal) {
	tm.t.Helper()
	if err := tm.cmd.Process.Signal(sig); err != nil {
		tm.t.Fatalf("signalling pcplay: %v", err)
	}
}

// screen is the text on the terminal now, trailing blanks trimmed.
func (tm *term) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.emu.String()
}

// output is every byte the program wrote to the terminal so far.
func (tm *term) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.raw.String()
}

// send types keys.
func (tm *term) send(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		if _, err := tm.ptmx.Write([]byte(k)); err != nil {
			tm.t.Fatalf("typing %q: %v", k, err)
		}
	}
}

// waitFor waits until the screen shows every one of want.
func (tm *term) waitFor(want ...string) string {
	tm.t.Helper()
	return tm.waitUntil(fmt.Sprintf("%q", want), func(s string) bool {
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	})
}

// waitUntil waits until ok accepts the screen and returns that screen.
func (tm *term) waitUntil(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	var s string
	shown := func() bool {
		s = tm.screen()
		if ok(s) {
			return true
		}
		select {
		case <-tm.exited:
			tm.t.Fatalf("pcplay exited (%v) while waiting for %s; the screen:\n%s", tm.waitErr, what, s)
		default:
		}
		return false
	}
	if !poll.Eventually(patience, shown) {
		tm.t.Fatalf("the screen never showed %s; it shows:\n%s", what, s)
	}
	return s
}

// clockRE is the now-playing clock: state, then "elapsed / duration", or
// the elapsed time alone when the duration is not known yet.
var clockRE = regexp.MustCompile(`(Playing|Paused|Buffering|Reconnecting|Stopped)\b.*?(\d+):(\d\d)(?: / (\d+):(\d\d))?\s*$`)

// nowPlaying is the state word, the elapsed seconds and the duration (-1
// when not shown) the status line shows; ok is false when it shows no clock.
func nowPlaying(screen string) (state string, elapsed, duration int, ok bool) {
	for _, line := range strings.Split(screen, "\n") {
		m := clockRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[2])
		b, _ := strconv.Atoi(m[3])
		if m[4] == "" {
			return m[1], a*60 + b, -1, true
		}
		c, _ := strconv.Atoi(m[4])
		d, _ := strconv.Atoi(m[5])
		return m[1], a*60 + b, c*60 + d, true
	}
	return "", 0, 0, false
}

// statusLine is the line of the screen with the now-playing state.
func statusLine(screen string) string {
	for _, line := range strings.Split(screen, "\n") {
		if clockRE.MatchString(line) || strings.Contains(line, "Stopped") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// waitClock waits until the status line shows state with ok(elapsed).
func (tm *term) waitClock(state string, ok func(elapsed int) bool) (elapsed int) {
	tm.t.Helper()
	tm.waitUntil("the clock "+state, func(s string) bool {
		st, e, _, found := nowPlaying(s)
		if found && st == state && ok(e) {
			elapsed = e
			return true
		}
		return false
	})
	return elapsed
}

// wait waits for the program to exit and returns its exit status, with all
// its output read.
func (tm *term) wait() int {
	tm.t.Helper()
	select {
	case <-tm.exited:
	case <-time.After(patience):
		tm.t.Fatalf("pcplay did not exit; the screen:\n%s", tm.screen())
	}
	select {
	case <-tm.readDone:
	case <-time.After(patience):
		tm.t.Fatal("the pty's output never ended after pcplay exited")
	}
	var ee *exec.ExitError
	if errors.As(tm.waitErr, &ee) {
		return ee.ExitCode()
	}
	if tm.waitErr != nil {
		tm.t.Fatalf("waiting for pcplay: %v", tm.waitErr)
	}
	return 0
}

// quit presses q and checks pcplay leaves with status 0 and gives the
// terminal back: the alternate screen left and the cursor shown, after the
// last frame.
func (tm *term) quit() {
	tm.t.Helper()
	tm.send("q")
	if code := tm.wait(); code != 0 {
		tm.t.Fatalf("pcplay exited with %d after q; output tail %q", code, tail(tm.output(), 300))
	}
	checkRestored(tm.t, tm.output())
}

// checkRestored checks that out ends having left the alternate screen and
// shown the cursor (whatever else follows is plain text, not drawing).
func checkRestored(t *testing.T, out string) {
	t.Helper()
	if err := restoredErr(out); err != nil {
		t.Fatal(err)
	}
}

func restoredErr(out string) error {
	i := strings.LastIndex(out, exitAltScreen)
	if i < 0 {
		return fmt.Errorf("the output never leaves the alternate screen (%q); tail %q", exitAltScreen, tail(out, 300))
	}
	if strings.LastIndex(out, "\x1b[?1049h") > i {
		return fmt.Errorf("the alternate screen is entered again after it was left; tail %q", tail(out, 300))
	}
	if j := strings.LastIndex(out, showCursor); j < 0 || strings.LastIndex(out, "\x1b[?25l") > j {
		return fmt.Errorf("the cursor is left hidden at the end; tail %q", tail(out, 300))
	}
	if rest := out[i+len(exitAltScreen):]; strings.Contains(rest, "\x1b[H") || strings.Contains(rest, "\x1b[2J") {
		return fmt.Errorf("the program kept drawing after it left the alternate screen: %q", rest)
	}
	return nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
