package ui

import (
	"context"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
)

// loginStage is the login screen's step: the three ways to log in, then
// the one chosen (and the two-factor code after a password that asks for
// one).
type loginStage int

const (
	stageChoose   loginStage = iota // the three ways
	stageSignIn                     // 1: sign in on another device, waiting
	stagePassword                   // 2: e-mail, password, region
	stageToken                      // 3: paste a token
	stageTFA                        // after 2: the two-factor code
)

// The ways to log in, in the order of the choice list.
const (
	choiceSignIn = iota
	choicePassword
	choiceToken
	choices
)

// choiceText is how the choice list names each way.
var choiceText = [choices]string{
	"Sign in on another device (phone or computer; QR code)",
	"E-mail and password",
	"Paste a token",
}

// The rows of the password form, in focus order.
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

// loginKeyMap is the keys of the login screen. Its hint lines are built
// from it (see loginview.go).
type loginKeyMap struct {
	Submit, Next, Prev, Back key.Binding
	Quit                     key.Binding   // the choice list: quits, as esc does
	Choices                  []key.Binding // the choice list: one key per way
	Trust                    key.Binding   // two-factor step: trust this device
	RegionNext, RegionPrev   key.Binding   // on the region row
	Erase, Clear             key.Binding
	Edit                     key.Binding // the cursor and word keys (help only)
}

func newLoginKeys(quit key.Binding) loginKeyMap {
	return loginKeyMap{
		Quit:       quit,
		Submit:     newBinding("enter", "chooses", "enter"),
		Next:       newBinding("↓/tab", "moves", "down", "tab"),
		Prev:       newBinding("↑/shift+tab", "moves back", "up", "shift+tab"),
		Back:       newBinding("esc", "back", "esc"),
		Choices:    []key.Binding{newBinding("1", "sign in on another device", "1"), newBinding("2", "password", "2"), newBinding("3", "token", "3")},
		Trust:      newBinding("ctrl+t", "trust this device", "ctrl+t"),
		RegionNext: newBinding("→", "changes", "right", "space", "l"),
		RegionPrev: newBinding("←", "changes", "left", "h"),
		Erase:      newBinding("backspace", "erase", "backspace"),
		Clear:      newBinding("ctrl+u", "clear to the start", "ctrl+u"),
		Edit:       editBinding,
	}
}

// helpBindings is the keys as the help overlay lists them, each said in
// full (the screen's hints say them where they apply: "enter logs in").
func (km loginKeyMap) helpBindings() []key.Binding {
	out := make([]key.Binding, 0, len(km.Choices)+9)
	for i, c := range km.Choices {
		out = append(out, described(c, choiceHelp[i]))
	}
	return append(out,
		described(km.Submit, "choose / log in"),
		described(km.Next, "next field or way"),
		described(km.Prev, "previous field or way"),
		described(km.RegionNext, "next region"),
		described(km.RegionPrev, "previous region"),
		km.Trust,
		described(km.Back, "back, cancel; on the list: quit"),
		km.Erase, km.Clear, km.Edit)
}

// choiceHelp is the ways of the choice list, in the help overlay.
var choiceHelp = [choices]string{"log in: on another device", "log in: e-mail and password", "log in: paste a token"}

// login is the login screen: the choice of the three ways, then the way
// chosen. A login that succeeds comes back as a loggedInMsg. Every call
// to pCloud runs in a [tea.Cmd] with a context esc cancels; answers of a
// cancelled call are recognised by gen and dropped.
type login struct {
	e     *env
	keys  loginKeyMap
	stage loginStage

	choice int    // the cursor on the choice list
	note   string // why the screen is shown (a refused saved login), or ""

	// Sign in on another device.
	req     api.SignIn
	qr      []string // the authorize URL as QR lines; nil when it can't be drawn
	trouble string   // what the last poll that went wrong said; "" while all is well
	listen  tea.Cmd  // waits for the next trouble report of the sign-in that is out

	email, password, code, token field
	focus                        int // focusEmail, focusPassword or focusRegion
	region                       int // index in loginRegions
	tfaToken                     string
	tfaType                      int
	trust                        bool

	busy   bool               // a call is out (the spinner-free "…" line)
	gen    int                // the call whose answer counts
	cancel context.CancelFunc // ends the call that is out
	err    string
}

// loginAnswer is a message for the login screen: the answer of one of its
// calls. The top model hands every loginAnswer to the login screen.
type loginAnswer interface{ loginCall() int }

// loginMsg is the answer of a password login Cmd.
type loginMsg struct {
	gen    int
	info   api.UserInfo
	err    error
	tfa    bool       // answer to the 2FA step
	region api.Region // where the password login went
}

func (m loginMsg) loginCall() int { return m.gen }

// loggedInMsg tells the top model the person is logged in.
type loggedInMsg struct{ info api.UserInfo }

// newLogin makes the login screen on its choice list, with the region
// from [Options.Region] (auto when it is empty or unknown). The cursor is
// on signing in on another device, or on the password when there is no
// client id. quit is the UI's quit key: on the choice list it quits too.
func newLogin(e *env, quit key.Binding) login {
	l := login{
		e:        e,
		keys:     newLoginKeys(quit),
		email:    field{label: "E-mail"},
		password: field{label: "Password", mask: true},
		code:     field{label: "Code"},
		token:    field{label: "Token", mask: true},
		trust:    true,
		err:      e.o.LoginNote,
	}
	if !l.canSignIn() {
		l.choice = choicePassword
	}
	if r, err := api.ParseLoginRegion(e.o.Region); err == nil {
		l.region = max(0, slices.Index(loginRegions, r))
	}
	return l
}

// canSignIn reports whether signing in on another device is possible: a
// client id is known.
func (l *login) canSignIn() bool { return strings.TrimSpace(l.e.o.ClientID) != "" }

// chosenRegion is the region the login goes to.
func (l *login) chosenRegion() api.Region { return loginRegions[l.region] }

// cycleRegion moves the region choice by d (1 or -1), round.
func (l *login) cycleRegion(d int) {
	n := len(loginRegions)
	l.region = ((l.region+d)%n + n) % n
}

// active is the text field that takes the keys, nil where none does.
func (l *login) active() *field {
	switch l.stage {
	case stageTFA:
		return &l.code
	case stageToken:
		return &l.token
	case stagePassword:
		switch l.focus {
		case focusPassword:
			return &l.password
		case focusEmail:
			return &l.email
		}
	}
	return nil
}

// update handles the login screen's messages: keys, pastes, answers.
func (l *login) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return l.updateKey(msg)
	case tea.PasteMsg:
		l.paste(msg.Content)
	case loginAnswer:
		if msg.loginCall() != l.gen {
			return nil // a call esc cancelled, or one from before
		}
		if tm, ok := msg.(signInTroubleMsg); ok {
			return l.onSignInTrouble(tm) // the call is still out
		}
		l.busy, l.cancel = false, nil
		switch msg := msg.(type) {
		case loginMsg:
			return l.onLogin(msg)
		case signInMsg:
			return l.onSignIn(msg)
		case tokenMsg:
			return l.onToken(msg)
		}
	}
	return nil
}

func (l *login) paste(s string) {
	f := l.active()
	if f == nil {
		return
	}
	if f != &l.password {
		s = strings.TrimSpace(s)
	}
	f.insert(s)
}

// call starts a call to pCloud: run gets a context that esc cancels, and
// its answer must carry the returned gen.
func (l *login) call(run func(ctx context.Context, gen int) tea.Msg) tea.Cmd {
	l.stop()
	ctx, cancel := context.WithCancel(l.e.ctx)
	l.cancel, l.busy, l.err = cancel, true, ""
	gen := l.gen
	return func() tea.Msg {
		defer cancel()
		return run(ctx, gen)
	}
}

// stop cancels the call that is out, if any; its answer will be dropped.
func (l *login) stop() {
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
	l.busy = false
	l.gen++
}

func (l *login) updateKey(k tea.KeyPressMsg) tea.Cmd {
	km := l.keys
	if key.Matches(k, km.Back) {
		return l.back()
	}
	if l.busy {
		return nil
	}
	switch l.stage {
	case stageChoose:
		return l.chooseKey(k)
	case stageSignIn:
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
	f.key(k) // typing, and the edit keys of every input (ctrl+u clears to the start)
	return nil
}

// back is esc: it cancels the call that is out; else it goes back a step
// (the two-factor code to the password, a way to the choice list), and
// from the choice list it quits.
func (l *login) back() tea.Cmd {
	switch {
	case l.busy && l.stage != stageSignIn:
		l.stop()
		return nil
	case l.stage == stageChoose:
		return func() tea.Msg { return quitMsg{} }
	case l.stage == stageTFA:
		l.code.clear()
		l.tfaToken = ""
		l.stage, l.focus = stagePassword, focusPassword
	default:
		l.stop()
		l.password.clear()
		l.token.clear()
		l.stage = stageChoose
	}
	l.err = ""
	return nil
}

// chooseKey handles the choice list's keys.
func (l *login) chooseKey(k tea.KeyPressMsg) tea.Cmd {
	km := l.keys
	switch {
	case key.Matches(k, km.Quit):
		return func() tea.Msg { return quitMsg{} }
	case key.Matches(k, km.Next):
		l.choice = (l.choice + 1) % choices
	case key.Matches(k, km.Prev):
		l.choice = (l.choice + choices - 1) % choices
	case key.Matches(k, km.Submit):
		return l.choose(l.choice)
	default:
		for i, b := range km.Choices {
			if key.Matches(k, b) {
				if i != choiceSignIn || l.canSignIn() {
					l.choice = i
				}
				return l.choose(i)
			}
		}
	}
	return nil
}

// choose opens way i of the choice list.
func (l *login) choose(i int) tea.Cmd {
	l.err = ""
	switch i {
	case choiceSignIn:
		return l.startSignIn()
	case choicePassword:
		l.stage, l.focus = stagePassword, focusEmail
	case choiceToken:
		l.stage = stageToken
	}
	return nil
}

// done leaves the screen logged in, with nothing secret kept.
func (l *login) done(info api.UserInfo) tea.Cmd {
	l.password.clear()
	l.code.clear()
	l.token.clear()
	l.tfaToken, l.err, l.note = "", "", ""
	l.stage = stageChoose
	return func() tea.Msg { return loggedInMsg{info} }
}
