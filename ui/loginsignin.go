package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/internal/qrterm"
)

// signInMsg is the answer of [Authenticator.WaitSignIn].
type signInMsg struct {
	gen  int
	info api.UserInfo
	err  error
}

func (m signInMsg) loginCall() int { return m.gen }

// signInTroubleMsg is a poll of the sign-in that went wrong while it goes
// on ([api.SignIn.OnTrouble]).
type signInTroubleMsg struct {
	gen int
	err error
}

func (m signInTroubleMsg) loginCall() int { return m.gen }

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
	trouble := make(chan error, 1)
	req.OnTrouble = func(err error) {
		select {
		case trouble <- err:
		default: // one is waiting to be shown: it says the same
		}
	}
	l.req, l.stage, l.trouble = req, stageSignIn, ""
	l.qr, _ = qrterm.Lines(req.URL()) // without it the URL alone is shown
	done := make(chan struct{})
	wait := l.call(func(ctx context.Context, gen int) tea.Msg {
		defer close(done)
		info, err := auth.WaitSignIn(ctx, req)
		return signInMsg{gen: gen, info: info, err: err}
	})
	gen := l.gen
	l.listen = func() tea.Msg {
		select {
		case err := <-trouble:
			return signInTroubleMsg{gen: gen, err: err}
		case <-done:
			return nil
		}
	}
	return tea.Batch(l.e.blocking("signin", wait), l.e.blocking("signin-trouble", l.listen))
}

// onSignInTrouble shows what went wrong with the last poll, and listens
// for the next report.
func (l *login) onSignInTrouble(msg signInTroubleMsg) tea.Cmd {
	if l.stage != stageSignIn || l.listen == nil {
		return nil
	}
	l.trouble = signInTroubleSentence(msg.err, l.req)
	return l.e.blocking("signin-trouble", l.listen)
}

// signInTroubleSentence is [api.SignInTrouble] and what to do on this screen
// if it stays so.
func signInTroubleSentence(err error, req api.SignIn) string {
	return api.SignInTrouble(err, req) + " If this stays, check the Client ID, or press esc and log in another way."
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
	l.req, l.qr, l.trouble, l.listen = api.SignIn{}, nil, "", nil
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
