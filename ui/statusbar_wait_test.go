package ui

import (
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

// While the player waits for pCloud the status line counts down to the
// next try (from the status the player sends once a second) and says why;
// a refused login from the player opens the login screen once.
func TestWaitingForPCloudAndRefusedLogin(t *testing.T) {
	srv := newFake(t)
	cl := newClient(t, srv, srv.Token(testEmail))
	h := newHarness(t, Options{Library: cl, Auth: cl}, 100, 24)
	wantScreen(t, h, "▸ Music/")
	tr := player.Track{FileID: 1, Name: "a128.mp3"}
	st := player.Status{State: player.Waiting, Index: 0, Track: tr, Position: 7 * time.Second,
		RetryAt: time.Now().Add(8 * time.Second), RetryIn: 8 * time.Second,
		Reason: "Can't reach pCloud: the connection was refused. Check the network connection."}
	h.status(st, []player.Track{tr})
	wantScreen(t, h, "Waiting for pCloud", "pCloud unreachable — retrying in 8 s · Can't reach pCloud: the connection was refused.")
	st.RetryIn = 7 * time.Second
	h.status(st, nil)
	wantScreen(t, h, "pCloud unreachable — retrying in 7 s")
	st.RetryIn = 0
	h.status(st, nil)
	wantScreen(t, h, "pCloud unreachable — retrying now")

	refused := player.Status{State: player.Errored, Index: 0, Track: tr, NeedLogin: true,
		Err: "pCloud no longer accepts the saved login (the token expired, was revoked, or belongs to the other region): log in again (pcplay login)."}
	h.status(refused, nil)
	if h.screen() != "login" {
		t.Fatalf("after the player's refused login: screen %s", h.screen())
	}
}
