package ui

import (
	"strings"
	"time"

	"github.com/pcplay/pcplay/player"
)

// view draws the pane in w×h cells for the player's status st at pos.
func (p *lyricsPane) view(w, h int, st player.Status, pos time.Duration) []string {
	km := p.keys
	title := "Lyrics"
	if st.Index >= 0 {
		title += " · " + st.Track.Label()
	}
	hint := keyName(km.Close) + "/" + keyName(km.Esc) + " closes"
	out := []string{stTitle.Render(leftRight(shown(title), hint, w))}
	body := h - 2
	var lines []string
	ly := p.st
	switch {
	case p.e.o.Lyrics == nil:
		lines = wrap("This pcplay has no lyrics service.", w)
	case st.Index < 0:
		lines = wrap("Nothing is playing.", w)
	case ly.FileID != st.Track.FileID || ly.Loading:
		lines = wrap("Looking for lyrics…", w)
	case ly.Lyrics.Empty():
		lines = wrap(shown(ly.Missing()), w)
	case ly.Lyrics.Synced():
		lines = p.syncedLines(w, body, pos)
	default:
		text := ly.Lyrics.TextLines()
		start := max(0, min(p.offset, len(text)-body))
		for _, l := range text[start:] {
			lines = append(lines, fit("  "+shown(l), w))
			if len(lines) >= body {
				break
			}
		}
	}
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	out = append(out, pad(lines, w, body)...)
	foot := ""
	if ly.Lyrics != nil && !ly.Lyrics.Empty() && ly.FileID == st.Track.FileID {
		foot = "from " + ly.Lyrics.Source
		if !ly.Lyrics.Synced() {
			foot += " · " + keyName(km.Up) + "/" + keyName(km.Down) + " scroll"
		}
	}
	return append(out, stDim.Render(fit(shown(foot), w)))
}

// syncedLines are the lines around the one sung at pos, that one marked
// and kept in the middle.
func (p *lyricsPane) syncedLines(w, h int, pos time.Duration) []string {
	ls := p.st.Lyrics.Lines
	cur := p.st.Lyrics.LineAt(pos)
	start := max(0, min(cur-h/2, len(ls)-h))
	var out []string
	for i := start; i < len(ls) && len(out) < h; i++ {
		text := shown(ls[i].Text)
		if strings.TrimSpace(text) == "" {
			text = "♪"
		}
		switch {
		case i == cur:
			out = append(out, stPlaying.Render(fit("▶ "+text, w)))
		case i < cur:
			out = append(out, stDim.Render(fit("  "+text, w)))
		default:
			out = append(out, fit("  "+text, w))
		}
	}
	return out
}
