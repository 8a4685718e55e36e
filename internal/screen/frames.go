package screen

import (
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

// frames draws the model's views on the terminal screen: a view that differs
// from the one on screen is drawn at once when the last frame is at least
// frameInterval old, else by a one-shot timer when it is; an unchanged view
// costs a string compare. All of it runs on the loop's goroutine.
type frames struct {
	scr     *uv.TerminalScreen
	profile colorprofile.Profile
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

	hadCursor bool // a view showed the cursor
}

func newFrames(scr *uv.TerminalScreen, out io.Writer, environ []string, w, h int) *frames {
	f := &frames{scr: scr, w: w, h: h, profile: colorprofile.Detect(out, environ)}
	scr.SetColorProfile(f.profile) // NO_COLOR, TERM, COLORTERM: as bubbletea
	return f
}

// start sets the terminal up as bubbletea's renderer does for an
// alternate-screen view: alternate screen, cursor hidden, bracketed paste,
// modifyOtherKeys and the kitty keyboard's disambiguation (asking which the
// terminal has), and asks whether it has synchronized output.
func (f *frames) start(env uv.Environ) {
	f.scr.EnterAltScreen()
	f.scr.Resize(f.w, f.h)
	f.scr.EnableBracketedPaste()
	_, _ = f.scr.WriteString(ansi.SetModifyOtherKeys2 + ansi.PushKittyKeyboard(1) + ansi.RequestKittyKeyboard)
	if asksSyncOutput(env) {
		_, _ = f.scr.WriteString(ansi.RequestModeSynchronizedOutput)
	}
	_ = f.scr.Flush()
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

// modeReport acts on the terminal's answer about synchronized output.
func (f *frames) modeReport(ev uv.ModeReportEvent) {
	if ev.Mode == ansi.ModeSynchronizedOutput && ev.Value == ansi.ModeReset {
		f.scr.SetSynchronizedUpdates(true)
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
	f.scr.Resize(w, h)
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

// draw puts the wanted view on screen: ultraviolet writes only the cells that
// differ from the last frame (all of them after a resize).
func (f *frames) draw() {
	v := f.want
	if c := v.Cursor; c != nil {
		f.scr.SetCursorPosition(c.X, c.Y)
		if !f.scr.CursorVisible() {
			f.scr.ShowCursor()
		}
		cc := *c
		f.cursor, f.hadCursor = &cc, true
	} else if f.cursor != nil {
		f.scr.HideCursor()
		f.cursor = nil
	}
	_ = f.scr.Display(uv.NewStyledString(v.Content))
	f.drawn, f.stale, f.last = v.Content, false, time.Now()
	f.count++
}

// stop undoes what start set that the terminal's own reset does not (the
// keyboard modes, Unicode core mode, a cursor the view had hidden), before
// the terminal leaves the alternate screen and shows its cursor.
func (f *frames) stop() {
	f.disarm()
	_, _ = f.scr.WriteString(ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1))
	if f.scr.WidthMethod() == ansi.GraphemeWidth {
		_, _ = f.scr.WriteString(ansi.ResetModeUnicodeCore)
	}
	if f.hadCursor && !f.scr.CursorVisible() {
		f.scr.ShowCursor() // the reset shows only a cursor never hidden
	}
}
