package ui

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"
)

// qrGap is the blank columns between the QR code and the text beside it.
const qrGap = 2

// minSideText is the narrowest text column drawn beside the QR code.
const minSideText = 28

// signInView shows the authorize URL and, when the terminal has room, its
// QR code: under the title with the URL below it when tall enough (the
// URL then spans the width, easier to copy), else beside the text, else
// not at all with a line saying how big the terminal must be. Nothing on
// it moves while the person approves, but for the line that says a poll
// went wrong (l.trouble).
func (l *login) signInView(w, h int) []string {
	title := "pcplay · sign in on another device"
	url := l.req.URL()
	open := "Scan the code with a phone, or open this page on any device, and approve pcplay:"
	waiting := "Waiting for you to approve in the browser… (" + hintAs(l.keys.Back, "to cancel") + ")"
	qrW, qrH := 0, len(l.qr)
	if qrH > 0 {
		qrW = ansi.StringWidth(l.qr[0])
	}

	text := func(w int) []string {
		b := &lineBuilder{w: w}
		b.para(stPlain, open)
		b.url(url)
		b.add(stPlain, "")
		b.para(stPlain, waiting)
		if l.trouble != "" {
			b.add(stPlain, "")
			b.para(stErr, "! "+l.trouble)
		}
		return b.lines
	}

	// Stacked: title, code, then the text at full width.
	if qrH > 0 && w >= qrW {
		below := text(w)
		if 2+qrH+1+len(below) <= h {
			b := &lineBuilder{w: w}
			b.add(stTitle, title)
			b.add(stPlain, "")
			for _, q := range l.qr {
				b.add(stPlain, q)
			}
			b.add(stPlain, "")
			return append(b.lines, below...)
		}
	}
	// Side by side: the code at the left, title and text at the right.
	if sw := w - qrW - qrGap; qrH > 0 && sw >= minSideText && qrH <= h {
		head := &lineBuilder{w: sw}
		head.para(stTitle, title)
		head.add(stPlain, "")
		side := append(head.lines, text(sw)...)
		if len(side) <= h {
			out := make([]string, max(qrH, len(side)))
			for i := range out {
				q := fit("", qrW)
				if i < qrH {
					q = l.qr[i]
				}
				s := fit("", sw)
				if i < len(side) {
					s = side[i]
				}
				out[i] = q + fit("", qrGap) + s
			}
			return out
		}
	}
	// The URL alone; the size note last, the first line a small
	// terminal cuts.
	b := &lineBuilder{w: w}
	b.add(stTitle, title)
	b.add(stPlain, "")
	b.para(stPlain, "Open this page and approve pcplay:")
	b.url(url)
	b.add(stPlain, "")
	b.para(stPlain, waiting)
	if l.trouble != "" {
		b.para(stErr, "! "+l.trouble)
	}
	if qrH > 0 {
		b.para(stDim, fmt.Sprintf("(Make the terminal at least %d×%d to see the QR code.)", qrW+qrGap+minSideText, qrH))
	}
	return b.lines
}

// url adds the sign-in URL over as many lines as it needs, each piece an
// OSC 8 hyperlink to the whole URL: a terminal that knows them opens or
// copies the link whole from any line (copying the wrapped text gave a
// broken link). A URL with anything but printable ASCII is not linked.
func (b *lineBuilder) url(u string) {
	link := u != ""
	for _, r := range u {
		if r <= ' ' || r >= 0x7f {
			link = false
		}
	}
	for _, piece := range wrap(u, b.w) {
		if link {
			piece = ansi.SetHyperlink(u) + piece + ansi.ResetHyperlink()
		}
		b.add(stAccent, piece)
	}
}
