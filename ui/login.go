package ui

import (
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

type loginState struct {
	email, password, code field
	focus                 int // 0 email, 1 password (login screen)
	tfaToken              string
	tfaType               int
	trust                 bool
	busy                  bool
	err                   string
}

func newLogin() loginState {
	return loginState{
		email:    field{label: "E-mail"},
		password: field{label: "Password", mask: true},
		code:     field{label: "Code"},
		trust:    true,
	}
}

func (l *loginState) active(sc screen) *field {
	if sc == screenTFA {
		return &l.code
	}
	if l.focus == 1 {
		return &l.password
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
	if l.focus == 1 {
		l.password.insert(s)
	} else {
		l.email.insert(strings.TrimSpace(s))
	}
}

type loginMsg struct {
	info api.UserInfo
	err  error
	tfa  bool // answer to the 2FA step
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
	case "tab", "down", "shift+tab", "up":
		if s.screen == screenLogin {
			l.focus = 1 - l.focus
		}
		return nil
	case "ctrl+t":
		if s.screen == screenTFA {
			l.trust = !l.trust
		}
		return nil
	case "backspace":
		f.backspace()
		return nil
	case "ctrl+u":
		f.clear()
		return nil
	case "enter":
		return s.submitLogin()
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
	if l.focus == 0 {
		l.focus = 1
		if l.password.String() == "" {
			return nil
		}
	}
	email, pw := strings.TrimSpace(l.email.String()), l.password.String()
	if email == "" {
		l.err, l.focus = "Type your pCloud e-mail address.", 0
		return nil
	}
	if pw == "" {
		l.err = "Type your password."
		return nil
	}
	l.busy, l.err = true, ""
	return func() tea.Msg {
		info, err := auth.Login(ctx, email, pw)
		return loginMsg{info: info, err: err}
	}
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
		l.err = sentence(msg.err)
		if msg.tfa {
			l.code.clear()
			if errCode(msg.err) == 2064 { // the 2FA token expired: start again
				l.tfaToken = ""
				s.screen = screenLogin
				l.focus = 1
			}
			return nil
		}
		l.password.clear()
		l.focus = 1
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
