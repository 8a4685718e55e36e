package screen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// counter is a model: + adds one, b adds 10 and 100 in a batch, s sets 5 then
// adds 1 in a sequence, p panics, c runs a command that panics, q quits.
type counter struct{ n int }

type addMsg int
type setMsg int

func (c counter) Init() tea.Cmd { return nil }

func (c counter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch msg.String() {
		case "+":
			c.n++
		case "b":
			return c, tea.Batch(func() tea.Msg { return addMsg(10) }, func() tea.Msg { return addMsg(100) })
		case "s":
			return c, tea.Sequence(func() tea.Msg { return setMsg(5) }, func() tea.Msg { return addMsg(1) })
		case "p":
			panic("boom")
		case "c":
			return c, func() tea.Msg { panic("boom in a command") }
		case "q":
			return c, tea.Quit
		}
	case addMsg:
		c.n += int(msg)
	case setMsg:
		c.n = int(msg)
	}
	return c, nil
}

func (c counter) View() tea.View {
	v := tea.NewView(fmt.Sprintf("count %d", c.n))
	v.AltScreen = true
	return v
}

// ptyRun is [Run] on a pseudo-terminal whose output feeds a terminal emulator.
type ptyRun struct {
	t      *testing.T
	ptmx   *os.File
	tty    *os.File
	before *unix.Termios
	cancel context.CancelFunc
	done   chan struct{}
	final  tea.Model
	err    error
	panic  any

	mu  sync.Mutex
	emu *vt.Emulator
	raw bytes.Buffer
}

func startRun(t *testing.T, m tea.Model) *ptyRun {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 5, Cols: 40}); err != nil {
		t.Fatal(err)
	}
	before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	r := &ptyRun{t: t, ptmx: ptmx, tty: tty, before: before, emu: vt.NewEmulator(40, 5), done: make(chan struct{})}
	go func() { _, _ = io.Copy(ptmx, r.emu) }() // the emulator's answers to queries
	t.Cleanup(func() { r.emu.InputPipe().(*io.PipeWriter).Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			r.mu.Lock()
			r.raw.Write(buf[:n])
			_, _ = r.emu.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	t.Cleanup(cancel)
	go func() {
		defer close(r.done)
		defer func() { r.panic = recover() }()
		r.final, r.err = Run(ctx, m, tty, tty, []string{"TERM=xterm-256color"})
	}()
	return r
}

// waitFor polls until cond holds on the screen and raw output, or fails.
func (r *ptyRun) waitFor(what string, cond func(screen, raw string) bool) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.mu.Lock()
		s, raw := r.emu.String(), r.raw.String()
		r.mu.Unlock()
		if cond(s, raw) {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("waiting for %s; screen:\n%s\nraw tail: %q", what, s, raw[max(0, len(raw)-200):])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (r *ptyRun) waitScreen(want string) {
	r.t.Helper()
	r.waitFor(fmt.Sprintf("%q on screen", want), func(s, _ string) bool { return strings.Contains(s, want) })
}

func (r *ptyRun) key(k string) {
	if _, err := r.ptmx.WriteString(k); err != nil {
		r.t.Fatal(err)
	}
}

func (r *ptyRun) wait() {
	r.t.Helper()
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		r.t.Fatal("Run did not return")
	}
}

// checkRestored fails unless the terminal left the alternate screen, shows
// its cursor and is back in the mode it had.
func (r *ptyRun) checkRestored() {
	r.t.Helper()
	r.waitFor("the terminal restored", func(_, raw string) bool {
		i := strings.LastIndex(raw, "\x1b[?1049l")
		return i > strings.LastIndex(raw, "\x1b[?1049h") && strings.Contains(raw[i:], "\x1b[?25h")
	})
	after, err := unix.IoctlGetTermios(int(r.tty.Fd()), unix.TCGETS)
	if err != nil {
		r.t.Fatal(err)
	}
	if after.Lflag != r.before.Lflag || after.Iflag != r.before.Iflag || after.Oflag != r.before.Oflag {
		r.t.Fatalf("termios not restored: lflag %#x → %#x, iflag %#x → %#x, oflag %#x → %#x",
			r.before.Lflag, after.Lflag, r.before.Iflag, after.Iflag, r.before.Oflag, after.Oflag)
	}
}

func TestRunKeysCommandsAndQuit(t *testing.T) {
	r := startRun(t, counter{})
	r.waitScreen("count 0")
	r.key("+")
	r.waitScreen("count 1")
	r.key("b")
	r.waitScreen("count 111")
	r.key("s") // 5 then +1, in that order
	r.waitScreen("count 6")
	r.key("q")
	r.wait()
	if r.err != nil || r.panic != nil {
		t.Fatalf("Run: err %v, panic %v", r.err, r.panic)
	}
	if c, ok := r.final.(counter); !ok || c.n != 6 {
		t.Fatalf("final model %#v, want count 6", r.final)
	}
	r.checkRestored()
}

func TestRunEndsWithItsContext(t *testing.T) {
	r := startRun(t, counter{})
	r.waitScreen("count 0")
	r.cancel()
	r.wait()
	if !errors.Is(r.err, tea.ErrProgramKilled) || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("Run after the context's end: %v", r.err)
	}
	r.checkRestored()
}

func TestRunRestoresTheTerminalOnPanic(t *testing.T) {
	var told bytes.Buffer
	panicOut = &told
	t.Cleanup(func() { panicOut = os.Stderr })
	for key, val := range map[string]string{"p": "boom", "c": "boom in a command"} {
		told.Reset()
		r := startRun(t, counter{n: 7})
		r.waitScreen("count 7")
		r.key(key)
		r.wait()
		if r.panic != nil || !errors.Is(r.err, tea.ErrProgramPanic) || !errors.Is(r.err, tea.ErrProgramKilled) {
			t.Fatalf("%s: Run returned %v, panicked %v; want ErrProgramPanic", key, r.err, r.panic)
		}
		if c, ok := r.final.(counter); !ok || c.n != 7 {
			t.Errorf("%s: final model %#v, want the last one (count 7)", key, r.final)
		}
		if !strings.Contains(told.String(), "caught panic: "+val) || !strings.Contains(told.String(), "run_test.go") {
			t.Errorf("%s: the panic was told as %q", key, told.String())
		}
		r.checkRestored()
	}
}
