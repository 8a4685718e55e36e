package ui

import (
	"context"
	"errors"
	"image"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/art"
	"github.com/pcplay/pcplay/player"
)

// Covers is where the now-playing panel (key i) gets a track's cover: the
// picture's bytes (JPEG, PNG or WebP) of about px x px pixels. It is
// called in a tea.Cmd. [*host.Covers] satisfies it; an error is shown as
// its sentence in place of the cover.
type Covers interface {
	Cover(ctx context.Context, fileID uint64, px int) ([]byte, error)
}

// The panel's cover is at most this many rows high (half blocks: twice as
// many pixels), and the picture asked of pCloud this many pixels wide.
const (
	coverMaxRows = 24
	coverBlockPx = 64
	detailsWidth = 24 // the least room the details need beside the cover
)

// nowPanel is the now-playing panel: the cover, the track's details and
// what comes next. It takes the screen above the bar while open; the play
// keys still work.
type nowPanel struct {
	open bool

	// The cover of the file id want: img once loaded, else loading or a
	// sentence saying why there is none.
	want    uint64
	img     image.Image
	loading bool
	err     string

	px   int       // the size the cover was asked at
	memo blockMemo // the last drawing of the cover, reused while unchanged
	gfx  gfxState  // art_graphics.go
}

type blockMemo struct {
	img          image.Image
	cols, rows   int
	lines        []string
	placeholders bool // kitty placeholder cells, not half blocks
}

// coverMsg is a cover loaded (or not) for a file id.
type coverMsg struct {
	fileID uint64
	img    image.Image
	err    string
}

// toggleNow opens or closes the panel.
func (m *model) toggleNow() tea.Cmd {
	m.np.open = !m.np.open
	if !m.np.open {
		return nil
	}
	return m.coverWanted()
}

// nowKey handles a key while the panel is open: i or esc closes it; the
// top's leave and help keys and the play keys work; the lists' keys wait
// until it is closed.
func (m *model) nowKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	switch {
	case key.Matches(k, km.NowPlaying), k.String() == "esc":
		m.np.open = false
		return nil
	case key.Matches(k, km.Quit):
		return m.quit(false)
	case key.Matches(k, km.StopQuit):
		return m.quit(true)
	case key.Matches(k, km.Help):
		m.help.show(m.helpGroups())
		return nil
	}
	cmd, _ := m.bar.updateKey(k)
	return cmd
}

// coverWanted starts loading the playing track's cover when the panel is
// open and the cover shown is another track's (once per track: never per
// frame or per status).
func (m *model) coverWanted() tea.Cmd {
	np := &m.np
	st := m.bar.st
	id := uint64(0)
	if st.Index >= 0 {
		id = st.Track.FileID
	}
	px := np.gfx.coverPx()
	if !np.open || (id == np.want && px == np.px) {
		return nil
	}
	np.want, np.px, np.img, np.err, np.loading = id, px, nil, "", false
	covers := m.e.o.Covers
	switch {
	case id == 0:
		return nil
	case covers == nil || m.artSetting() == art.Off:
		return nil
	}
	np.loading = true
	ctx := m.e.ctx
	return func() tea.Msg {
		b, err := covers.Cover(ctx, id, px)
		if err != nil {
			return coverMsg{fileID: id, err: coverSentence(err)}
		}
		img, err := art.Decode(b)
		if err != nil {
			return coverMsg{fileID: id, err: err.Error()}
		}
		return coverMsg{fileID: id, img: img}
	}
}

// coverSentence is the line shown for a cover that could not be had.
func coverSentence(err error) string {
	if errors.Is(err, context.Canceled) {
		return ""
	}
	s := err.Error()
	s = strings.TrimPrefix(s, "pcloud: ")
	if len(s) > 0 {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

func (m *model) onCover(msg coverMsg) {
	if msg.fileID != m.np.want {
		return // a track played before
	}
	m.np.img, m.np.err, m.np.loading = msg.img, msg.err, false
}

// artSetting is Options.Art read (auto when unset or unknown: config
// checked it).
func (m *model) artSetting() art.Setting {
	s, err := art.ParseSetting(m.e.o.Art)
	if err != nil {
		return art.Auto
	}
	return s
}

// coverBox is the cover's size in cells for a panel of w x h, and whether
// the details go beside it (else below it). 0 rows: no room for a cover.
func coverBox(w, h int) (cols, rows int, beside bool) {
	side := min(h-1, coverMaxRows, (w-detailsWidth-2)/2)
	// Above the details, if it leaves them 6 rows.
	above := min(h-1-6, coverMaxRows, w/2)
	switch {
	case side >= 4 && side >= above:
		return 2 * side, side, true
	case above >= 3:
		return 2 * above, above, false
	}
	return 0, 0, false
}

// coverLines is the cover drawn in half blocks, cols x rows; reused while
// the picture and the size stay the same.
func (np *nowPanel) coverLines(cols, rows int) []string {
	mm := &np.memo
	if mm.img != np.img || mm.cols != cols || mm.rows != rows || mm.placeholders {
		*mm = blockMemo{img: np.img, cols: cols, rows: rows, lines: art.Blocks(np.img, cols, rows, true)}
	}
	return mm.lines
}

// nowView draws the panel in w x h cells.
func (m *model) nowView(w, h int) []string {
	np := &m.np
	st := m.bar.st
	title := leftRight(stTitle.Render("Now playing"), stDim.Render(keyName(m.keys.NowPlaying)+"/esc close"), w)
	out := []string{title}
	h--
	details := m.nowDetails(st)
	cols, rows, beside := coverBox(w, h)
	var cover []string
	if cols > 0 {
		switch {
		case np.img != nil && np.gfx.choice.Protocol == art.KittyPlaceholders:
			cover = m.placeholderCells(cols, rows)
		case np.img != nil && np.gfx.graphic():
			cover = make([]string, rows) // the picture goes over these cells
			for i := range cover {
				cover[i] = strings.Repeat(" ", cols)
			}
		case np.img != nil:
			cover = np.coverLines(cols, rows)
		default:
			cover = make([]string, rows)
			blank := strings.Repeat(" ", cols)
			for i := range cover {
				cover[i] = blank
			}
			msg := np.err
			switch {
			case np.loading:
				msg = "loading the cover…"
			case m.artSetting() == art.Off:
				msg = "art = off"
			case msg == "" && st.Index >= 0 && m.e.o.Covers == nil:
				msg = "no covers here"
			}
			for i, l := range wrap(shown(msg), cols) {
				if i < rows && msg != "" {
					cover[i] = stDim.Render(fit(l, cols))
				}
			}
		}
	}
	switch {
	case cols == 0:
		out = append(out, pad(fitAll(details, w), w, h)...)
	case beside:
		dw := w - cols - 2
		d := pad(fitAll(details, dw), dw, h)
		for i := range h {
			c := strings.Repeat(" ", cols)
			if i < len(cover) {
				c = cover[i]
			}
			out = append(out, c+"  "+d[i])
		}
	default:
		left := (w - cols) / 2
		for _, c := range cover {
			out = append(out, strings.Repeat(" ", left)+c+strings.Repeat(" ", w-left-cols))
		}
		out = append(out, pad(fitAll(details, w), w, h-len(cover))...)
	}
	return pad(out, w, h+1)
}

func fitAll(lines []string, w int) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = fit(l, w)
	}
	return out
}

// nowDetails are the lines beside the cover: title, artist, album, track
// number, bitrate, position, and what comes next.
func (m *model) nowDetails(st player.Status) []string {
	if st.Index < 0 {
		return []string{stDim.Render("Nothing is playing.")}
	}
	t := st.Track
	name := t.Title
	if name == "" {
		name = t.Label() // untagged: as the queue and ctl read it
	}
	lines := []string{stTitle.Render(shown(name))}
	field := func(label, v string) {
		if v != "" {
			lines = append(lines, stDim.Render(label)+" "+shown(v))
		}
	}
	field("Artist", t.Artist)
	field("Album ", t.Album)
	if t.TrackNo > 0 {
		field("Track ", strconv.Itoa(t.TrackNo))
	}
	lines = append(lines, "")
	icon, word := stateText(st.State)
	pos := player.Clock(st.Position)
	if st.Duration > 0 {
		pos += " / " + player.Clock(st.Duration)
	}
	lines = append(lines, icon+" "+word+"  "+pos)
	if st.Bitrate > 0 {
		field("Bitrate", strconv.Itoa(st.Bitrate)+" kbit/s")
	}
	lines = append(lines, "")
	lines = append(lines, stDim.Render("Next: ")+m.nextText(st))
	return lines
}

// nextText says what plays after the current track.
func (m *model) nextText(st player.Status) string {
	q := m.queue.tracks
	switch {
	case st.Repeat == player.RepeatOne:
		return "this track again (repeat one)"
	case st.Shuffle:
		return "a track of the queue, shuffled"
	case st.Index+1 < len(q):
		return trackLabel(q[st.Index+1])
	case st.Repeat == player.RepeatAll && len(q) > 0:
		return trackLabel(q[0])
	}
	return "nothing (the end of the queue)"
}
