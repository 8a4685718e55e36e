package screen

import (
	"bytes"
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// frameInterval is the shortest time between two frames.
const frameInterval = time.Second / 60

// frames draws the model's views on the terminal with ultraviolet's cell
// renderer, as bubbletea's renderer does (one cell buffer drawn into, the
// renderer's copy of the screen, the difference written): a view that
// differs from the one on screen is drawn at once when the last frame is at
// least frameInterval old, else by a one-shot timer when it is; an unchanged
// view costs a string compare. All of it runs on the loop's goroutine.
type frames struct {
	out     io.Writer
	rend    *uv.TerminalRenderer
	cells   uv.ScreenBuffer // the frame being drawn
	pending bytes.Buffer    // what rend wrote for it
	profile colorprofile.Profile
	sync    bool // the terminal has synchronized output (mode 2026)
	w, h    int
	sized   bool // a size came from the terminal after the first frame's

	want   tea.View    // the model's latest view
	drawn  string      // the content on screen
	cursor *tea.Cursor // the cursor on screen (nil: hidden)
	stale  bool        // the screen must be drawn again (resized)
	last   time.Time   // when the last frame was drawn
	timer  *time.Timer
	armed  bool // timer will draw
	count  int  // frames drawn
}

func newFrames(out io.Writer, environ []string, w, h int) *frames {
	f := &frames{out: out, w: w, h: h, cells: uv.NewScreenBuffer(w, h)}
	f.profile = colorprofile.Detect(out, environ) // NO_COLOR, TERM, COLORTERM: as bubbletea
	f.rend = uv.NewTerminalRenderer(&f.pending, environ)
	f.rend.SetColorProfile(f.profile)
	f.rend.SetScrollOptim(true)
	f.rend.SetTabStops(-1) // no hard tabs nor backspaces to move: right whatever the tty's settings
	f.rend.SetBackspace(false)
	f.rend.Resize(w, h)
	return f
}

// start sets the terminal up as bubbletea's renderer does for an
// alternate-screen view: alternate screen, cursor hidden, bracketed paste,
// modifyOtherKeys and the kitty keyboard's disambiguation (asking which the
// terminal has), and asks whether it has synchronized output.
func (f *frames) start(env uv.Environ) {
	f.rend.EnterAltScreen()
	seq := ansi.HideCursor + ansi.SetModeBracketedPaste +
		ansi.SetModifyOtherKeys2 + ansi.PushKittyKeyboard(1) + ansi.RequestKittyKeyboard
	if asksSyncOutput(env) {
		seq += ansi.RequestModeSynchronizedOutput
	}
	_, _ = f.rend.WriteString(seq)
	_ = f.rend.Flush()
	f.write()
}

// write sends what the renderer wrote to the terminal.
func (f *frames) write() {
	if f.pending.Len() > 0 {
		_, _ = f.out.Write(f.pending.Bytes())
		f.pending.Reset()
	}
}

// asksSyncOutput tells whether to ask the terminal about synchronized output
// (mode 2026), as bubbletea decides: not over SSH nor in Apple's Terminal,
// whose answers are unreliable, unless the terminal is one known to have it.
func asksSyncOutput(env uv.Environ) bool {
	if _, ok := env.LookupEnv("WT_SESSION"); ok {
		return true
	}
	_, ssh := env.LookupEnv("SSH_TTY")
	if !ssh && !strings.Contains(env.Getenv("TERM_PROGRAM"), "Apple") {
		return true
	}
	t := env.Getenv("TERM")
	for _, known := range []string{"ghostty", "wezterm", "alacritty", "kitty", "rio"} {
		if strings.Contains(t, known) {
			return true
		}
	}
	return false
}

// modeReport acts on the terminal's answers about synchronized output and
// Unicode core mode (2027: ultraviolet's Terminal switches it on; the frames
// then measure widths as the terminal does).
func (f *frames) modeReport(ev uv.ModeReportEvent) {
	switch {
	case ev.Mode == ansi.ModeSynchronizedOutput && ev.Value == ansi.ModeReset:
		f.sync = true
	case ev.Mode == ansi.ModeUnicodeCore && (ev.Value.IsSet() || ev.Value == ansi.ModeReset):
		f.cells.Method = ansi.GraphemeWidth
		f.rend.SetGraphemeWidth(true)
		f.stale = true
	}
}

// resize takes the terminal's new size: the next frame is drawn whole.
func (f *frames) resize(w, h int) {
	if w <= 0 || h <= 0 || (!f.sized && w == f.w && h == f.h) {
		f.sized = true // the first size is the one the first frame had
		return
	}
	f.sized = true
	f.w, f.h = w, h
	f.rend.Erase()
	f.rend.Resize(w, h)
	f.cells.Touched = nil
	f.cells.Resize(w, h)
	f.stale = true
}

// show takes the model's view after an Update: drawn now, later (once the
// frame interval is over) or not at all when the screen has it already.
func (f *frames) show(v tea.View) {
	f.want = v
	if f.armed || !f.changed() {
		return
	}
	if wait := frameInterval - time.Since(f.last); wait > 0 {
		if f.timer == nil {
			f.timer = time.NewTimer(wait)
		} else {
			f.timer.Reset(wait)
		}
		f.armed = true
		return
	}
	f.draw()
}

// due is the timer's channel while a frame waits, else nil (never ready).
func (f *frames) due() <-chan time.Time {
	if !f.armed {
		return nil
	}
	return f.timer.C
}

// tick draws the view that waited for the frame interval.
func (f *frames) tick() {
	f.armed = false
	if f.changed() {
		f.draw()
	}
}

// final draws v now if the screen does not show it (the last frame before
// the program ends, as bubbletea draws it).
func (f *frames) final(v tea.View) {
	f.want = v
	f.disarm()
	if f.changed() {
		f.draw()
	}
}

func (f *frames) disarm() {
	if f.armed {
		f.timer.Stop()
		f.armed = false
	}
}

func (f *frames) changed() bool {
	return f.stale || f.want.Content != f.drawn || !sameCursor(f.want.Cursor, f.cursor)
}

func sameCursor(a, b *tea.Cursor) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Position == b.Position
}

// draw puts the wanted view on screen: the renderer writes only the cells
// that differ from the last frame (all of them after a resize), inside a
// synchronized update when the terminal has them.
func (f *frames) draw() {
	v := f.want
	f.cells.Clear()
	uv.NewStyledString(v.Content).Draw(f.cells, f.cells.Bounds())
	f.rend.Render(f.cells.RenderBuffer)
	if c := v.Cursor; c != nil {
		f.rend.MoveTo(c.X, c.Y) // after Render, which moves it
	}
	_ = f.rend.Flush()
	show, shown := v.Cursor != nil, f.cursor != nil
	var pre, post string
	switch {
	case show && !shown:
		post = ansi.ShowCursor
	case !show && shown:
		pre = ansi.HideCursor
	case show && f.pending.Len() > 0 && !f.sync:
		pre, post = ansi.HideCursor, ansi.ShowCursor // no cursor flying over the update
	}
	if f.sync && f.pending.Len() > 0 {
		pre, post = ansi.SetModeSynchronizedOutput+pre, post+ansi.ResetModeSynchronizedOutput
	}
	body := f.pending.String()
	f.pending.Reset()
	f.pending.WriteString(pre + body + post)
	f.write()
	f.cursor = nil
	if v.Cursor != nil {
		cc := *v.Cursor
		f.cursor = &cc
	}
	f.drawn, f.stale, f.last = v.Content, false, time.Now()
	f.count++
}

// raw writes s to the terminal after the frame that waits, if any.
func (f *frames) raw(s string) {
	f.disarm()
	if f.changed() {
		f.draw()
	}
	_, _ = io.WriteString(f.out, s)
}

// repaint clears the screen and draws the wanted view whole.
func (f *frames) repaint() {
	f.disarm()
	f.rend.Erase()
	f.stale = true
	f.draw()
}

// stop undoes what start set, the last frame left on the alternate screen:
// keyboard modes, alternate screen, hidden cursor, bracketed paste, Unicode
// core mode.
func (f *frames) stop() {
	f.disarm()
	seq := ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1) +
		ansi.ResetModeAltScreenSaveCursor + ansi.ShowCursor + ansi.ResetModeBracketedPaste
	if f.cells.Method == ansi.GraphemeWidth {
		seq += ansi.ResetModeUnicodeCore
	}
	_, _ = io.WriteString(f.out, seq)
}
