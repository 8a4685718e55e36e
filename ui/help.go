package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpKeyMap is the keys of the help overlay.
type helpKeyMap struct {
	Close, Esc                              key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

func newHelpKeys(k KeyMap) helpKeyMap {
	return helpKeyMap{
		Close: k.Help, Esc: newBinding("esc", "closes", "esc"),
		Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom,
	}
}

// helpGroup is a named group of bindings in the help overlay.
type helpGroup struct {
	name     string
	bindings []key.Binding
}

// helpOverlay lists the bindings of the components, grouped, in as many
// columns as fit; when they don't fit, in one column that scrolls.
type helpOverlay struct {
	keys   helpKeyMap
	groups []helpGroup
	open   bool
	offset int // first line shown when it scrolls
}

// show opens the overlay on groups, at its top.
func (o *helpOverlay) show(groups []helpGroup) {
	o.groups, o.open, o.offset = groups, true, 0
}

// update handles a key while the overlay is open; page is half a screen.
func (o *helpOverlay) update(k tea.KeyPressMsg, page int) {
	km := o.keys
	switch {
	case key.Matches(k, km.Close), key.Matches(k, km.Esc):
		o.open = false
		o.offset = 0
	case key.Matches(k, km.Up):
		o.offset--
	case key.Matches(k, km.Down):
		o.offset++
	case key.Matches(k, km.PageUp):
		o.offset -= page
	case key.Matches(k, km.PageDown):
		o.offset += page
	case key.Matches(k, km.Top):
		o.offset = 0
	case key.Matches(k, km.Bottom):
		o.offset = 1 << 30 // past any end: clamp brings it back to the last page
	}
}

// helpLayout is the overlay laid out for a size: columns when they fit,
// else all lines in one column that scrolls.
type helpLayout struct {
	colW    int
	columns [][]string // nil when it scrolls
	all     []string
	rows    int
}

func (o *helpOverlay) layout(w, h int) helpLayout {
	kw, dw := 0, 0
	for _, g := range o.groups {
		for _, b := range g.bindings {
			kw = max(kw, ansi.StringWidth(b.Help().Key))
			dw = max(dw, ansi.StringWidth(b.Help().Desc))
		}
	}
	colW := kw + 2 + dw
	var blocks [][]string
	for _, g := range o.groups {
		block := []string{stTitle.Render(g.name)}
		for _, b := range g.bindings {
			if !b.Enabled() {
				continue
			}
			hp := b.Help()
			block = append(block, stAccent.Render(fit(hp.Key, kw))+"  "+hp.Desc)
		}
		blocks = append(blocks, block)
	}
	rows := h - 1
	cols := max(1, (w+2)/(colW+2))
	// Fill columns top to bottom with whole groups, as short as they can be.
	total := 0
	for _, b := range blocks {
		total += len(b) + 1
	}
	var columns [][]string
	for target := max(1, total/cols); target <= rows; target++ {
		columns = packColumns(blocks, target)
		if len(columns) <= cols {
			break
		}
	}
	if len(columns) == 0 {
		columns = packColumns(blocks, rows)
	}
	if fitsIn(columns, cols, rows) {
		return helpLayout{colW: colW, columns: columns, rows: rows}
	}
	// Whole groups do not fit: let a group go on at the top of the next
	// column, rather than scroll what the screen can show at once.
	if columns = flowColumns(blocks, rows); fitsIn(columns, cols, rows) {
		return helpLayout{colW: colW, columns: columns, rows: rows}
	}
	var all []string
	for i, b := range blocks {
		if i > 0 {
			all = append(all, "")
		}
		all = append(all, b...)
	}
	return helpLayout{all: all, rows: rows}
}

// clamp keeps the scroll offset inside the lines, for a w×h overlay.
func (o *helpOverlay) clamp(w, h int) {
	if l := o.layout(w, h); l.columns == nil {
		o.offset = min(max(o.offset, 0), max(0, len(l.all)-l.rows))
	}
}

// view draws the overlay in w×h cells.
func (o *helpOverlay) view(w, h int) []string {
	km := o.keys
	out := []string{stTitle.Render(leftRight("Keys", keyName(km.Close)+" or "+keyName(km.Esc)+" "+km.Esc.Help().Desc, w))}
	l := o.layout(w, h)
	if l.columns == nil {
		off := min(max(o.offset, 0), max(0, len(l.all)-l.rows)) // clamp settled it; View must not
		for _, line := range l.all[off:min(len(l.all), off+l.rows)] {
			out = append(out, fit(line, w))
		}
		if len(l.all) > l.rows {
			out[0] = stTitle.Render(leftRight("Keys ("+keyName(km.Down)+"/"+keyName(km.Up)+" scroll)", keyName(km.Close)+"/"+keyName(km.Esc)+" "+km.Esc.Help().Desc, w))
		}
		return pad(out, w, h)
	}
	for r := 0; r < l.rows; r++ {
		var b strings.Builder
		for ci, c := range l.columns {
			if ci > 0 {
				b.WriteString("  ")
			}
			cell := ""
			if r < len(c) {
				cell = c[r]
			}
			b.WriteString(fit(cell, l.colW))
		}
		out = append(out, fit(b.String(), w))
	}
	return pad(out, w, h)
}

// fitsIn reports whether columns fit in cols columns of rows lines.
func fitsIn(columns [][]string, cols, rows int) bool {
	fits := len(columns) <= cols
	for _, c := range columns {
		fits = fits && len(c) <= rows
	}
	return fits
}

// flowColumns puts the lines of the blocks, a blank line between blocks,
// into columns of height lines, a block going on in the next column when
// the column is full; no column starts with a blank line, and none ends
// with a block's title alone.
func flowColumns(blocks [][]string, height int) [][]string {
	var columns [][]string
	var col []string
	for _, b := range blocks {
		if len(col) > 0 {
			if len(col)+min(3, 1+len(b)) > height { // the blank line, the title and a line of it: start anew
				columns, col = append(columns, col), nil
			} else {
				col = append(col, "")
			}
		}
		for _, line := range b {
			if len(col) == height {
				columns, col = append(columns, col), nil
			}
			col = append(col, line)
		}
	}
	return append(columns, col)
}

// packColumns puts whole blocks, separated by a blank line, into columns of
// at most height lines (a block taller than that gets a column of its own).
func packColumns(blocks [][]string, height int) [][]string {
	var columns [][]string
	var col []string
	for _, b := range blocks {
		if len(col) > 0 && len(col)+1+len(b) > height {
			columns = append(columns, col)
			col = nil
		}
		if len(col) > 0 {
			col = append(col, "")
		}
		col = append(col, b...)
	}
	return append(columns, col)
}
