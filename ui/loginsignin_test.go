package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/internal/qrterm/qrread"
)

// screenQR decodes the QR code drawn on the screen: the half-block run at
// the start of each line.
func screenQR(t *testing.T, screen string) string {
	t.Helper()
	lines := qrread.FromScreen(screen, 21)
	if len(lines) < 11 {
		t.Fatalf("no QR code on the screen:\n%s", screen)
	}
	text, err := qrread.Decode(lines)
	if err != nil {
		t.Fatalf("the QR code on the screen does not decode: %v\n%s", err, screen)
	}
	return text
}

// unwrapped is the screen's text with the QR code and the padding taken
// off and the lines joined, so a URL wrapped over lines (beside the code
// or under it) reads whole.
func unwrapped(screen string) string {
	var b strings.Builder
	for _, l := range strings.Split(screen, "\n") {
		b.WriteString(strings.TrimRight(strings.TrimLeft(l, "█▀▄ "), " "))
	}
	return b.String()
}

// Sign in on another device: enter on the first choice shows the URL and
// its QR code and waits; the fake approves while the Cmd polls; the EU
// region comes from locationid, the token is an OAuth bearer, OnLogin
// saves it and the folders show.
func TestSignInApproved(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		h, srv, c, rec := waysHarness(t, testClientID, nil)
		h.send(tea_ws(size[0], size[1]))
		wantScreen(t, h, "› 1  Sign in on another device")
		h.keys("enter")
		l := &h.m.s.login
		if l.stage != stageSignIn || h.deferred["signin"] == nil {
			t.Fatalf("%v: enter on the first choice: stage %d, err %q", size, l.stage, l.err)
		}
		url := l.req.URL()
		sc := noStyle(h.m)
		if !strings.Contains(unwrapped(sc), url) || !strings.Contains(url, "client_id="+testClientID) {
			t.Fatalf("%v: the URL %q is not on the screen:\n%s", size, url, sc)
		}
		if got := screenQR(t, sc); got != url {
			t.Fatalf("%v: the QR code reads %q, want %q", size, got, url)
		}
		wantScreen(t, h, "Waiting for you to approve in the", "esc to cancel")
		// Nothing redraws while waiting: no timer is armed, and the
		// screen is the same after another message.
		for kind := range h.deferred {
			if kind != "signin" && kind != "signin-trouble" && kind != "status" {
				t.Fatalf("%v: a %q Cmd waits beside the sign-in", size, kind)
			}
		}
		before := plainView(h.m)
		h.send(tea_ws(size[0], size[1]))
		if plainView(h.m) != before {
			t.Fatal("the waiting screen changed by itself")
		}

		rid := l.req.RequestID
		approved := make(chan struct{})
		go func() {
			defer close(approved)
			deadline := time.Now().Add(10 * time.Second)
			for srv.SignInsWaiting() == 0 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			srv.ApproveSignIn(rid, euEmail)
		}()
		h.fire("signin") // WaitSignIn returns once approved
		<-approved
		if h.screen() != "main" {
			t.Fatalf("%v: after the approval the screen is %s: %q", size, h.screen(), l.err)
		}
		if rec.count() != 1 || rec.infos[0].Email != euEmail {
			t.Fatalf("OnLogin got %+v", rec.infos)
		}
		if c.TokenKind() != api.TokenBearer || c.Region() != api.RegionEU {
			t.Fatalf("client holds a %v token in %v", c.TokenKind(), c.Region())
		}
		wantScreen(t, h, "▸ Music/", "Logged in as "+euEmail)
		if strings.Contains(plainView(h.m), c.Token()) {
			t.Fatal("the token is on the screen")
		}
		polls := srv.Calls("oauth2_token")
		if len(polls) == 0 || polls[0].Params.Get("client_id") != testClientID {
			t.Fatalf("oauth2_token calls: %+v", polls)
		}
	}
}

// esc while waiting cancels the poll and goes back to the choices; the
// answer of the cancelled Cmd changes nothing, and an approval after it
// logs nobody in.
func TestSignInCancelled(t *testing.T) {
	t.Parallel()
	h, srv, c, rec := waysHarness(t, testClientID, nil)
	h.keys("1")
	l := &h.m.s.login
	wait, rid := h.deferred["signin"], l.req.RequestID
	if l.stage != stageSignIn || wait == nil {
		t.Fatalf("1 on the choices: stage %d, err %q", l.stage, l.err)
	}
	delete(h.deferred, "signin")
	answer := make(chan tea.Msg, 1)
	go func() { answer <- wait() }()
	poll.Until(t, "the fake holds a poll", func() bool { return srv.SignInsWaiting() > 0 })

	h.keys("esc")
	if l.stage != stageChoose || l.busy || h.quit {
		t.Fatalf("esc while waiting: stage %d, busy %v, quit %v", l.stage, l.busy, h.quit)
	}
	wantScreen(t, h, "› 1  Sign in on another device")
	var msg tea.Msg
	select {
	case msg = <-answer:
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled WaitSignIn did not return")
	}
	h.send(msg)
	srv.ApproveSignIn(rid, testEmail)
	if h.screen() != "login" || l.err != "" || rec.count() != 0 || c.Token() != "" {
		t.Fatalf("after the cancelled wait: screen %s, err %q, %d logins", h.screen(), l.err, rec.count())
	}

	// Again: a new request.
	h.keys("enter")
	if l.stage != stageSignIn || l.req.RequestID == rid {
		t.Fatalf("a second sign-in: stage %d, same request %v", l.stage, l.req.RequestID == rid)
	}
}

// Without a client id the choice list says how to get one, the cursor
// starts on the password, and the first choice only repeats the sentence.
func TestSignInNoClientID(t *testing.T) {
	t.Parallel()
	h, srv, _, _ := waysHarness(t, "", nil)
	wantScreen(t, h, "No client id: make one in My Apps.", "› 2  E-mail and password", "needs a Client ID")
	h.keys("1")
	l := &h.m.s.login
	if l.stage != stageChoose || l.err != "No client id: make one in My Apps." {
		t.Fatalf("1 without a client id: stage %d, err %q", l.stage, l.err)
	}
	if n := len(srv.Log()); n != 0 {
		t.Fatalf("%d requests without a client id", n)
	}
	h.keys("enter") // the cursor is on the password
	if l.stage != stagePassword {
		t.Fatalf("enter: stage %d", l.stage)
	}
}

// While pCloud answers the polls with an error that is not a refusal (the
// code for "not approved yet" is unverified, so none ends the wait), the
// waiting screen says so in one sentence, with what to do; the wait goes
// on, and the approval that follows logs in.
func TestSignInTroubleShown(t *testing.T) {
	t.Parallel()
	h, srv, c, rec := waysHarness(t, testClientID, nil)
	srv.FailMethod("oauth2_token", 2012)
	h.keys("1")
	l := &h.m.s.login
	wait := h.deferred["signin"]
	if l.stage != stageSignIn || wait == nil || h.deferred["signin-trouble"] == nil {
		t.Fatalf("1 on the choices: stage %d, deferred %v, err %q", l.stage, h.deferred, l.err)
	}
	delete(h.deferred, "signin")
	answer := make(chan tea.Msg, 1)
	go func() { answer <- wait() }()

	if strings.Contains(plainView(h.m), "has not taken") {
		t.Fatal("trouble is shown before any poll went wrong")
	}
	h.fire("signin-trouble") // returns with the first poll that went wrong
	wantScreen(t, h, "Waiting for you to approve", "has not taken", "Invalid", "2012", "keeps asking", "Client ID")
	if h.deferred["signin-trouble"] == nil {
		t.Fatal("the screen stopped listening for trouble after the first report")
	}
	if strings.Contains(noStyle(h.m), l.req.RequestID) { // the text shown (the URL's link holds it whole)
		t.Fatal("the request id is in the trouble line")
	}

	srv.FailMethod("oauth2_token", 0)
	poll.Until(t, "the fake holds a poll again", func() bool { return srv.SignInsWaiting() > 0 })
	srv.ApproveSignIn(pcloudtest.AnyRequest, testEmail)
	select {
	case msg := <-answer:
		h.send(msg)
	case <-time.After(10 * time.Second):
		t.Fatal("WaitSignIn did not return after the approval")
	}
	if h.screen() != "main" || rec.count() != 1 || c.Token() == "" {
		t.Fatalf("after the approval: screen %s, %d logins, err %q", h.screen(), rec.count(), l.err)
	}
	// The listener ends with the sign-in, and its late answer is dropped.
	h.fire("signin-trouble")
	if l.trouble != "" {
		t.Fatalf("the trouble line outlived the sign-in: %q", l.trouble)
	}
}

// The sign-in URL, wrapped at 80×24, is an OSC 8 hyperlink to the whole
// URL on each of its lines: copying the wrapped text gave a broken link.
func TestSignInURLIsAHyperlink(t *testing.T) {
	t.Parallel()
	h, _, _, _ := waysHarness(t, testClientID, nil)
	h.send(tea_ws(80, 24))
	h.keys("enter")
	url := h.m.s.login.req.URL()
	raw := h.m.View().Content
	open := "\x1b]8;;" + url
	if n := strings.Count(raw, open); n < 2 {
		t.Fatalf("the URL (%d characters) is linked on %d lines:\n%q", len(url), n, raw)
	}
	if !strings.Contains(unwrapped(noStyle(h.m)), url) {
		t.Errorf("the URL is not shown whole")
	}
}
