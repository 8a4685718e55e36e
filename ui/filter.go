package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// filterKeyMap is the keys of the filter input while it is open, and Cancel
// also clears a kept filter afterwards.
type filterKeyMap struct {
	Cancel           key.Binding // close the input and clear the filter
	Accept           key.Binding // keep the filter, close the input
	Up, Down         key.Binding // move in the filtered rows
	PageUp, PageDown key.Binding
	Erase, Clear     key.Binding
	Edit             key.Binding // the cursor and word keys (help only)
}

func newFilterKeys(k KeyMap) filterKeyMap {
	return filterKeyMap{
		Cancel:   newBinding("esc", "clears", "esc"),
		Accept:   newBinding("enter", "keeps the filter", "enter"),
		Up:       newBinding("↑", "up", "up"),
		Down:     newBinding("↓", "down", "down"),
		PageUp:   k.PageUp,
		PageDown: k.PageDown,
		Erase:    newBinding("backspace", "erase", "backspace"),
		Clear:    newBinding("ctrl+u", "clear to the start", "ctrl+u"),
		Edit:     editBinding,
	}
}

// editBinding is, in the help overlay, the keys every text input edits
// with (the bubbles textinput's).
var editBinding = newBinding("ctrl+a/e/w/k", "start, end, del word, del rest", "ctrl+a", "ctrl+e", "ctrl+w", "ctrl+k")

// helpBindings is the keys as the help overlay lists them (the page keys
// are the Move group's).
func (km filterKeyMap) helpBindings() []key.Binding {
	return []key.Binding{km.Accept, km.Cancel, km.Up, km.Down, km.Erase, km.Clear, km.Edit}
}

// filterInput is the "/" filter of a list. Its text and whether it is open
// belong to each list (the browser's folders and the queue filter apart);
// filterInput is the component that edits and draws them.
type filterInput struct{ keys filterKeyMap }

// update handles a key while the input is open: text edits the filter,
// arrows move, Accept keeps the filter and closes the input, Cancel clears
// it. page is the rows of a page.
func (f filterInput) update(k tea.KeyPressMsg, l *list, page int) {
	km := f.keys
	f.sync(l)
	switch {
	case key.Matches(k, km.Cancel):
		l.typing = false
		l.setFilter("")
	case key.Matches(k, km.Accept):
		l.typing = false
	case key.Matches(k, km.Erase) && l.filter == "":
		l.typing = false
	case key.Matches(k, km.Up):
		l.move(-1)
	case key.Matches(k, km.Down):
		l.move(1)
	case key.Matches(k, km.PageUp):
		l.move(-page)
	case key.Matches(k, km.PageDown):
		l.move(page)
	case l.edit.edits(k):
		l.edit.key(k)
		l.setFilter(l.edit.value())
	}
}

// sync makes the input hold the list's filter (it was set or cleared
// without it), the cursor at its end.
func (f filterInput) sync(l *list) {
	if l.edit.value() != l.filter || !l.edit.ready {
		l.edit.set(l.filter)
	}
}

// paste types text into an open input.
func (f filterInput) paste(l *list, text string) {
	if l.typing {
		f.sync(l)
		l.edit.insert(text)
		l.setFilter(l.edit.value())
	}
}

// clears reports whether k clears a kept filter (the input being closed).
func (f filterInput) clears(k tea.KeyPressMsg) bool { return key.Matches(k, f.keys.Cancel) }

// lines is how many lines the filter takes above the rows: 1 while open or
// kept, else 0.
func (f filterInput) lines(l *list) int {
	if l.typing || l.filter != "" {
		return 1
	}
	return 0
}

// view is the filter line, and whether there is one. The filter, typed
// or pasted, is shown as the names are.
func (f filterInput) view(l *list, w int) (string, bool) {
	switch {
	case l.typing:
		f.sync(l)
		return stAccent.Render(fit("/"+l.edit.view(""), w)), true
	case l.filter != "":
		c := f.keys.Cancel.Help()
		return stAccent.Render(leftRight("filter: "+shown(l.filter), c.Key+" "+c.Desc, w)), true
	}
	return "", false
}
