package ui

import (
	"fmt"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// field is a one-line text input. No blinking cursor: nothing is redrawn
// while the person doesn't type.
type field struct {
	label string
	value []rune
	mask  bool
}

func (f *field) insert(s string) {
	for _, r := range s {
		if r == '\n' || r == '\r' || !unicode.IsPrint(r) {
			continue
		}
		if len(f.value) < 256 {
			f.value = append(f.value, r)
		}
	}
}

func (f *field) backspace() {
	if len(f.value) > 0 {
		f.value = f.value[:len(f.value)-1]
	}
}

func (f *field) clear() {
	for i := range f.value {
		f.value[i] = 0
	}
	f.value = f.value[:0]
}

func (f *field) String() string { return string(f.value) }

// shown is what the screen may show: a masked field shows one • per rune.
func (f *field) shown() string {
	if f.mask {
		return strings.Repeat("•", len(f.value))
	}
	return string(f.value)
}

// view draws the login screen in w×h cells.
func (l *login) view(w, h int) string {
	km := l.keys
	var lines []string
	add := func(st lipgloss.Style, text string) { lines = append(lines, st.Render(fit(text, w))) }
	fieldLine := func(f *field, focused bool) {
		label := fmt.Sprintf("%-9s", f.label+":")
		v := f.shown()
		if focused {
			add(stAccent, "› "+label+" "+v+"▏")
		} else {
			add(stPlain, "  "+label+" "+v)
		}
	}
	submit, quit := hint(km.Submit), hint(km.Quit)
	if l.stage == stageTFA {
		add(stTitle, "pcplay · two-factor authentication")
		add(stPlain, "")
		how := "your authenticator app"
		if l.tfaType == 1 {
			how = "the SMS pCloud sent you"
		}
		add(stPlain, "Type the code from "+how+".")
		add(stPlain, "")
		fieldLine(&l.code, true)
		trust := "[ ]"
		if l.trust {
			trust = "[x]"
		}
		add(stPlain, "  "+trust+" "+km.Trust.Help().Desc+" ("+km.Trust.Help().Key+")")
		add(stPlain, "")
		add(stDim, submit+" · "+quit)
	} else {
		add(stTitle, "pcplay · log in to pCloud")
		add(stPlain, "")
		fieldLine(&l.email, l.focus == focusEmail)
		fieldLine(&l.password, l.focus == focusPassword)
		region := fmt.Sprintf("%-9s %s", "Region:", regionText(l.chosenRegion()))
		if l.focus == focusRegion {
			add(stAccent, "› "+region+"  "+km.RegionPrev.Help().Key+"/"+km.RegionNext.Help().Key+" "+km.RegionNext.Help().Desc)
		} else {
			add(stPlain, "  "+region)
		}
		add(stPlain, "")
		add(stDim, submit+" · "+hint(km.Next)+" · "+quit)
	}
	switch {
	case l.busy:
		add(stPlain, "")
		add(stAccent, "Logging in…")
	case l.err != "":
		add(stPlain, "")
		for _, e := range wrap("✗ "+l.err, w) {
			add(stErr, e)
		}
	}
	return strings.Join(pad(lines, w, h), "\n")
}

// hint is a binding as a key hint reads: "enter logs in".
func hint(b key.Binding) string { return b.Help().Key + " " + b.Help().Desc }
