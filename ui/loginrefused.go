package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
)

// apiAnswer is a message that carries the answer of a call to pCloud made
// with the login: the top model looks at its error for a refused login.
type apiAnswer interface{ apiErr() error }

func (m listingMsg) apiErr() error { return m.err }

// playerRefused: the player stopped because pCloud refused the login
// (Status.NeedLogin, newly).
type playerRefused struct{}

func (playerRefused) apiErr() error { return &api.Error{Code: 1000, Method: "getaudiolink"} }
func (m addMsg) apiErr() error      { return m.err }

// The playlists' answers (view 5, the picker of A): a revoked login
// refuses collections as it refuses listings.
func (m plListMsg) apiErr() error       { return m.err }
func (m plOpenMsg) apiErr() error       { return m.err }
func (m plQueueMsg) apiErr() error      { return m.err }
func (m pickerListMsg) apiErr() error   { return m.err }
func (m playlistDoneMsg) apiErr() error { return m.err }

// loginRefused opens the login screen when pCloud refused the login while
// browsing (the saved token expired or was revoked, or PCLOUD_TOKEN is
// wrong), with one line saying which login it refused. Without an
// [Authenticator] the error stays where the view shows it.
func (m *model) loginRefused(msg tea.Msg) tea.Cmd {
	a, ok := msg.(apiAnswer)
	if !ok || m.screen == screenLogin || m.e.o.Auth == nil || !api.IsAuth(a.apiErr()) {
		return nil
	}
	m.screen = screenLogin
	m.login = newLogin(m.e, m.keys.Quit)
	m.login.note = refusedNote(m.e.o.TokenFrom)
	m.help.open, m.picker.open = false, false
	return nil
}

// refusedNote is the login screen's line after pCloud refused the login
// in use; from is the environment variable it came from, or "".
func refusedNote(from string) string {
	if from != "" {
		return "pCloud does not accept the token in " + from + " (it is wrong, revoked or expired): log in here for now, and fix or unset " + from + " for the next start."
	}
	return "pCloud no longer accepts the saved login (it expired or was revoked): log in again."
}
