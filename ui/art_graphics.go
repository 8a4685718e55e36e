package ui

import (
	"image"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"github.com/pcplay/pcplay/art"
)

// How the cover is drawn: half blocks (cells like any text) until the
// terminal has said what it can do, then the protocol art.Decide picks.
// A picture drawn with a graphics protocol is written with tea.Raw once
// per change (a new cover, a new size or place), over cells the panel
// leaves blank; it is removed when the panel closes or is covered (kitty:
// deleted by id; sixel and iTerm2: the screen is drawn again whole).

// detectWait is how long the terminal has to answer art.Query.
const detectWait = 2 * time.Second

// kittyImageID is the id of the cover's kitty image.
const kittyImageID = 4242

// gfxState is what the terminal was told.
type gfxState struct {
	choice  art.Choice  // the protocol in use
	answers art.Answers // the terminal's answers so far
	asking  bool        // art.Query is out, waiting for DA1 or the timeout

	sent      string // the key of the picture on the terminal; "" none
	sentProto art.Protocol
	px        image.Point // the terminal's size in pixels, when it says it
}

// detectDoneMsg is the end of the wait for the terminal's answers.
type detectDoneMsg struct{}

// startArt decides the protocol from the setting, asking the terminal
// first when the setting is auto.
func (m *model) startArt() tea.Cmd {
	g := &m.np.gfx
	g.choice = art.Choice{Protocol: art.HalfBlocks}
	s := m.artSetting()
	if m.e.o.Covers == nil || s == art.Off {
		g.choice.Protocol = art.None
		return nil
	}
	if s != art.Auto {
		g.choice = art.Decide(s, art.Answers{}, m.e.o.ArtEnv)
		return nil
	}
	g.asking = true
	wait := m.e.blocking("art", func() tea.Msg {
		select {
		case <-time.After(detectWait):
		case <-m.e.ctx.Done():
		}
		return detectDoneMsg{}
	})
	return tea.Batch(tea.Raw(art.Query(m.e.o.ArtEnv.Tmux)), wait)
}

// onArtAnswer takes a terminal's answer to art.Query; ok is false for a
// message that is none.
func (m *model) onArtAnswer(msg tea.Msg) (tea.Cmd, bool) {
	g := &m.np.gfx
	switch msg := msg.(type) {
	case uv.KittyGraphicsEvent:
		g.answers.AddKitty("i="+strconv.Itoa(msg.Options.ID), string(msg.Payload))
	case tea.TerminalVersionMsg:
		g.answers.AddVersion(msg.Name)
	case uv.PrimaryDeviceAttributesEvent:
		g.answers.AddDA1([]int(msg))
		return m.artDecided(), true
	case detectDoneMsg:
		return m.artDecided(), true
	case uv.PixelSizeEvent: // with each window size, when the terminal says it
		g.px = image.Pt(msg.Width, msg.Height)
		return m.syncGraphics(), true
	default:
		return nil, false
	}
	return nil, true
}

// artDecided ends the asking: the protocol is picked from the answers.
func (m *model) artDecided() tea.Cmd {
	g := &m.np.gfx
	if !g.asking {
		return nil
	}
	g.asking = false
	old := g.choice.Protocol
	g.choice = art.Decide(art.Auto, g.answers, m.e.o.ArtEnv)
	if g.choice.Protocol != old && m.np.open {
		m.np.want = 0 // fetched again at the size the protocol needs
		return m.coverWanted()
	}
	return nil
}

// graphic reports whether the cover is drawn with a graphics protocol
// (not as cells).
func (g *gfxState) graphic() bool {
	switch g.choice.Protocol {
	case art.Kitty, art.SixelGraphics, art.ITerm2Images, art.KittyPlaceholders:
		return true
	}
	return false
}

// coverPx is the picture size to ask pCloud for.
func (g *gfxState) coverPx() int {
	if g.graphic() {
		return 512
	}
	return coverBlockPx
}

// coverPlace is where the cover is on the screen (cells) and its size;
// ok false when the panel shows none.
func (m *model) coverPlace() (x, y, cols, rows int, ok bool) {
	w, h := m.width, m.height-m.bar.lines(m.width)-1
	if m.quitting || w < MinWidth || m.height < MinHeight || m.screen != screenMain || !m.np.open ||
		m.prompt.open || m.plPick.open || m.help.open || m.picker.open {
		return 0, 0, 0, 0, false
	}
	cols, rows, beside := coverBox(w, h)
	if cols == 0 || m.np.img == nil {
		return 0, 0, 0, 0, false
	}
	if !beside {
		x = (w - cols) / 2
	}
	return x, 1, cols, rows, true
}

// syncGraphics tells the terminal about the cover when what it shows
// differs from what the panel wants: nothing when it is the same (never
// per frame).
func (m *model) syncGraphics() tea.Cmd {
	g := &m.np.gfx
	if !g.graphic() {
		return nil
	}
	x, y, cols, rows, ok := m.coverPlace()
	key := ""
	if ok {
		key = strconv.FormatUint(m.np.want, 10) + "@" + strconv.Itoa(x) + "," + strconv.Itoa(y) + ":" + strconv.Itoa(cols) + "x" + strconv.Itoa(rows) + "/" + g.choice.Protocol.String() + "/" + m.cell().String()
	}
	if key == g.sent {
		return nil
	}
	var cmds []tea.Cmd
	if g.sent != "" {
		cmds = append(cmds, m.removePicture())
	}
	g.sent, g.sentProto = key, g.choice.Protocol
	if ok {
		cmds = append(cmds, tea.Raw(m.pictureSeq(m.np.img, x, y, cols, rows)))
	}
	return tea.Sequence(cmds...)
}

// wrap wraps seq for tmux's passthrough when the choice says so.
func (g *gfxState) wrap(seq string) string {
	if g.choice.Wrap {
		return art.TmuxWrap(seq)
	}
	return seq
}

// pictureSeq draws img at x, y over cols x rows cells, the cursor kept.
func (m *model) pictureSeq(img image.Image, x, y, cols, rows int) string {
	g := &m.np.gfx
	at := "\x1b7\x1b[" + strconv.Itoa(y+1) + ";" + strconv.Itoa(x+1) + "H"
	switch g.choice.Protocol {
	case art.Kitty:
		return at + art.KittyDirect(img, cols, rows, kittyImageID) + "\x1b8"
	case art.KittyPlaceholders:
		tr, _ := art.KittyPlaceholder(img, cols, rows, kittyImageID)
		return g.wrap(tr)
	case art.SixelGraphics:
		return at + art.Sixel(img, cols, rows, m.cell()) + "\x1b8"
	case art.ITerm2Images:
		return at + g.wrap(art.ITerm2(img, cols, rows)) + "\x1b8"
	}
	return ""
}

// cell is the terminal's cell size in pixels (as it says, else assumed).
func (m *model) cell() image.Point { return art.CellOf(m.np.gfx.px, m.width, m.height) }

// removePicture takes the picture off the terminal.
func (m *model) removePicture() tea.Cmd {
	g := &m.np.gfx
	switch g.sentProto {
	case art.Kitty, art.KittyPlaceholders:
		return tea.Raw(g.wrap(art.KittyDelete(kittyImageID)))
	}
	return tea.ClearScreen
}

// placeholderCells are the kitty placeholder cells of the cover.
func (m *model) placeholderCells(cols, rows int) []string {
	mm := &m.np.memo
	if mm.img != m.np.img || mm.cols != cols || mm.rows != rows || !mm.placeholders {
		*mm = blockMemo{img: m.np.img, cols: cols, rows: rows, lines: art.PlaceholderCells(cols, rows, kittyImageID), placeholders: true}
	}
	return mm.lines
}
