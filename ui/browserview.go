package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/pcplay/pcplay/api"
)

// view draws the browser in w×h cells; narrow adds the tab hint.
func (b *browser) view(w, h int, focused, narrow bool) []string {
	f := b.cur()
	info := b.info(f)
	if narrow {
		info = strings.TrimSpace(info + "  " + keyName(b.tab) + ": queue")
	}
	// The breadcrumbs shorten from the left, a folder at a time, only as
	// much as the row needs beside info.
	names := b.breadcrumbs()
	room := w - ansi.StringWidth(shown(info)) - 2
	crumbs := strings.Join(names, " › ")
	for i := 1; i < len(names) && ansi.StringWidth(shown(crumbs)) > room; i++ {
		crumbs = "… › " + strings.Join(names[i:], " › ")
	}
	out := paneTitle(crumbs, info, &f.list, b.filter, w, focused)
	for _, l := range b.waitLines(f, w) {
		out = append(out, stErr.Render(fit("  "+l, w)))
	}
	rows := h - len(out)
	switch {
	case f.meta == nil && b.wait != nil && b.wait.f == f:
		// waiting for the first listing: the line above says why
	case f.err != "" && f.meta == nil:
		for _, l := range wrap("✗ "+shown(f.err), w-2) {
			out = append(out, stErr.Render(fit("  "+l, w)))
		}
		out = append(out, stDim.Render(fit("  "+keyName(b.keys.Refresh)+" tries again, "+keyName(b.keys.Parent)+" goes back", w)))
	case f.meta == nil:
		out = append(out, stDim.Render(fit("  Loading…", w)))
	case len(f.items) == 0:
		out = append(out, stDim.Render(fit("  (empty folder)", w)))
	case f.list.Len() == 0:
		out = append(out, stDim.Render(fit("  nothing matches “"+shown(f.list.filter)+"”", w)))
	default:
		for r := f.list.offset; r < f.list.Len() && r < f.list.offset+rows; r++ {
			i := f.list.At(r)
			out = append(out, b.row(f.items[i], f.texts[i], w, focused && r == f.list.cursor))
		}
	}
	return pad(out, w, h)
}

// info is the right of the title line: the folder's counts, or how far it
// is loaded.
func (b *browser) info(f *folder) string {
	info := ""
	switch {
	case b.wait != nil && b.wait.back == f:
		info = "opening " + b.wait.f.title() + "…"
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
	return info
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

// row is one item; the track the player is on has ▶ and the playing style.
func (b *browser) row(it *api.Metadata, text string, w int, cursor bool) string {
	mark := "  "
	if cursor {
		mark = "› "
	}
	var icon, size string
	switch {
	case it.IsFolder:
		icon, text = "▸ ", text+"/"
	case it.Playable():
		icon, size = b.e.trackIcon(it.FileID), humanSize(it.Size)
	default:
		icon, size = "  ", humanSize(it.Size)
	}
	line := leftRight(mark+icon+text, size, w)
	switch {
	case cursor:
		return stCursor.Render(line)
	case it.IsFolder:
		return stFolder.Render(line)
	case b.e.isPlaying(it.FileID):
		return stPlaying.Render(line)
	case !it.Playable():
		return stDim.Render(line)
	}
	return line
}

// waitLines are the waiting lines (retry.go) of a listing and of an add,
// each wrapped in at most two rows of w cells.
func (b *browser) waitLines(f *folder, w int) []string {
	var out []string
	for _, line := range []string{b.waitLine(f), b.addLine()} {
		if line != "" {
			lines := wrap("↻ "+shown(line), w-2)
			out = append(out, lines[:min(len(lines), 2)]...)
		}
	}
	return out
}

// headLines is the rows the waiting line takes above the list in a pane
// w cells wide.
func (b *browser) headLines(w int) int { return len(b.waitLines(b.cur(), w)) }
