package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/player"
)

// Styles use the 16 basic colours; bubbletea downsamples them to what the
// terminal has (nothing with NO_COLOR), and every mark that matters (cursor,
// playing track, errors) also has a glyph or reverse video so it survives
// without colour.
var (
	stTitle   = lipgloss.NewStyle().Bold(true)
	stAccent  = lipgloss.NewStyle().Foreground(lipgloss.Color("6"))
	stDim     = lipgloss.NewStyle().Faint(true)
	stCursor  = lipgloss.NewStyle().Reverse(true)
	stErr     = lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true)
	stFolder  = lipgloss.NewStyle().Foreground(lipgloss.Color("4")).Bold(true)
	stPlaying = lipgloss.NewStyle().Foreground(lipgloss.Color("2")).Bold(true)
)

// footerLines is the height of the now-playing bar (2) and the status line
// (1, or 2 while a message too long for one line is shown).
func (s *state) footerLines() int {
	if s.msg != "" && ansi.StringWidth("✗ "+s.msg) > s.width {
		return 4
	}
	return 3
}

// View draws the screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.s.render())
	v.AltScreen = true
	return v
}

func (s *state) render() string {
	w, h := s.width, s.height
	if s.quitting {
		return ""
	}
	if w < MinWidth || h < MinHeight {
		return fit(fmt.Sprintf("Terminal too small: pcplay needs %d×%d.", MinWidth, MinHeight), w)
	}
	if s.screen != screenMain {
		return s.renderLogin()
	}
	bodyH := h - s.footerLines()
	var body []string
	switch {
	case s.help:
		body = s.renderHelp(w, bodyH)
	case s.picker:
		body = s.renderPicker(w, bodyH)
	case w >= WideWidth:
		lw := w * 3 / 5
		rw := w - lw - 1
		left := s.renderBrowser(lw, bodyH, s.focus == paneBrowser)
		right := s.renderQueue(rw, bodyH, s.focus == paneQueue)
		sep := stDim.Render("│")
		body = make([]string, bodyH)
		for i := range body {
			body[i] = left[i] + sep + right[i]
		}
	case s.focus == paneQueue:
		body = s.renderQueue(w, bodyH, true)
	default:
		body = s.renderBrowser(w, bodyH, true)
	}
	var b strings.Builder
	for _, l := range body {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	np1, np2 := s.renderNowPlaying(w)
	b.WriteString(np1)
	b.WriteByte('\n')
	b.WriteString(np2)
	b.WriteByte('\n')
	b.WriteString(s.renderStatusLine(w))
	return b.String()
}

// listHeight is the number of rows the focused list shows.
func (s *state) listHeight() int {
	h := s.height - s.footerLines() - 1
	if l := s.focused(); l.typing || l.filter != "" {
		h--
	}
	return max(1, h)
}

// fit pads or truncates plain or styled text to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
}

// leftRight puts l at the left and r at the right of w cells; l is cut first.
func leftRight(l, r string, w int) string {
	rw := ansi.StringWidth(r)
	if rw >= w {
		return fit(r, w)
	}
	if r == "" {
		return fit(l, w)
	}
	return fit(l, w-rw-1) + " " + r
}

// paneTitle draws a pane's first line, and the filter line when filtering.
func paneTitle(title, info string, l *list, w int, focused bool) []string {
	t := leftRight(title, info, w)
	if focused {
		t = stTitle.Render(t)
	} else {
		t = stDim.Render(t)
	}
	out := []string{t}
	switch {
	case l.typing:
		out = append(out, stAccent.Render(fit("/"+l.filter+"▏", w)))
	case l.filter != "":
		out = append(out, stAccent.Render(leftRight("filter: "+l.filter, "esc clears", w)))
	}
	return out
}

func (s *state) renderBrowser(w, h int, focused bool) []string {
	f := s.br.cur()
	names := s.br.breadcrumbs()
	crumbs := strings.Join(names, " › ")
	if cw := ansi.StringWidth(crumbs); cw > w*2/3 && len(names) > 1 {
		crumbs = "… › " + f.title()
	}
	info := ""
	switch {
	case f.loading && f.meta == nil:
		info = "loading…"
	case f.meta != nil && f.list.filter != "":
		info = fmt.Sprintf("%d/%d", f.list.Len(), len(f.items))
	case f.meta != nil:
		info = f.count
	}
	if f.loading && f.meta != nil {
		info = "reloading… " + info
	}
	if s.width < WideWidth {
		info = strings.TrimSpace(info + "  tab: queue")
	}
	out := paneTitle(crumbs, info, &f.list, w, focused)
	rows := h - len(out)
	switch {
	case f.err != "" && f.meta == nil:
		for _, l := range wrap("✗ "+f.err, w-2) {
			out = append(out, stErr.Render(fit("  "+l, w)))
		}
		out = append(out, stDim.Render(fit("  "+keyName(s.keys.Refresh)+" tries again, "+keyName(s.keys.Parent)+" goes back", w)))
	case f.meta == nil:
		out = append(out, stDim.Render(fit("  Loading…", w)))
	case len(f.items) == 0:
		out = append(out, stDim.Render(fit("  (empty folder)", w)))
	case f.list.Len() == 0:
		out = append(out, stDim.Render(fit("  nothing matches “"+f.list.filter+"”", w)))
	default:
		f.list.scroll(rows)
		for r := f.list.offset; r < f.list.Len() && r < f.list.offset+rows; r++ {
			i := f.list.At(r)
			out = append(out, browserRow(f.items[i], f.texts[i], w, focused && r == f.list.cursor))
		}
	}
	return pad(out, w, h)
}

func keyName(b interface{ Keys() []string }) string {
	if k := b.Keys(); len(k) > 0 {
		return k[0]
	}
	return "?"
}

func countText(items []*api.Metadata) string {
	folders, files := 0, 0
	for _, it := range items {
		if it.IsFolder {
			folders++
		} else {
			files++
		}
	}
	var parts []string
	if folders > 0 {
		parts = append(parts, plural(folders, "folder"))
	}
	if files > 0 || folders == 0 {
		parts = append(parts, plural(files, "file"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func browserRow(it *api.Metadata, text string, w int, cursor bool) string {
	mark := "  "
	if cursor {
		mark = "› "
	}
	var icon, size string
	switch {
	case it.IsFolder:
		icon, text = "▸ ", text+"/"
	case it.Playable():
		icon, size = "♪ ", humanSize(it.Size)
	default:
		icon, size = "  ", humanSize(it.Size)
	}
	line := leftRight(mark+icon+text, size, w)
	switch {
	case cursor:
		return stCursor.Render(line)
	case it.IsFolder:
		return stFolder.Render(line)
	case !it.Playable():
		return stDim.Render(line)
	}
	return line
}

func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(max(n, 0), 10) + " B"
	}
	div, exp := int64(unit), 0
	for x := n / unit; x >= unit && exp < 4; x /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTP"[exp])
}

func pad(lines []string, w, h int) []string {
	if len(lines) > h {
		lines = lines[:h]
	}
	blank := strings.Repeat(" ", max(w, 0))
	for len(lines) < h {
		lines = append(lines, blank)
	}
	return lines
}

func (s *state) renderQueue(w, h int, focused bool) []string {
	info := plural(len(s.queue), "track")
	if s.ql.filter != "" {
		info = fmt.Sprintf("%d/%d", s.ql.Len(), len(s.queue))
	}
	if s.width < WideWidth {
		info += "  tab: browser"
	}
	out := paneTitle("Queue", info, &s.ql, w, focused)
	rows := h - len(out)
	switch {
	case len(s.queue) == 0:
		out = append(out, stDim.Render(fit("  The queue is empty: enter plays, a adds.", w)))
	case s.ql.Len() == 0:
		out = append(out, stDim.Render(fit("  nothing matches “"+s.ql.filter+"”", w)))
	default:
		s.ql.scroll(rows)
		num := len(strconv.Itoa(len(s.queue)))
		for r := s.ql.offset; r < s.ql.Len() && r < s.ql.offset+rows; r++ {
			i := s.ql.At(r)
			mark := "  "
			cursor := focused && r == s.ql.cursor
			if cursor {
				mark = "› "
			}
			playing := i == s.st.Index
			pm := "  "
			if playing {
				pm = "▶ "
			}
			line := fit(fmt.Sprintf("%s%s%*d. %s", mark, pm, num, i+1, trackText(s.queue[i])), w)
			switch {
			case cursor:
				line = stCursor.Render(line)
			case playing:
				line = stPlaying.Render(line)
			}
			out = append(out, line)
		}
	}
	return pad(out, w, h)
}

func stateText(st player.State) (string, string) {
	switch st {
	case player.Loading:
		return "…", "Loading"
	case player.Buffering:
		return "…", "Buffering"
	case player.Playing:
		return "▶", "Playing"
	case player.Paused:
		return "⏸", "Paused"
	case player.Reconnecting:
		return "↻", "Reconnecting"
	case player.Errored:
		return "✗", "Error"
	}
	return "■", "Stopped"
}

// renderNowPlaying is the two lines of the now-playing bar. They depend on
// whole seconds only, so a player that reports more often doesn't cause
// more output.
func (s *state) renderNowPlaying(w int) (string, string) {
	st := s.st
	icon, word := stateText(st.State)
	var left, right string
	if st.Index < 0 || (st.Track.FileID == 0 && st.Track.Name == "") {
		left = icon + " " + word + " · nothing playing"
	} else {
		left = icon + " " + word + "  " + trackText(st.Track)
		right = player.Clock(st.Position)
		if st.Duration > 0 {
			right += " / " + player.Clock(st.Duration)
		}
	}
	line1 := leftRight(left, right, w)
	if st.State == player.Playing {
		line1 = stPlaying.Render(line1)
	} else {
		line1 = stTitle.Render(line1)
	}

	info := s.settingsText(false)
	if ansi.StringWidth(info)+11 > w {
		info = s.settingsText(true)
	}
	bw := w - ansi.StringWidth(info) - 1
	if bw < 5 {
		return line1, fit(info, w)
	}
	return line1, progressBar(st, bw) + " " + stDim.Render(info)
}

func (s *state) settingsText(short bool) string {
	st := s.st
	vol := strconv.Itoa(st.Volume) + "%"
	if st.Muted {
		vol = "muted"
	}
	br := "auto"
	if st.Bitrate > 0 {
		br = strconv.Itoa(st.Bitrate) + "k"
	}
	if short {
		parts := []string{br, "vol " + vol}
		if st.Shuffle {
			parts = append(parts, "shuf")
		}
		if st.Repeat != player.RepeatOff {
			parts = append(parts, "rep "+st.Repeat.String())
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprintf("%s · vol %s · shuffle %s · repeat %s", br, vol, onOff(st.Shuffle), st.Repeat.String())
}

func progressBar(st player.Status, w int) string {
	if st.Index < 0 || st.Duration <= 0 {
		return stDim.Render(strings.Repeat("─", w))
	}
	pos := min(st.Position.Truncate(time.Second), st.Duration)
	filled := int(int64(w) * int64(pos) / int64(st.Duration))
	filled = min(max(filled, 0), w)
	return stAccent.Render(strings.Repeat("━", filled)) + stDim.Render(strings.Repeat("─", w-filled))
}

func (s *state) renderStatusLine(w int) string {
	if s.msg != "" {
		st, text := stAccent, s.msg
		if s.msgErr {
			st, text = stErr, "✗ "+s.msg
		}
		lines := wrap(text, w)
		if len(lines) > 2 {
			lines = []string{lines[0], lines[1] + " " + strings.Join(lines[2:], " ")}
		}
		for i, l := range lines {
			lines[i] = st.Render(fit(l, w))
		}
		return strings.Join(lines, "\n")
	}
	k := s.keys
	quit := keyName(k.Quit) + " quit"
	if s.o.Detach {
		quit = keyName(k.Quit) + " leave (music keeps playing)"
	}
	hint := keyName(k.Help) + " help · " + keyName(k.Filter) + " filter · " + keyName(k.Tab) + " switch · " + quit
	return stDim.Render(fit(hint, w))
}

// renderHelp lists every binding, grouped, in as many columns as fit; when
// they don't fit, one column that scrolls with the movement keys.
func (s *state) renderHelp(w, h int) []string {
	groups := s.keys.helpGroups()
	kw, dw := 0, 0
	for _, g := range groups {
		for _, b := range g.bindings {
			kw = max(kw, ansi.StringWidth(b.Help().Key))
			dw = max(dw, ansi.StringWidth(b.Help().Desc))
		}
	}
	colW := kw + 2 + dw
	var blocks [][]string
	for _, g := range groups {
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
	out := []string{stTitle.Render(leftRight("Keys", keyName(s.keys.Help)+" or esc closes", w))}
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
	fits := len(columns) <= cols
	for _, c := range columns {
		fits = fits && len(c) <= rows
	}
	if !fits {
		// One column that scrolls with the movement keys.
		var all []string
		for i, b := range blocks {
			if i > 0 {
				all = append(all, "")
			}
			all = append(all, b...)
		}
		maxOff := max(0, len(all)-rows)
		s.helpOffset = min(max(s.helpOffset, 0), maxOff)
		for _, l := range all[s.helpOffset:min(len(all), s.helpOffset+rows)] {
			out = append(out, fit(l, w))
		}
		if maxOff > 0 {
			out[0] = stTitle.Render(leftRight("Keys ("+keyName(s.keys.Down)+"/"+keyName(s.keys.Up)+" scroll)", keyName(s.keys.Help)+"/esc closes", w))
		}
		return pad(out, w, h)
	}
	for r := 0; r < rows; r++ {
		var b strings.Builder
		for ci, c := range columns {
			if ci > 0 {
				b.WriteString("  ")
			}
			cell := ""
			if r < len(c) {
				cell = c[r]
			}
			b.WriteString(fit(cell, colW))
		}
		out = append(out, fit(b.String(), w))
	}
	return pad(out, w, h)
}

func (s *state) renderPicker(w, h int) []string {
	out := []string{stTitle.Render(leftRight("Bitrate", "enter picks · esc cancels", w))}
	for i, b := range s.o.Bitrates {
		mark := "  "
		if i == s.pickerAt {
			mark = "› "
		}
		cur := ""
		if b == s.st.Bitrate {
			cur = "  (current)"
		}
		line := fit(fmt.Sprintf("%s%3d kbit/s%s", mark, b, cur), w)
		if i == s.pickerAt {
			line = stCursor.Render(line)
		}
		out = append(out, line)
	}
	out = append(out, stDim.Render(fit("  Applies from the next track or seek.", w)))
	return pad(out, w, h)
}

func (s *state) renderLogin() string {
	l := &s.login
	w := s.width
	var lines []string
	add := func(st lipgloss.Style, text string) { lines = append(lines, st.Render(fit(text, w))) }
	plain := lipgloss.NewStyle()
	fieldLine := func(f *field, focused bool) {
		label := fmt.Sprintf("%-9s", f.label+":")
		v := f.shown()
		if focused {
			add(stAccent, "› "+label+" "+v+"▏")
		} else {
			add(plain, "  "+label+" "+v)
		}
	}
	if s.screen == screenTFA {
		add(stTitle, "pcplay · two-factor authentication")
		add(plain, "")
		how := "your authenticator app"
		if l.tfaType == 1 {
			how = "the SMS pCloud sent you"
		}
		add(plain, "Type the code from "+how+".")
		add(plain, "")
		fieldLine(&l.code, true)
		trust := "[ ]"
		if l.trust {
			trust = "[x]"
		}
		add(plain, "  "+trust+" trust this device (ctrl+t)")
		add(plain, "")
		add(stDim, "enter logs in · esc quits")
	} else {
		add(stTitle, "pcplay · log in to pCloud")
		add(plain, "")
		fieldLine(&l.email, l.focus == focusEmail)
		fieldLine(&l.password, l.focus == focusPassword)
		region := fmt.Sprintf("%-9s %s", "Region:", regionText(l.chosenRegion()))
		if l.focus == focusRegion {
			add(stAccent, "› "+region+"  ←/→ changes")
		} else {
			add(plain, "  "+region)
		}
		add(plain, "")
		add(stDim, "enter logs in · tab moves · esc quits")
	}
	switch {
	case l.busy:
		add(plain, "")
		add(stAccent, "Logging in…")
	case l.err != "":
		add(plain, "")
		for _, e := range wrap("✗ "+l.err, w) {
			add(stErr, e)
		}
	}
	return strings.Join(pad(lines, w, s.height), "\n")
}

// wrap breaks text into lines of at most w cells.
func wrap(text string, w int) []string {
	if w < 1 {
		return nil
	}
	return strings.Split(ansi.Wrap(text, w, ""), "\n")
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
