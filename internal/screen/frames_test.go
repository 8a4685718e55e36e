package screen

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// newTestFrames is frames on a 20×3 screen that writes to buf.
func newTestFrames(t *testing.T, buf *bytes.Buffer) *frames {
	t.Helper()
	env := []string{"TERM=xterm-256color"}
	f := newFrames(buf, env, 20, 3)
	f.start(env)
	return f
}

// screenOf is what a terminal shows after out.
func screenOf(out []byte) string {
	emu := vt.NewEmulator(20, 3)
	answers, done := emu.InputPipe().(*io.PipeWriter), make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, emu); close(done) }() // its answers to queries
	_, _ = emu.Write(out)
	s := emu.String()
	answers.Close()
	<-done
	return s
}

func TestUnchangedViewWritesNothing(t *testing.T) {
	var buf bytes.Buffer
	f := newTestFrames(t, &buf)
	f.show(tea.NewView("one"))
	if f.count != 1 || !strings.Contains(screenOf(buf.Bytes()), "one") {
		t.Fatalf("first view: %d frames, screen %q", f.count, screenOf(buf.Bytes()))
	}
	n := buf.Len()
	f.last = time.Time{} // the interval is over: only sameness can skip
	f.show(tea.NewView("one"))
	if buf.Len() != n || f.count != 1 || f.due() != nil {
		t.Fatalf("the same view again wrote %d bytes, %d frames, timer armed %v", buf.Len()-n, f.count, f.due() != nil)
	}
}

func TestFramesWithinTheIntervalWaitForTheTimer(t *testing.T) {
	var buf bytes.Buffer
	f := newTestFrames(t, &buf)
	f.show(tea.NewView("one"))
	n := buf.Len()
	f.last = time.Now().Add(time.Hour) // the next frame is not due yet
	f.show(tea.NewView("two"))
	f.show(tea.NewView("three"))
	if buf.Len() != n || f.due() == nil {
		t.Fatalf("views within the interval: %d bytes written, timer armed %v", buf.Len()-n, f.due() != nil)
	}
	f.tick() // the timer fired: the latest view only
	if f.count != 2 || f.due() != nil {
		t.Fatalf("after the timer: %d frames (want 2), still armed %v", f.count, f.due() != nil)
	}
	if s := screenOf(buf.Bytes()); !strings.Contains(s, "three") || strings.Contains(s, "two") {
		t.Fatalf("screen after the timer: %q", s)
	}
}

func TestResizeRedrawsTheSameView(t *testing.T) {
	var buf bytes.Buffer
	f := newTestFrames(t, &buf)
	f.show(tea.NewView("one"))
	f.resize(20, 3) // the terminal's first report, the size drawn already
	f.last = time.Time{}
	f.show(tea.NewView("one"))
	if f.count != 1 {
		t.Fatalf("the first size report redrew: %d frames", f.count)
	}
	f.resize(10, 3)
	f.show(tea.NewView("one"))
	if f.count != 2 {
		t.Fatalf("a new size did not redraw: %d frames", f.count)
	}
}

func TestFinalFrameAndStop(t *testing.T) {
	var buf bytes.Buffer
	f := newTestFrames(t, &buf)
	f.show(tea.NewView("one"))
	f.last = time.Now().Add(time.Hour)
	f.show(tea.NewView("last"))
	f.final(tea.NewView("last"))
	if f.due() != nil || !strings.Contains(screenOf(buf.Bytes()), "last") {
		t.Fatalf("final: armed %v, screen %q", f.due() != nil, screenOf(buf.Bytes()))
	}
	f.stop()
	if out := buf.String(); !strings.HasPrefix(out[strings.LastIndex(out, "last")+4:], ansi.ResetModifyOtherKeys+ansi.PopKittyKeyboard(1)+"\x1b[?1049l") {
		t.Fatalf("stop did not pop the kitty keyboard mode then leave the alternate screen: %q", out[max(0, len(out)-40):])
	}
}

func TestAsksSyncOutput(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want bool
	}{
		{[]string{"TERM=xterm-256color"}, true},
		{[]string{"TERM=xterm-256color", "SSH_TTY=/dev/pts/1"}, false},
		{[]string{"TERM=xterm-kitty", "SSH_TTY=/dev/pts/1"}, true},
		{[]string{"TERM_PROGRAM=Apple_Terminal"}, false},
		{[]string{"WT_SESSION=1", "SSH_TTY=/dev/pts/1"}, true},
	} {
		if got := asksSyncOutput(uv.Environ(c.env)); got != c.want {
			t.Errorf("%v: %v, want %v", c.env, got, c.want)
		}
	}
}
