package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// promptKeyMap is the keys of a prompt: a name asked for, or a yes/no
// question.
type promptKeyMap struct {
	Accept, Cancel, Erase, Yes, No key.Binding
}

func newPromptKeys() promptKeyMap {
	return promptKeyMap{
		Accept: newBinding("enter", "accepts", "enter"),
		Cancel: newBinding("esc", "cancels", "esc"),
		Erase:  newBinding("backspace", "erase", "backspace"),
		Yes:    newBinding("y", "yes", "y", "Y"),
		No:     newBinding("n", "no", "n", "N"),
	}
}

// askMsg opens the prompt: a line of text (a playlist's name) when yesNo
// is false, else a yes/no question. done gets the text (or "y") and
// returns what to do; nothing happens on cancel or no.
type askMsg struct {
	title string
	value string // the text to start from
	yesNo bool
	done  func(text string) tea.Cmd
}

// ask is the Cmd a component returns to open the prompt.
func ask(title, value string, done func(string) tea.Cmd) tea.Cmd {
	return func() tea.Msg { return askMsg{title: title, value: value, done: done} }
}

// confirm is the Cmd a component returns to ask a yes/no question; yes
// runs only on y.
func confirm(question string, yes func() tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		return askMsg{title: question, yesNo: true, done: func(string) tea.Cmd { return yes() }}
	}
}

// prompt is the overlay that asks: it has the keys while open.
type prompt struct {
	keys promptKeyMap
	open bool
	ask  askMsg
	in   lineInput
}

func (p *prompt) show(a askMsg) {
	p.open, p.ask, p.in = true, a, newLineInput(a.value, 0)
}

// update handles a key while the prompt is open.
func (p *prompt) update(k tea.KeyPressMsg) tea.Cmd {
	km := p.keys
	switch {
	case key.Matches(k, km.Cancel):
		p.open = false
	case p.ask.yesNo && key.Matches(k, km.Yes):
		p.open = false
		return p.ask.done("y")
	case p.ask.yesNo:
		if key.Matches(k, km.No) || key.Matches(k, km.Accept) {
			p.open = false
		}
	case key.Matches(k, km.Accept):
		name := strings.TrimSpace(p.in.value())
		if name == "" {
			return notice("Type a name first (esc cancels).", true)
		}
		p.open = false
		return p.ask.done(name)
	case p.in.edits(k):
		p.in.key(k)
	}
	return nil
}

// paste types text into the prompt.
func (p *prompt) paste(text string) {
	if p.open && !p.ask.yesNo {
		p.in.insert(oneLineText(text))
	}
}

// oneLineText keeps control characters (a pasted newline) out of a name.
func oneLineText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// view draws the prompt in w×h cells: the question and the text typed
// (which may start as a name, or be pasted) are shown as names are.
func (p *prompt) view(w, h int) []string {
	km := p.keys
	out := []string{stTitle.Render(fit(shown(p.ask.title), w))}
	if p.ask.yesNo {
		out = append(out, stAccent.Render(fit("  "+keyName(km.Yes)+" yes · "+keyName(km.No)+" no", w)))
		return pad(out, w, h)
	}
	out = append(out,
		stAccent.Render(fit("  > "+p.in.view(""), w)),
		stDim.Render(fit("  "+keyName(km.Accept)+" "+km.Accept.Help().Desc+" · "+keyName(km.Cancel)+" "+km.Cancel.Help().Desc, w)))
	return pad(out, w, h)
}
