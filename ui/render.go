package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
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
	stPlain   = lipgloss.NewStyle()
)

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

// pad cuts or fills lines to exactly h lines of w cells.
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

// wrap breaks text into lines of at most w cells.
func wrap(text string, w int) []string {
	if w < 1 {
		return nil
	}
	return strings.Split(ansi.Wrap(text, w, ""), "\n")
}

// paneTitle draws a pane's first line, and the filter line when filtering.
// title and info are plain text that may carry names: they are shown.
func paneTitle(title, info string, l *list, filter filterInput, w int, focused bool) []string {
	t := leftRight(shown(title), shown(info), w)
	if focused {
		t = stTitle.Render(t)
	} else {
		t = stDim.Render(t)
	}
	out := []string{t}
	if line, ok := filter.view(l, w); ok {
		out = append(out, line)
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
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

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
