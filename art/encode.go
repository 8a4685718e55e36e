package art

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/iterm2"
	"github.com/charmbracelet/x/ansi/kitty"
)

// Cell is the pixel size assumed for one terminal cell when a protocol
// needs pixels (sixel) and the terminal has not said its own.
var Cell = image.Pt(10, 20)

// CellOf is the pixel size of a cell of a terminal of cols x rows cells
// that is px pixels (as it says in its window size), or [Cell] when it
// says none or a size that is not one.
func CellOf(px image.Point, cols, rows int) image.Point {
	if cols <= 0 || rows <= 0 || px.X < cols || px.Y < rows {
		return Cell
	}
	return image.Pt(px.X/cols, px.Y/rows)
}

// Blocks draws img in cols x rows cells of half blocks: each cell is "▀"
// with the upper pixel as its foreground colour and the lower one as its
// background, so a cell holds two pixels, one above the other. truecolor
// false gives the nearest of the 256 xterm colours. Each line ends with a
// reset; the lines hold nothing but SGR sequences and "▀", so they are
// ordinary styled text for a cell renderer.
func Blocks(img image.Image, cols, rows int, truecolor bool) []string {
	if cols <= 0 || rows <= 0 {
		return nil
	}
	px := Scale(img, cols, rows*2)
	lines := make([]string, rows)
	var b strings.Builder
	for y := range rows {
		b.Reset()
		var lastFg, lastBg string
		for x := range cols {
			fg := sgrColor(px.RGBAAt(x, 2*y), truecolor, 38)
			bg := sgrColor(px.RGBAAt(x, 2*y+1), truecolor, 48)
			switch {
			case fg != lastFg && bg != lastBg:
				b.WriteString("\x1b[" + fg + ";" + bg + "m")
			case fg != lastFg:
				b.WriteString("\x1b[" + fg + "m")
			case bg != lastBg:
				b.WriteString("\x1b[" + bg + "m")
			}
			lastFg, lastBg = fg, bg
			b.WriteString("▀")
		}
		b.WriteString("\x1b[m")
		lines[y] = b.String()
	}
	return lines
}

// sgrColor is an SGR colour parameter: base 38 foreground, 48 background.
func sgrColor(c color.RGBA, truecolor bool, base int) string {
	if truecolor {
		return strconv.Itoa(base) + ";2;" + strconv.Itoa(int(c.R)) + ";" + strconv.Itoa(int(c.G)) + ";" + strconv.Itoa(int(c.B))
	}
	return strconv.Itoa(base) + ";5;" + strconv.Itoa(Xterm256(c))
}

// cube is the six levels of each channel in the xterm colour cube.
var cube = [6]int{0, 95, 135, 175, 215, 255}

// Xterm256 is the xterm colour (16..255: the 6x6x6 cube or the 24 greys)
// nearest to c.
func Xterm256(c color.RGBA) int {
	near := func(v int) int {
		best := 0
		for i, l := range cube {
			if abs(v-l) < abs(v-cube[best]) {
				best = i
			}
		}
		return best
	}
	r, g, b := int(c.R), int(c.G), int(c.B)
	ri, gi, bi := near(r), near(g), near(b)
	cubeIdx := 16 + 36*ri + 6*gi + bi
	cubeD := dist(r, g, b, cube[ri], cube[gi], cube[bi])
	avg := (r + g + b) / 3
	gi2 := min(max((avg-8+5)/10, 0), 23)
	gv := 8 + 10*gi2
	if dist(r, g, b, gv, gv, gv) < cubeD {
		return 232 + gi2
	}
	return cubeIdx
}

func dist(r, g, b, r2, g2, b2 int) int {
	return (r-r2)*(r-r2) + (g-g2)*(g-g2) + (b-b2)*(b-b2)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// pixels is the picture's size in pixels for cols x rows cells.
func pixels(cols, rows int) (int, int) { return cols * Cell.X, rows * Cell.Y }

// KittyDirect is the kitty graphics protocol's transmit-and-display of img
// as image id, placed at the cursor over cols x rows cells, the cursor not
// moved (PNG, base64, in chunks of 4096). Delete it with [KittyDelete].
func KittyDirect(img image.Image, cols, rows, id int) string {
	return kittyEncode(img, cols, rows, id, false)
}

func kittyEncode(img image.Image, cols, rows, id int, virtual bool) string {
	w, h := pixels(cols, rows)
	var b bytes.Buffer
	o := &kitty.Options{
		Action: kitty.TransmitAndPut, Format: kitty.PNG, Transmission: kitty.Direct,
		ID: id, Columns: cols, Rows: rows, Quiet: 2, Chunk: true,
		DoNotMoveCursor: !virtual, VirtualPlacement: virtual,
	}
	_ = kitty.EncodeGraphics(&b, Scale(img, w, h), o) // writes to memory: no error
	return b.String()
}

// KittyPlaceholder is the kitty graphics protocol with Unicode placeholders:
// transmit sends img as image id with a virtual placement of cols x rows
// cells (write it to the terminal once, wrapped for tmux's passthrough when
// inside tmux); cells are the rows of placeholder characters that show it
// wherever they are drawn. Those are text: tmux keeps them in its pane and
// a cell renderer moves them like any other text. The image id is carried
// by the cells' foreground colour (id below 256: a 256-colour index).
func KittyPlaceholder(img image.Image, cols, rows, id int) (transmit string, cells []string) {
	return kittyEncode(img, cols, rows, id, true), PlaceholderCells(cols, rows, id)
}

// PlaceholderCells are the rows of kitty Unicode placeholder cells that
// show image id's virtual placement of cols x rows cells (see
// [KittyPlaceholder]).
func PlaceholderCells(cols, rows, id int) []string {
	fg := "\x1b[38;5;" + strconv.Itoa(id&0xff) + "m"
	if id > 255 {
		fg = "\x1b[38;2;" + strconv.Itoa((id>>16)&0xff) + ";" + strconv.Itoa((id>>8)&0xff) + ";" + strconv.Itoa(id&0xff) + "m"
	}
	cells := make([]string, rows)
	for r := range rows {
		var b strings.Builder
		b.WriteString(fg)
		for c := range cols {
			b.WriteRune(kitty.Placeholder)
			b.WriteRune(kitty.Diacritic(r))
			b.WriteRune(kitty.Diacritic(c))
		}
		b.WriteString("\x1b[m")
		cells[r] = b.String()
	}
	return cells
}

// KittyDelete removes image id and its placements (the picture's data
// too).
func KittyDelete(id int) string {
	return ansi.KittyGraphics(nil, "a=d", "d=I", "i="+strconv.Itoa(id), "q=2")
}

// Sixel is img as a sixel picture of cols x rows cells of cell pixels
// (see [CellOf]), drawn at the cursor: a sixel picture is as many pixels
// as it says, so a wrong cell size draws over the text around it. The
// colours are the 216 of a 6x6x6 cube, so the palette is fixed and the
// sequence the same for the same picture.
func Sixel(img image.Image, cols, rows int, cell image.Point) string {
	w, h := cols*cell.X, rows*cell.Y
	// Sixel bands are 6 pixels high: a height that is a multiple of 6 keeps
	// the last band from spilling into the next row.
	h -= h % 6
	px := Scale(img, w, h)
	idx := make([]uint8, w*h)
	var used [216]bool
	for y := range h {
		for x := range w {
			c := px.RGBAAt(x, y)
			i := uint8(36*((int(c.R)*5+127)/255) + 6*((int(c.G)*5+127)/255) + (int(c.B)*5+127)/255)
			idx[y*w+x] = i
			used[i] = true
		}
	}
	var b strings.Builder
	b.WriteString("\"1;1;" + strconv.Itoa(w) + ";" + strconv.Itoa(h))
	for i, u := range used {
		if u {
			b.WriteString("#" + strconv.Itoa(i) + ";2;" + strconv.Itoa(i/36*20) + ";" + strconv.Itoa(i/6%6*20) + ";" + strconv.Itoa(i%6*20))
		}
	}
	line := make([]byte, w)
	for y0 := 0; y0 < h; y0 += 6 {
		first := true
		for ci := range 216 {
			any := false
			for x := range w {
				var bits byte
				for k := 0; k < 6 && y0+k < h; k++ {
					if int(idx[(y0+k)*w+x]) == ci {
						bits |= 1 << k
					}
				}
				line[x] = 63 + bits
				any = any || bits != 0
			}
			if !any {
				continue
			}
			if !first {
				b.WriteByte('$')
			}
			first = false
			b.WriteString("#" + strconv.Itoa(ci))
			for x := 0; x < w; {
				n := 1
				for x+n < w && line[x+n] == line[x] {
					n++
				}
				if n > 3 {
					b.WriteString("!" + strconv.Itoa(n))
					b.WriteByte(line[x])
				} else {
					b.WriteString(strings.Repeat(string(line[x]), n))
				}
				x += n
			}
		}
		b.WriteByte('-')
	}
	return ansi.SixelGraphics(0, 1, 0, []byte(b.String()))
}

// ITerm2 is img as an iTerm2 inline image (OSC 1337 File=, PNG) sized in
// cells, drawn at the cursor.
func ITerm2(img image.Image, cols, rows int) string {
	w, h := pixels(cols, rows)
	var data bytes.Buffer
	_ = png.Encode(&data, Scale(img, w, h)) // to memory: no error
	content := make([]byte, base64.StdEncoding.EncodedLen(data.Len()))
	base64.StdEncoding.Encode(content, data.Bytes())
	return ansi.ITerm2(iterm2.File{
		Name: "cover.png", Size: int64(data.Len()), Inline: true, DoNotMoveCursor: true,
		Width: iterm2.Cells(cols), Height: iterm2.Cells(rows), IgnoreAspectRatio: true,
		Content: content,
	})
}

// TmuxWrap wraps seq in tmux's DCS passthrough, for the terminal outside
// tmux (tmux passes it on when allow-passthrough is on).
func TmuxWrap(seq string) string { return ansi.TmuxPassthrough(seq) }
