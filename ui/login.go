package ui

import (
	"slices"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
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

// The rows of the login screen, in focus order.
const (
	focusEmail = iota
	focusPassword
	focusRegion
	loginRows
)

// loginRegions are the region field's choices, in cycling order.
var loginRegions = []api.Region{api.RegionAuto, api.RegionUS, api.RegionEU}

// regionText is how the region field shows a choice.
func regionText(r api.Region) string {
	switch r {
	case api.RegionUS:
		return "US"
	case api.RegionEU:
		return "EU"
	}
	return "auto (US, then EU)"
}

type loginState struct {
	email, password, code field
	focus                 int // focusEmail, focusPassword or focusRegion (login screen)
	region                int // index in loginRegions
	tfaToken              string
	tfaType               int
	trust                 bool
	busy                  bool
	err                   string
}

// newLogin makes the login screen with the region from Options.Region
// (auto when it is empty or unknown).
func newLogin(region string) loginState {
	l := loginState{
		email:    field{label: "E-mail"},
		password: field{label: "Password", mask: true},
		code:     field{label: "Code"},
		trust:    true,
	}
	if r, err := api.ParseLoginRegion(region); err == nil {
		l.region = max(0, slices.Index(loginRegions, r))
	}
	return l
}

// chosenRegion is the region the login goes to.
func (l *loginState) chosenRegion() api.Region { return loginRegions[l.region] }

// cycleRegion moves the region choice by d (1 or -1), round.
func (l *loginState) cycleRegion(d int) {
	n := len(loginRegions)
	l.region = ((l.region+d)%n + n) % n
}

// active is the text field that takes the keys, nil on the region row.
func (l *loginState) active(sc screen) *field {
	if sc == screenTFA {
		return &l.code
	}
	switch l.focus {
	case focusPassword:
		return &l.password
	case focusRegion:
		return nil
	}
	return &l.email
}

func (l *loginState) paste(s string) {
	// The screen is known by the field: TFA uses code. Paste goes to
	// whichever field has focus; the caller keeps screen in state.
	if l.tfaToken != "" {
		l.code.insert(strings.TrimSpace(s))
		return
	}
	switch l.focus {
	case focusPassword:
		l.password.insert(s)
	case focusEmail:
		l.email.insert(strings.TrimSpace(s))
	}
}

type loginMsg struct {
	info   api.UserInfo
	err    error
	tfa    bool       // answer to the 2FA step
	region api.Region // where the password login went
}

func (s *state) loginKey(k tea.KeyPressMsg) tea.Cmd {
	l := &s.login
	ks := k.String()
	if ks == "esc" {
		return s.quit(false)
	}
	if l.busy {
		return nil
	}
	f := l.active(s.screen)
	switch ks {
	case "tab", "down":
		if s.screen == screenLogin {
			l.focus = (l.focus + 1) % loginRows
		}
		return nil
	case "shift+tab", "up":
		if s.screen == screenLogin {
			l.focus = (l.focus + loginRows - 1) % loginRows
		}
		return nil
	case "ctrl+t":
		if s.screen == screenTFA {
			l.trust = !l.trust
		}
		return nil
	case "enter":
		return s.submitLogin()
	}
	if f == nil { // the region row
		switch ks {
		case "right", "space", "l":
			l.cycleRegion(1)
		case "left", "h":
			l.cycleRegion(-1)
		}
		return nil
	}
	switch ks {
	case "backspace":
		f.backspace()
		return nil
	case "ctrl+u":
		f.clear()
		return nil
	}
	if k.Text != "" && k.Mod&^tea.ModShift == 0 {
		f.insert(k.Text)
	}
	return nil
}

func (s *state) submitLogin() tea.Cmd {
	l := &s.login
	auth, ctx := s.o.Auth, s.ctx
	if auth == nil {
		return nil
	}
	if s.screen == screenTFA {
		code := strings.TrimSpace(l.code.String())
		if code == "" {
			l.err = "Type the code first."
			return nil
		}
		token, trust := l.tfaToken, l.trust
		l.busy, l.err = true, ""
		return func() tea.Msg {
			info, err := auth.TFALogin(ctx, token, code, trust)
			return loginMsg{info: info, err: err, tfa: true}
		}
	}
	if l.focus == focusEmail {
		l.focus = focusPassword
		if l.password.String() == "" {
			return nil
		}
	}
	email, pw, region := strings.TrimSpace(l.email.String()), l.password.String(), l.chosenRegion()
	if email == "" {
		l.err, l.focus = "Type your pCloud e-mail address.", focusEmail
		return nil
	}
	if pw == "" {
		l.err, l.focus = "Type your password.", focusPassword
		return nil
	}
	l.busy, l.err = true, ""
	return func() tea.Msg {
		info, err := auth.LoginIn(ctx, region, email, pw)
		return loginMsg{info: info, err: err, region: region}
	}
}

// loginSentence explains a failed password login. A 2000 in a region the
// person chose names the region field (the api's sentence names --region).
func loginSentence(err error, region api.Region) string {
	if errCode(err) == 2000 && region != api.RegionAuto {
		other := api.RegionEU
		if region == api.RegionEU {
			other = api.RegionUS
		}
		return "Wrong e-mail or password, or your account is in the " + regionText(other) + " region (choose " + regionText(other) + " or auto as the region)."
	}
	return sentence(err)
}

func (s *state) onLogin(msg loginMsg) tea.Cmd {
	l := &s.login
	l.busy = false
	if msg.err != nil {
		if tok, typ, ok := tfaRequired(msg.err); ok {
			l.password.clear()
			l.tfaToken, l.tfaType = tok, typ
			l.code.clear()
			l.err = ""
			s.screen = screenTFA
			return nil
		}
		if msg.tfa {
			l.err = sentence(msg.err)
			l.code.clear()
			if errCode(msg.err) == 2064 { // the 2FA token expired: start again
				l.tfaToken = ""
				s.screen = screenLogin
				l.focus = focusPassword
			}
			return nil
		}
		l.err = loginSentence(msg.err, msg.region)
		l.password.clear()
		l.focus = focusPassword
		return nil
	}
	l.password.clear()
	l.code.clear()
	l.tfaToken = ""
	l.err = ""
	s.screen = screenMain
	cmds := []tea.Cmd{s.br.start(s), s.setMsg("Logged in as "+msg.info.Email, false)}
	if cb := s.o.OnLogin; cb != nil {
		info := msg.info
		cmds = append(cmds, func() tea.Msg { cb(info); return nil })
	}
	return tea.Batch(cmds...)
}
