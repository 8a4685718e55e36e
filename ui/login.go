package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
)

// The rows of the login screen, in focus order.
const (
	focusEmail = iota
	focusPassword
	focusRegion
	loginRows
)

// loginStage is the login screen's step: e-mail and password, then the
// two-factor code when the account asks for one.
type loginStage int

const (
	stagePassword loginStage = iota
	stageTFA
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

// loginKeyMap is the keys of the login screen.
type loginKeyMap struct {
	Submit, Next, Prev, Quit key.Binding
	Trust                    key.Binding // two-factor step: trust this device
	RegionNext, RegionPrev   key.Binding // on the region row
	Erase, Clear             key.Binding
}

func newLoginKeys() loginKeyMap {
	return loginKeyMap{
		Submit:     newBinding("enter", "logs in", "enter"),
		Next:       newBinding("tab", "moves", "tab", "down"),
		Prev:       newBinding("shift+tab", "moves back", "shift+tab", "up"),
		Quit:       newBinding("esc", "quits", "esc"),
		Trust:      newBinding("ctrl+t", "trust this device", "ctrl+t"),
		RegionNext: newBinding("→", "changes", "right", "space", "l"),
		RegionPrev: newBinding("←", "changes", "left", "h"),
		Erase:      newBinding("backspace", "erase", "backspace"),
		Clear:      newBinding("ctrl+u", "clear", "ctrl+u"),
	}
}

// login is the login screen: e-mail, password and region, then the
// two-factor code. A login that succeeds comes back as a loggedInMsg.
type login struct {
	e     *env
	keys  loginKeyMap
	stage loginStage

	email, password, code field
	focus                 int // focusEmail, focusPassword or focusRegion
	region                int // index in loginRegions
	tfaToken              string
	tfaType               int
	trust                 bool
	busy                  bool
	err                   string
}

// loginMsg is the answer of a login Cmd.
type loginMsg struct {
	info   api.UserInfo
	err    error
	tfa    bool       // answer to the 2FA step
	region api.Region // where the password login went
}

// loggedInMsg tells the top model the person is logged in.
type loggedInMsg struct{ info api.UserInfo }

// newLogin makes the login screen with the region from Options.Region
// (auto when it is empty or unknown).
func newLogin(e *env) login {
	l := login{
		e:        e,
		keys:     newLoginKeys(),
		email:    field{label: "E-mail"},
		password: field{label: "Password", mask: true},
		code:     field{label: "Code"},
		trust:    true,
		err:      e.o.LoginNote,
	}
	if r, err := api.ParseLoginRegion(e.o.Region); err == nil {
		l.region = max(0, slices.Index(loginRegions, r))
	}
	return l
}

// chosenRegion is the region the login goes to.
func (l *login) chosenRegion() api.Region { return loginRegions[l.region] }

// cycleRegion moves the region choice by d (1 or -1), round.
func (l *login) cycleRegion(d int) {
	n := len(loginRegions)
	l.region = ((l.region+d)%n + n) % n
}

// active is the text field that takes the keys, nil on the region row.
func (l *login) active() *field {
	if l.stage == stageTFA {
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

// update handles the login screen's messages: keys, pastes, answers.
func (l *login) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return l.updateKey(msg)
	case tea.PasteMsg:
		l.paste(msg.Content)
	case loginMsg:
		return l.onLogin(msg)
	}
	return nil
}

func (l *login) paste(s string) {
	if l.stage == stageTFA {
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

func (l *login) updateKey(k tea.KeyPressMsg) tea.Cmd {
	km := l.keys
	if key.Matches(k, km.Quit) {
		return func() tea.Msg { return quitMsg{} }
	}
	if l.busy {
		return nil
	}
	switch {
	case key.Matches(k, km.Next):
		if l.stage == stagePassword {
			l.focus = (l.focus + 1) % loginRows
		}
		return nil
	case key.Matches(k, km.Prev):
		if l.stage == stagePassword {
			l.focus = (l.focus + loginRows - 1) % loginRows
		}
		return nil
	case key.Matches(k, km.Trust):
		if l.stage == stageTFA {
			l.trust = !l.trust
		}
		return nil
	case key.Matches(k, km.Submit):
		return l.submit()
	}
	f := l.active()
	if f == nil { // the region row
		switch {
		case key.Matches(k, km.RegionNext):
			l.cycleRegion(1)
		case key.Matches(k, km.RegionPrev):
			l.cycleRegion(-1)
		}
		return nil
	}
	switch {
	case key.Matches(k, km.Erase):
		f.backspace()
	case key.Matches(k, km.Clear):
		f.clear()
	case k.Text != "" && k.Mod&^tea.ModShift == 0:
		f.insert(k.Text)
	}
	return nil
}

func (l *login) submit() tea.Cmd {
	auth, ctx := l.e.o.Auth, l.e.ctx
	if auth == nil {
		return nil
	}
	if l.stage == stageTFA {
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

func (l *login) onLogin(msg loginMsg) tea.Cmd {
	l.busy = false
	if msg.err == nil {
		l.password.clear()
		l.code.clear()
		l.tfaToken = ""
		l.err = ""
		l.stage = stagePassword
		info := msg.info
		return func() tea.Msg { return loggedInMsg{info} }
	}
	if tok, typ, ok := tfaRequired(msg.err); ok {
		l.password.clear()
		l.tfaToken, l.tfaType = tok, typ
		l.code.clear()
		l.err = ""
		l.stage = stageTFA
		return nil
	}
	if msg.tfa {
		l.err = sentence(msg.err)
		l.code.clear()
		if errCode(msg.err) == 2064 { // the 2FA token expired: start again
			l.tfaToken = ""
			l.stage = stagePassword
			l.focus = focusPassword
		}
		return nil
	}
	l.err = loginSentence(msg.err, msg.region)
	l.password.clear()
	l.focus = focusPassword
	return nil
}
