package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/pcplay/pcplay/player"
)

// lines is the bar's height: the now-playing bar (2) and the status line
// (1, or 2 while a message too long for one line is shown).
func (b *statusBar) lines(w int) int {
	if msg, _ := b.message(); msg != "" && ansi.StringWidth("✗ "+msg) > w {
		return 4
	}
	return 3
}

// view draws the bar, w cells wide.
func (b *statusBar) view(w int) string {
	np1, np2 := b.nowPlaying(w)
	return np1 + "\n" + np2 + "\n" + b.statusLine(w)
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
	case player.Waiting:
		return "↻", "Waiting for pCloud"
	}
	return "■", "Stopped"
}

// nowPlaying is the two lines of the now-playing bar. They depend on whole
// seconds only, so a player that reports more often doesn't cause more
// output.
func (b *statusBar) nowPlaying(w int) (string, string) {
	st := b.st
	icon, word := stateText(st.State)
	var left, right string
	if st.Index < 0 || (st.Track.FileID == 0 && st.Track.Name == "") {
		left = icon + " " + word + " · nothing playing"
	} else {
		left = icon + " " + word + "  " + trackLabel(st.Track)
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

	info := settingsText(st, false)
	if ansi.StringWidth(info)+11 > w {
		info = settingsText(st, true)
	}
	bw := w - ansi.StringWidth(info) - 1
	if bw < 5 {
		return line1, fit(info, w)
	}
	return line1, progressBar(st, bw) + " " + stDim.Render(info)
}

func settingsText(st player.Status, short bool) string {
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
		if s := sleepText(st); s != "" {
			parts = append(parts, s)
		}
		return strings.Join(parts, " ")
	}
	s := fmt.Sprintf("%s · vol %s · shuffle %s · repeat %s", br, vol, onOff(st.Shuffle), st.Repeat.String())
	if z := sleepText(st); z != "" {
		s += " · " + z
	}
	return s
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

func (b *statusBar) statusLine(w int) string {
	msg, isErr := b.message()
	if msg == "" {
		if b.engine != engineUp {
			return stDim.Render(fit(b.leaveHint, w))
		}
		return stDim.Render(fit(b.hint, w))
	}
	st, text := stAccent, msg
	if isErr {
		st, text = stErr, "✗ "+msg
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
