package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// lineInput is a line of text being typed: the "/" filter, a prompt's
// name, the login's fields. The bubbles textinput edits it (←/→,
// home/end, ctrl+a/e, ctrl+u/k/w, alt+←/→, delete), so every input of
// the UI edits alike; the UI draws it itself, with a bar for the cursor
// and no blinking (nothing is redrawn while the person doesn't type). Its
// zero value is an empty input.
type lineInput struct {
	m     textinput.Model
	ready bool
}

// newLineInput is an input holding value, the cursor at its end; limit
// is the most runes it takes (0: no limit).
func newLineInput(value string, limit int) lineInput {
	m := textinput.New()
	m.CharLimit = limit
	km := &m.KeyMap
	for _, b := range []*key.Binding{&km.Paste, &km.AcceptSuggestion, &km.NextSuggestion, &km.PrevSuggestion} {
		b.SetEnabled(false) // pasting comes as a paste; no suggestions
	}
	m.Focus()
	m.SetValue(carry(value))
	m.CursorEnd()
	return lineInput{m: m, ready: true}
}

// carried is where a control character of a name is kept while it is
// edited: the textinput drops them, and a name given to edit (a
// playlist's, to rename it) or pasted stays exact. Plane 16's last
// private-use runes: no name has them.
const carried = 0x10FE00

// carry keeps s's control characters (but newlines and tabs, which
// become spaces) from the textinput's sanitiser.
func carry(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\r' && r != '\t' && (r < 0x20 || r >= 0x7f && r < 0xa0) {
			return carried + r
		}
		return r
	}, s)
}

// uncarry is carry's inverse.
func uncarry(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= carried && r < carried+0xa0 {
			return r - carried
		}
		return r
	}, s)
}

func (in *lineInput) init() {
	if !in.ready {
		*in = newLineInput("", 0)
	}
}

// edits reports whether k is one of the input's keys: a character typed,
// or an edit or cursor key of the textinput.
func (in *lineInput) edits(k tea.KeyPressMsg) bool {
	in.init()
	if k.Text != "" && k.Mod&^tea.ModShift == 0 {
		return true
	}
	km := in.m.KeyMap
	return key.Matches(k, km.CharacterForward, km.CharacterBackward, km.WordForward, km.WordBackward,
		km.DeleteWordBackward, km.DeleteWordForward, km.DeleteAfterCursor, km.DeleteBeforeCursor,
		km.DeleteCharacterBackward, km.DeleteCharacterForward, km.LineStart, km.LineEnd)
}

// key applies k, one that [lineInput.edits].
func (in *lineInput) key(k tea.KeyPressMsg) {
	in.init()
	in.m, _ = in.m.Update(k)
}

// insert types s at the cursor (a paste): newlines and tabs become
// spaces, other control characters are dropped.
func (in *lineInput) insert(s string) {
	in.init()
	in.m, _ = in.m.Update(tea.PasteMsg{Content: carry(s)})
}

// set makes value the text, the cursor at its end.
func (in *lineInput) set(value string) {
	in.init()
	in.m.SetValue(carry(value))
	in.m.CursorEnd()
}

func (in *lineInput) value() string { return uncarry(in.m.Value()) }

// view is the text as shown, with the cursor's bar where it is; mask, when
// not "", stands for each rune (a password).
func (in *lineInput) view(mask string) string {
	r := []rune(in.value())
	pos := min(max(in.m.Position(), 0), len(r))
	if mask != "" {
		return strings.Repeat(mask, pos) + "▏" + strings.Repeat(mask, len(r)-pos)
	}
	return shown(string(r[:pos])) + "▏" + shown(string(r[pos:]))
}
