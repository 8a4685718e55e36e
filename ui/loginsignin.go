package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/internal/qrterm"
)

// signInMsg is the answer of WaitSignIn.
type signInMsg struct {
	gen  int
	info api.UserInfo
	err  error
}

func (m signInMsg) loginCall() int { return m.gen }

// startSignIn makes a sign-in request, shows its URL and QR code, and
// waits for the approval in a Cmd (a blocking one: it lasts until the
// person approves or esc).
func (l *login) startSignIn() tea.Cmd {
	auth := l.e.o.Auth
	if !l.canSignIn() || auth == nil {
		l.err = l.noClientID()
		return nil
	}
	newSignIn := l.e.newSignIn
	if newSignIn == nil {
		newSignIn = api.NewSignIn
	}
	req, err := newSignIn(l.e.o.ClientID)
	if err != nil {
		l.err = sentence(err)
		return nil
	}
	l.req, l.stage = req, stageSignIn
	l.qr, _ = qrterm.Lines(req.URL()) // without it the URL alone is shown
	return l.e.blocking("signin", l.call(func(ctx context.Context, gen int) tea.Msg {
		info, err := auth.WaitSignIn(ctx, req)
		return signInMsg{gen: gen, info: info, err: err}
	}))
}

// noClientID is the sentence that says how to get a client id.
func (l *login) noClientID() string {
	if s := l.e.o.NoClientID; s != "" {
		return s
	}
	return "Signing in on another device needs a pCloud app's Client ID (client_id in the config file)."
}

func (l *login) onSignIn(msg signInMsg) tea.Cmd {
	l.stage = stageChoose
	l.req, l.qr = api.SignIn{}, nil
	if msg.err != nil {
		l.err = signInSentence(msg.err)
		return nil
	}
	return l.done(msg.info)
}

// signInSentence explains a sign-in that ended without a token: pCloud
// refuses a request with a 1xxx code when it does not know the client id.
func signInSentence(err error) string {
	if c := errCode(err); c >= 1000 && c < 2000 {
		return "pCloud refused the sign-in request (" + sentence(err) + "): check the Client ID pcplay was given."
	}
	return "Signing in on another device failed: " + sentence(err)
}
