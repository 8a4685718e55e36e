package ui

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// pickerKeyMap is the keys of the bitrate picker.
type pickerKeyMap struct {
	Pick, Cancel, Close   key.Binding
	Up, Down, Top, Bottom key.Binding
}

func newPickerKeys(k KeyMap) pickerKeyMap {
	return pickerKeyMap{
		Pick: k.Open, Cancel: newBinding("esc", "cancels", "esc"), Close: k.Bitrate,
		Up: k.Up, Down: k.Down, Top: k.Top, Bottom: k.Bottom,
	}
}

// move is where a picker's cursor at goes on k in a list of n rows, and
// whether k was a move.
func (km pickerKeyMap) move(k tea.KeyPressMsg, at, n int) (int, bool) {
	switch {
	case key.Matches(k, km.Up):
		return max(0, at-1), true
	case key.Matches(k, km.Down):
		return min(n-1, at+1), true
	case key.Matches(k, km.Top):
		return 0, true
	case key.Matches(k, km.Bottom):
		return n - 1, true
	}
	return at, false
}

// bitratePicker is the overlay that picks the stream bitrate.
type bitratePicker struct {
	keys     pickerKeyMap
	bitrates []int // the choices ([Options.Bitrates])
	open     bool
	rows     []int // the choices shown: with the current one when it is none of them
	at       int   // the row under the cursor
}

// show opens the picker on the current bitrate; one that is not among the
// choices (--bitrate 96) is shown in its place among them, marked current.
func (p *bitratePicker) show(current int) {
	p.open = true
	p.rows = slices.Clone(p.bitrates)
	if current > 0 && !slices.Contains(p.rows, current) {
		p.rows = append(p.rows, current)
		slices.Sort(p.rows)
	}
	p.at = max(0, slices.Index(p.rows, current))
}

// update handles a key while the picker is open; a pick comes back as a
// bitrateMsg.
func (p *bitratePicker) update(k tea.KeyPressMsg) tea.Cmd {
	km := p.keys
	if at, moved := km.move(k, p.at, len(p.rows)); moved {
		p.at = at
		return nil
	}
	switch {
	case key.Matches(k, km.Cancel), key.Matches(k, km.Close):
		p.open = false
	case key.Matches(k, km.Pick):
		p.open = false
		b := p.rows[p.at]
		return func() tea.Msg { return bitrateMsg{b} }
	}
	return nil
}

// view draws the picker in w×h cells; current is the bitrate in use.
func (p *bitratePicker) view(w, h, current int) []string {
	km := p.keys
	hint := keyName(km.Pick) + " picks · " + keyName(km.Cancel) + " " + km.Cancel.Help().Desc
	out := []string{stTitle.Render(leftRight("Bitrate", hint, w))}
	for i, b := range p.rows {
		mark := "  "
		if i == p.at {
			mark = "› "
		}
		cur := ""
		if b == current {
			cur = "  (current)"
		}
		line := fit(fmt.Sprintf("%s%3d kbit/s%s", mark, b, cur), w)
		if i == p.at {
			line = stCursor.Render(line)
		}
		out = append(out, line)
	}
	out = append(out, stDim.Render(fit("  Applies from the next track or seek.", w)))
	return pad(out, w, h)
}
