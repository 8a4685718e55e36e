// Package screen runs a bubbletea model on a terminal and draws its view only
// when it changes: no frame ticker, so a program with nothing to show sleeps.
//
// bubbletea v2.1.1's Program keeps a 60 fps ticker for its whole life (also
// with tea.WithoutRenderer: startRenderer runs whatever the renderer, and
// tea.WithFPS cannot go below 1), and those 60 wake-ups a second cost an idle
// pcplay UI about 1 % of a core (bench/README.md). Run does the Program's job
// with the same parts it is made of: ultraviolet's Terminal (raw mode, input
// decoding, SIGWINCH) and TerminalScreen (the cell renderer that bubbletea's
// own renderer drives), and bubbletea's public Model, Cmd and message types,
// so the model cannot tell the difference. A frame is drawn right after the
// Update that changed the view, at most one per FrameInterval; when Updates
// come faster, a one-shot timer draws the latest view once the interval is
// over. Nothing else wakes the loop.
//
// The view is always drawn full-screen on the alternate screen, with the
// keyboard (modifyOtherKeys, kitty disambiguation) and bracketed paste set
// up as bubbletea does; View.Content and View.Cursor are drawn, the view's
// other fields (mouse, title, colours, keyboard flags, progress bar) are not
// applied. Messages that ask bubbletea's Program for something (tea.Println,
// tea.ClearScreen, tea.Exec, tea.Suspend, terminal queries) reach the model
// as they are, with no effect.
package screen

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// FrameInterval is the shortest time between two frames (60 a second, as
// bubbletea's default).
const FrameInterval = frameInterval

// Run runs m on the terminal in/out until the model returns tea.Quit (or
// SIGTERM: nil error), SIGINT (tea.ErrInterrupted) or the end of ctx
// (tea.ErrProgramKilled wrapping ctx's error); environ is the program's
// environment (TERM, NO_COLOR...). It returns the final model. The terminal
// is restored whatever the way out, also when the model or a command panics
// (the panic goes on after that).
func Run(ctx context.Context, m tea.Model, in, out *os.File, environ []string) (final tea.Model, err error) {
	con := uv.NewConsole(in, out, environ)
	w, h, serr := con.GetSize()
	if serr != nil || w <= 0 || h <= 0 {
		w, h = 80, 24
	}
	t := uv.NewTerminal(con, nil)
	if err := t.Start(); err != nil {
		return m, fmt.Errorf("the terminal: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &program{
		ctx:    ctx,
		msgs:   make(chan tea.Msg),
		term:   t,
		frames: newFrames(t.Screen(), out, environ, w, h),
	}
	p.frames.start(uv.Environ(environ))
	defer func() {
		if r := recover(); r != nil {
			cancel()
			p.restore()
			panic(r)
		}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)

	final, err = p.loop(m, sig)
	cancel()
	return final, p.restore(err)
}

// program is one Run: the model's messages, the terminal, the frames.
type program struct {
	ctx    context.Context
	msgs   chan tea.Msg // results of commands
	term   *uv.Terminal
	frames *frames
	done   bool // the terminal is restored
}

// loop feeds the model its messages and draws what they change, until the
// way out; the error says which way.
func (p *program) loop(m tea.Model, sig <-chan os.Signal) (tea.Model, error) {
	go p.send(tea.ColorProfileMsg{Profile: p.frames.profile})
	p.exec(m.Init())
	p.frames.show(m.View())
	for {
		var msg tea.Msg
		select {
		case <-p.ctx.Done():
			return m, fmt.Errorf("%w: %w", tea.ErrProgramKilled, p.ctx.Err())
		case s := <-sig:
			if s == syscall.SIGINT {
				return m, tea.ErrInterrupted
			}
			msg = tea.QuitMsg{}
		case ev := <-p.term.Events():
			msg = p.input(ev)
		case msg = <-p.msgs:
		case <-p.frames.due():
			p.frames.tick()
			continue
		}
		switch msg := msg.(type) {
		case nil:
			continue
		case tea.QuitMsg:
			p.frames.final(m.View())
			return m, nil
		case tea.InterruptMsg:
			return m, tea.ErrInterrupted
		case cmdPanic:
			p.restore()
			panic(fmt.Sprintf("%v\n\nin a command, at:\n%s", msg.val, msg.stack))
		case tea.BatchMsg:
			for _, c := range msg {
				p.exec(c)
			}
			continue
		}
		if cmds, ok := sequence(msg); ok {
			go p.sequence(cmds)
			continue
		}
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		p.exec(cmd)
		p.frames.show(m.View())
	}
}

// input turns a terminal event into the message bubbletea gives the model
// for it, acting first on those that concern the screen.
func (p *program) input(ev uv.Event) tea.Msg {
	switch ev := ev.(type) {
	case uv.WindowSizeEvent:
		p.frames.resize(ev.Width, ev.Height)
	case uv.ModeReportEvent:
		p.frames.modeReport(ev)
	}
	return translate(ev)
}

// restore gives the terminal back as it was (alternate screen left, cursor
// shown, cooked mode), once; err is passed through.
func (p *program) restore(err ...error) error {
	if !p.done {
		p.done = true
		p.frames.stop()
		if serr := p.term.Stop(); serr != nil && len(err) > 0 && err[0] == nil {
			return fmt.Errorf("restoring the terminal: %w", serr)
		}
	}
	if len(err) > 0 {
		return err[0]
	}
	return nil
}

// cmdPanic is a command's panic, brought to the loop so that the terminal is
// restored before the program dies of it.
type cmdPanic struct {
	val   any
	stack []byte
}

// recoverCmd turns a panic in a command's goroutine into a cmdPanic.
func (p *program) recoverCmd() {
	if r := recover(); r != nil {
		p.send(cmdPanic{val: r, stack: debug.Stack()})
	}
}
