// Package screen runs a bubbletea model on a terminal and draws its view only
// when it changes: no frame ticker, so a program with nothing to show sleeps.
//
// bubbletea v2.1.1's Program keeps a 60 fps ticker for its whole life (also
// with [tea.WithoutRenderer]: startRenderer runs whatever the renderer, and
// [tea.WithFPS] cannot go below 1), and those 60 wake-ups a second cost an idle
// pcplay UI about 1 % of a core (bench/README.md). [Run] does the Program's job
// with the parts it is made of: ultraviolet's Terminal (raw mode, input
// decoding, SIGWINCH) and TerminalRenderer (the cell renderer bubbletea's own
// renderer drives), and bubbletea's public Model, Cmd and message types, so
// the model cannot tell the difference. A frame is drawn right after the
// Update that changed the view, at most 60 a second (bubbletea's default
// frame rate); when Updates come faster, a one-shot timer draws the latest
// view once the interval is over. Nothing else wakes the loop.
//
// The view is always drawn full-screen on the alternate screen, with the
// keyboard (modifyOtherKeys, kitty disambiguation) and bracketed paste set
// up as bubbletea does; View.Content and View.Cursor are drawn, the view's
// other fields (mouse, title, colours, keyboard flags, progress bar) are not
// applied. [tea.Raw]'s text is written to the terminal as it is, after the
// frame that waits; [tea.ClearScreen] clears the screen and draws every cell
// again (what was written over them is gone). Other messages that ask
// bubbletea's Program for something ([tea.Println], [tea.Exec],
// [tea.Suspend]) reach the model as they are, with no effect. A terminal that goes away is noticed by its
// SIGHUP (the caller's context ends), not by a failed read: ultraviolet's
// Terminal does not report that one.
package screen

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"reflect"
	"runtime/debug"
	"syscall"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// Run runs m on the terminal in/out (nil: [os.Stdin], [os.Stdout]) until the
// model returns [tea.Quit] (or SIGTERM: nil error), SIGINT ([tea.ErrInterrupted])
// or the end of ctx ([tea.ErrProgramKilled] wrapping ctx's error); environ is
// the program's environment (TERM, NO_COLOR...). It returns the final model.
// The terminal is restored whatever the way out. A panic in the model or in
// a command ends it as bubbletea's Program does: the terminal restored, the
// panic and its stack on stderr, [tea.ErrProgramPanic] (and ErrProgramKilled).
func Run(ctx context.Context, m tea.Model, in, out *os.File, environ []string) (final tea.Model, err error) {
	if in == nil {
		in = os.Stdin
	}
	if out == nil {
		out = os.Stdout
	}
	con := uv.NewConsole(in, out, environ)
	w, h, serr := con.GetSize()
	guessed := serr != nil || w <= 0 || h <= 0
	if guessed {
		w, h = 80, 24 // the terminal will not tell: the model is told this
	}
	t := uv.NewTerminal(con, nil)
	if err := t.Start(); err != nil {
		_ = t.Stop() // undoes what Start did of raw mode
		return m, fmt.Errorf("the terminal: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &program{
		ctx:    ctx,
		msgs:   make(chan tea.Msg),
		term:   t,
		frames: newFrames(out, environ, w, h),
		model:  m,
	}
	p.frames.start(uv.Environ(environ))
	if guessed {
		go p.send(tea.WindowSizeMsg{Width: w, Height: h})
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	defer func() {
		cancel() // commands still running drop their messages
		if r := recover(); r != nil {
			err = panicError{val: r, stack: debug.Stack()}
		}
		if rerr := p.restore(); err == nil {
			err = rerr
		}
		if pe, ok := err.(panicError); ok {
			fmt.Fprintf(panicOut, "caught panic: %v\n\n%s\n", pe.val, pe.stack)
		}
		final = p.model
	}()
	err = p.loop(sig)
	return p.model, err
}

// clearScreenType is [tea.ClearScreen]'s message type (unexported).
var clearScreenType = reflect.TypeOf(tea.ClearScreen())

// panicOut is where a caught panic is told (stderr; tests take it).
var panicOut io.Writer = os.Stderr

// panicError is a panic caught in the model or a command.
type panicError struct {
	val   any
	stack []byte
}

func (e panicError) Error() string { return fmt.Sprintf("%v: %v", tea.ErrProgramPanic, e.val) }

func (e panicError) Is(target error) bool {
	return target == tea.ErrProgramPanic || target == tea.ErrProgramKilled
}

// program is one [Run]: the model's messages, the terminal, the frames.
type program struct {
	ctx    context.Context
	msgs   chan tea.Msg // results of commands
	term   *uv.Terminal
	frames *frames
	model  tea.Model // the latest model
	done   bool      // the terminal is restored
}

// loop feeds the model its messages and draws what they change, until the
// way out; the error says which way.
func (p *program) loop(sig <-chan os.Signal) error {
	m := p.model
	go p.send(tea.ColorProfileMsg{Profile: p.frames.profile})
	p.exec(m.Init())
	p.frames.show(m.View())
	for {
		var msg tea.Msg
		select {
		case <-p.ctx.Done():
			return fmt.Errorf("%w: %w", tea.ErrProgramKilled, p.ctx.Err())
		case s := <-sig:
			if s == syscall.SIGINT {
				return tea.ErrInterrupted
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
			return nil
		case tea.InterruptMsg:
			return tea.ErrInterrupted
		case panicError:
			return msg
		case tea.BatchMsg:
			for _, c := range msg {
				p.exec(c)
			}
			continue
		case tea.RawMsg:
			// Written as it is, after the frame that waits (a picture
			// placed over the cells the model left blank for it).
			p.frames.raw(fmt.Sprint(msg.Msg))
			continue
		}
		if reflect.TypeOf(msg) == clearScreenType {
			p.frames.repaint() // every cell drawn again: a picture over them is gone
			continue
		}
		if cmds, ok := sequence(msg); ok {
			go p.sequence(cmds)
			continue
		}
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		p.model = m
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
// shown, cooked mode), once.
func (p *program) restore() error {
	if p.done {
		return nil
	}
	p.done = true
	p.frames.stop()
	if err := p.term.Stop(); err != nil {
		return fmt.Errorf("restoring the terminal: %w", err)
	}
	return nil
}

// recoverCmd turns a panic in a command's goroutine into a panicError for
// the loop, which ends the program with the terminal restored.
func (p *program) recoverCmd() {
	if r := recover(); r != nil {
		p.send(panicError{val: r, stack: debug.Stack()})
	}
}
