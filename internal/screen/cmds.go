package screen

import (
	"reflect"
	"sync"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// exec runs cmd in its own goroutine and sends its message to the loop, as
// bubbletea does (a command may block: a tick, a network call).
func (p *program) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		defer p.recoverCmd()
		p.send(cmd())
	}()
}

// send gives msg to the loop, or drops it once the loop has ended.
func (p *program) send(msg tea.Msg) {
	if msg == nil {
		return
	}
	select {
	case p.msgs <- msg:
	case <-p.ctx.Done():
	}
}

// cmdType is [tea.Cmd]'s type, to recognise [tea.Sequence]'s message.
var cmdType = reflect.TypeFor[tea.Cmd]()

// sequence returns the commands of [tea.Sequence]'s message (an unexported
// []tea.Cmd type; [tea.BatchMsg] is handled before).
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// sequence runs cmds one after the other, each one's message sent before the
// next starts; a batch among them is waited for, as bubbletea does.
func (p *program) sequence(cmds []tea.Cmd) {
	defer p.recoverCmd()
	for _, c := range cmds {
		if c != nil {
			p.settle(c())
		}
	}
}

// settle sends msg, or runs it to its end when it is a batch or a sequence.
func (p *program) settle(msg tea.Msg) {
	if b, ok := msg.(tea.BatchMsg); ok {
		var wg sync.WaitGroup
		for _, c := range b {
			if c == nil {
				continue
			}
			wg.Go(func() {
				defer p.recoverCmd()
				p.settle(c())
			})
		}
		wg.Wait()
		return
	}
	if cmds, ok := sequence(msg); ok {
		p.sequence(cmds)
		return
	}
	p.send(msg)
}

// translate gives the model a terminal event as bubbletea's message for it
// (the types are the same events under bubbletea's names).
func translate(ev uv.Event) tea.Msg {
	switch e := ev.(type) {
	case uv.KeyPressEvent:
		return tea.KeyPressMsg(e)
	case uv.KeyReleaseEvent:
		return tea.KeyReleaseMsg(e)
	case uv.PasteEvent:
		return tea.PasteMsg(e)
	case uv.PasteStartEvent:
		return tea.PasteStartMsg(e)
	case uv.PasteEndEvent:
		return tea.PasteEndMsg(e)
	case uv.WindowSizeEvent:
		return tea.WindowSizeMsg(e)
	case uv.ModeReportEvent:
		return tea.ModeReportMsg(e)
	case uv.KeyboardEnhancementsEvent:
		return tea.KeyboardEnhancementsMsg(e)
	case uv.FocusEvent:
		return tea.FocusMsg(e)
	case uv.BlurEvent:
		return tea.BlurMsg(e)
	case uv.MouseClickEvent:
		return tea.MouseClickMsg(e)
	case uv.MouseReleaseEvent:
		return tea.MouseReleaseMsg(e)
	case uv.MouseWheelEvent:
		return tea.MouseWheelMsg(e)
	case uv.MouseMotionEvent:
		return tea.MouseMotionMsg(e)
	case uv.ClipboardEvent:
		return tea.ClipboardMsg(e)
	case uv.ForegroundColorEvent:
		return tea.ForegroundColorMsg(e)
	case uv.BackgroundColorEvent:
		return tea.BackgroundColorMsg(e)
	case uv.CursorColorEvent:
		return tea.CursorColorMsg(e)
	case uv.CursorPositionEvent:
		return tea.CursorPositionMsg(e)
	case uv.CapabilityEvent:
		return tea.CapabilityMsg(e)
	case uv.TerminalVersionEvent:
		return tea.TerminalVersionMsg(e)
	}
	return ev
}
