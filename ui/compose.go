package ui

import (
	"fmt"
	"strings"
)

// settle brings what [Model.View] reads in line with the model after each message:
// the scroll offsets of the lists on screen (so the cursor is in sight) and
// the help overlay's. View itself changes nothing.
func (m *model) settle() {
	w, h := m.width, m.height
	if m.quitting || w < MinWidth || h < MinHeight {
		return
	}
	if m.screen != screenMain {
		if m.help.open {
			m.help.clamp(w, h)
		}
		return
	}
	bodyH := h - m.bar.lines(w)
	switch {
	case m.help.open:
		m.help.clamp(w, bodyH)
		return
	case m.picker.open, m.plPick.open, m.prompt.open:
		return
	case m.lyrics.open:
		m.lyrics.settle(m.bar.st)
		return
	}
	wide := w >= WideWidth
	if wide || m.focus == paneView {
		l := m.views[m.cur].list()
		vw := w
		if wide {
			vw = w * 3 / 5 // as render
		}
		l.scroll(bodyH - 1 - m.filter.lines(l) - headLines(m.views[m.cur], vw))
	}
	if wide || m.focus == paneQueue {
		l := &m.queue.list
		l.scroll(bodyH - 1 - m.filter.lines(l))
	}
}

// headLines is the rows a view draws between its title and its list
// (the browser's waiting line).
func headLines(v view, w int) int {
	if hv, ok := v.(interface{ headLines(w int) int }); ok {
		return hv.headLines(w)
	}
	return 0
}

// listHeight is the number of rows the focused list shows.
func (m *model) listHeight() int {
	return max(1, m.height-m.bar.lines(m.width)-1-m.filter.lines(m.focused()))
}

// render composes the screen from the components' views.
func (m *model) render() string {
	w, h := m.width, m.height
	if m.quitting {
		return ""
	}
	if w < MinWidth || h < MinHeight {
		return fit(fmt.Sprintf("Terminal too small: pcplay needs %d×%d.", MinWidth, MinHeight), w)
	}
	if m.screen == screenLogin {
		if m.help.open {
			return strings.Join(m.help.view(w, h), "\n")
		}
		return m.login.view(w, h)
	}
	var b strings.Builder
	for _, l := range m.body(w, h-m.bar.lines(w)) {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString(m.bar.view(w))
	return b.String()
}

// body is the screen above the bar: an overlay, or the view and the queue
// side by side when wide enough, else the one that has the focus.
func (m *model) body(w, h int) []string {
	v := m.views[m.cur]
	narrow := w < WideWidth
	switch {
	case m.prompt.open:
		return m.prompt.view(w, h)
	case m.plPick.open:
		return m.plPick.view(w, h)
	case m.help.open:
		return m.help.view(w, h)
	case m.picker.open:
		return m.picker.view(w, h, m.bar.st.Bitrate)
	case m.np.open:
		return m.nowView(w, h)
	case m.lyrics.open:
		return m.lyrics.view(w, h, m.bar.st, m.lyrics.shownPos)
	case !narrow:
		lw := w * 3 / 5
		rw := w - lw - 1
		left := v.view(lw, h, m.focus == paneView, false)
		right := m.queue.view(rw, h, m.focus == paneQueue, false, m.keys.Tab, m.filter)
		sep := stDim.Render("│")
		body := make([]string, h)
		for i := range body {
			body[i] = left[i] + sep + right[i]
		}
		return body
	case m.focus == paneQueue:
		return m.queue.view(w, h, true, true, m.keys.Tab, m.filter)
	}
	return v.view(w, h, true, true)
}
