package ui

import (
	"fmt"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/pcplay/pcplay/api"
)

// field is a one-line text input of the login, edited as every input of
// the UI is ([lineInput]): at most maxField runes.
type field struct {
	label string
	in    lineInput
	mask  bool
}

const maxField = 256

func (f *field) ready() {
	if !f.in.ready {
		f.in = newLineInput("", maxField)
	}
}

// insert types s at the cursor (a paste), without its line breaks and
// what is not printable.
func (f *field) insert(s string) {
	f.ready()
	f.in.insert(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s))
}

// key applies an edit key; false when k is none.
func (f *field) key(k tea.KeyPressMsg) bool {
	f.ready()
	if !f.in.edits(k) {
		return false
	}
	f.in.key(k)
	return true
}

func (f *field) clear() { f.in = newLineInput("", maxField) }

func (f *field) String() string { return f.in.value() }

// shown is what the screen may show, the cursor's bar where it is: a
// masked field shows one • per rune.
func (f *field) shown(cursor bool) string {
	f.ready()
	mask := ""
	if f.mask {
		mask = "•"
	}
	s := f.in.view(mask)
	if !cursor {
		s = strings.Replace(s, "▏", "", 1)
		if !f.mask {
			s = shown(f.in.value())
		}
	}
	return s
}

// view draws the login screen in w×h cells.
func (l *login) view(w, h int) string {
	var lines []string
	switch l.stage {
	case stageChoose:
		lines = l.chooseView(w)
	case stageSignIn:
		lines = l.signInView(w, h)
	case stageTFA:
		lines = l.tfaView(w)
	default:
		lines = l.formView(w)
	}
	return strings.Join(pad(lines, w, h), "\n")
}

// lineBuilder collects the lines of a screen, each fitted to w cells.
type lineBuilder struct {
	w     int
	lines []string
}

func (b *lineBuilder) add(st lipgloss.Style, text string) {
	b.lines = append(b.lines, st.Render(fit(text, b.w)))
}

// para adds text wrapped to the width, each line in st.
func (b *lineBuilder) para(st lipgloss.Style, text string) {
	for _, l := range wrap(text, b.w) {
		b.add(st, l)
	}
}

func (b *lineBuilder) field(f *field, focused bool) {
	label := fmt.Sprintf("%-9s", f.label+":")
	if focused {
		b.add(stAccent, "› "+label+" "+f.shown(true))
	} else {
		b.add(stPlain, "  "+label+" "+f.shown(false))
	}
}

// status adds the busy line or the error of the last try.
func (l *login) status(b *lineBuilder, busy string) {
	switch {
	case l.busy:
		b.add(stPlain, "")
		b.add(stAccent, busy+" ("+hintAs(l.keys.Back, "cancels")+")")
	case l.err != "":
		b.add(stPlain, "")
		b.para(stErr, "✗ "+shown(l.err)) // pCloud's words may be in it
	}
}

// chooseView is the choice list of the three ways.
func (l *login) chooseView(w int) []string {
	km := l.keys
	b := &lineBuilder{w: w}
	b.add(stTitle, "pcplay · log in to pCloud")
	b.add(stPlain, "")
	if l.note != "" {
		b.para(stAccent, shown(l.note))
		b.add(stPlain, "")
	}
	for i, text := range choiceText {
		if i == choiceSignIn && !l.canSignIn() {
			text = "Sign in on another device (needs a Client ID: see below)"
		}
		row := keyName(km.Choices[i]) + "  " + text
		switch {
		case i == l.choice:
			b.add(stAccent, "› "+row)
		case i == choiceSignIn && !l.canSignIn():
			b.add(stDim, "  "+row)
		default:
			b.add(stPlain, "  "+row)
		}
	}
	b.add(stPlain, "")
	if !l.canSignIn() {
		b.para(stPlain, l.noClientID())
		b.add(stPlain, "")
	}
	picks := make([]string, len(km.Choices))
	for i, c := range km.Choices {
		picks[i] = c.Help().Key
	}
	b.para(stDim, hint(km.Next)+" · "+hintAs(km.Submit, "chooses")+" · "+strings.Join(picks, "/")+" picks · "+km.Back.Help().Key+"/"+keyName(km.Quit)+" quits")
	l.status(b, "")
	return b.lines
}

// formView is the password form or the token field.
func (l *login) formView(w int) []string {
	km := l.keys
	b := &lineBuilder{w: w}
	if l.stage == stageToken {
		b.add(stTitle, "pcplay · paste a token")
		b.add(stPlain, "")
		b.para(stPlain, "Paste an auth token or an OAuth access token; pcplay finds out which it is and its region.")
		b.add(stPlain, "")
		b.field(&l.token, true)
		b.add(stPlain, "")
		b.para(stDim, hintAs(km.Submit, "checks it")+" · "+hintAs(km.Back, "back"))
		l.status(b, "Checking the token…")
		return b.lines
	}
	b.add(stTitle, "pcplay · log in with e-mail and password")
	b.add(stPlain, "")
	b.field(&l.email, l.focus == focusEmail)
	b.field(&l.password, l.focus == focusPassword)
	region := fmt.Sprintf("%-9s %s", "Region:", regionText(l.chosenRegion()))
	if l.focus == focusRegion {
		b.add(stAccent, "› "+region+"  "+km.RegionPrev.Help().Key+"/"+km.RegionNext.Help().Key+" "+km.RegionNext.Help().Desc)
	} else {
		b.add(stPlain, "  "+region)
	}
	b.add(stPlain, "")
	b.para(stDim, hintAs(km.Submit, "logs in")+" · "+hint(km.Next)+" · "+hintAs(km.Back, "back"))
	l.status(b, "Logging in…")
	return b.lines
}

// tfaView asks for the two-factor code.
func (l *login) tfaView(w int) []string {
	km := l.keys
	b := &lineBuilder{w: w}
	b.add(stTitle, "pcplay · two-factor authentication")
	b.add(stPlain, "")
	how := "your authenticator app"
	if l.tfaType == api.TFASMS {
		how = "the SMS pCloud sent you"
	}
	b.add(stPlain, "Type the code from "+how+".")
	b.add(stPlain, "")
	b.field(&l.code, true)
	trust := "[ ]"
	if l.trust {
		trust = "[x]"
	}
	b.add(stPlain, "  "+trust+" "+km.Trust.Help().Desc+" ("+km.Trust.Help().Key+")")
	b.add(stPlain, "")
	b.para(stDim, hintAs(km.Submit, "logs in")+" · "+hintAs(km.Back, "back"))
	l.status(b, "Logging in…")
	return b.lines
}

// hint is a binding as a key hint reads: "enter logs in".
func hint(b key.Binding) string { return b.Help().Key + " " + b.Help().Desc }

// hintAs is a binding's key with what it does here: "esc back".
func hintAs(b key.Binding, desc string) string { return b.Help().Key + " " + desc }

// described is b (its keys and their help) saying desc.
func described(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}
