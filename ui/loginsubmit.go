package ui

import (
	"context"
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
)

// tokenMsg is the answer of [Authenticator.ProbeToken] for a pasted token.
type tokenMsg struct {
	gen  int
	info api.UserInfo
	err  error
}

func (m tokenMsg) loginCall() int { return m.gen }

// submit is enter in a form: the password, the two-factor code or the
// pasted token goes to pCloud.
func (l *login) submit() tea.Cmd {
	auth := l.e.o.Auth
	if auth == nil {
		return nil
	}
	switch l.stage {
	case stageTFA:
		return l.submitTFA(auth)
	case stageToken:
		return l.submitToken(auth)
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
	return l.call(func(ctx context.Context, gen int) tea.Msg {
		info, err := auth.LoginIn(ctx, region, email, pw)
		return loginMsg{gen: gen, info: info, err: err, region: region}
	})
}

func (l *login) submitTFA(auth Authenticator) tea.Cmd {
	code := strings.TrimSpace(l.code.String())
	if code == "" {
		l.err = "Type the code first."
		return nil
	}
	token, trust := l.tfaToken, l.trust
	return l.call(func(ctx context.Context, gen int) tea.Msg {
		info, err := auth.TFALogin(ctx, token, code, trust)
		return loginMsg{gen: gen, info: info, err: err, tfa: true}
	})
}

func (l *login) submitToken(auth Authenticator) tea.Cmd {
	tok := strings.TrimSpace(l.token.String())
	if tok == "" {
		l.err = "Paste the token first (an auth token or an OAuth access token)."
		return nil
	}
	return l.call(func(ctx context.Context, gen int) tea.Msg {
		info, err := auth.ProbeToken(ctx, tok)
		return tokenMsg{gen: gen, info: info, err: err}
	})
}

func (l *login) onToken(msg tokenMsg) tea.Cmd {
	if msg.err == nil {
		return l.done(msg.info)
	}
	l.token.clear()
	if api.IsAuth(msg.err) {
		l.err = "pCloud does not accept that token (as an auth token or as an access token, in either region): check that it was copied whole, or go back (" + keyName(l.keys.Back) + ") and log in another way."
		return nil
	}
	l.err = sentence(msg.err)
	return nil
}

// loginSentence explains a failed password login without sending the
// person to a flag: the screen has its own Region field. A 2000 in a
// region the person chose names the other region; in auto, pcplay asked
// every region it knows already.
func loginSentence(err error, region api.Region) string {
	if errCode(err) != 2000 {
		return sentence(err)
	}
	if region == api.RegionAuto {
		return "Wrong e-mail or password."
	}
	other := api.RegionEU
	if region == api.RegionEU {
		other = api.RegionUS
	}
	return "Wrong e-mail or password, or your account is in the " + regionText(other) + " region (choose " + regionText(other) + " or auto as the region)."
}

func (l *login) onLogin(msg loginMsg) tea.Cmd {
	if msg.err == nil {
		return l.done(msg.info)
	}
	if tok, typ, ok := tfaRequired(msg.err); ok {
		l.password.clear()
		l.tfaToken, l.tfaType = tok, typ
		l.code.clear()
		l.err = ""
		l.stage = stageTFA
		return nil
	}
	var refused *api.PasswordsRefused
	if errors.As(msg.err, &refused) {
		l.passwordsRefused()
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

// passwordsRefused goes back to the choice list with the cursor on the
// way that still works: enter takes it.
func (l *login) passwordsRefused() {
	l.password.clear()
	l.code.clear()
	l.tfaToken = ""
	l.stage = stageChoose
	enter := keyName(l.keys.Submit)
	if l.canSignIn() {
		l.choice = choiceSignIn
		l.err = "pCloud no longer accepts passwords for apps here: sign in on another device instead (" + enter + "), or paste a token (" + keyName(l.keys.Choices[choiceToken]) + ")."
		return
	}
	l.choice = choiceToken
	l.err = "pCloud no longer accepts passwords for apps here: paste a token instead (" + enter + "), or set up a Client ID to sign in on another device (see below)."
}
