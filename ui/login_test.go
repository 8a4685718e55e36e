package ui

import (
	"strings"
	"sync"
	"testing"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
)

type loginRec struct {
	mu    sync.Mutex
	infos []api.UserInfo
}

func (l *loginRec) on(u api.UserInfo) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.infos = append(l.infos, u)
}

func (l *loginRec) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.infos)
}

// loginHarness starts the UI on the login screen against the fake.
func loginHarness(t *testing.T, w, h int, accounts ...pcloudtest.Account) (*harness, *pcloudtest.Server, *api.Client, *loginRec) {
	t.Helper()
	srv := newFake(t, accounts...)
	c := newClient(t, srv, "")
	rec := &loginRec{}
	hs := newHarness(t, Options{Library: c, Auth: c, NeedLogin: true, OnLogin: rec.on}, w, h)
	hs.keys("2") // the password form
	return hs, srv, c, rec
}

func (h *harness) login(email, pw string) {
	h.typeText(email)
	h.keys("enter") // to the password
	h.typeText(pw)
	h.keys("enter")
}

func TestLoginSuccess(t *testing.T) {
	h, srv, c, rec := loginHarness(t, 80, 24)
	if len(srv.Calls("listfolder")) != 0 {
		t.Fatal("listed before logging in")
	}
	wantScreen(t, h, "log in with e-mail and password", "E-mail:", "Password:")
	h.typeText("ann@example.co")
	h.keys("x", "backspace") // keys are text here, not commands
	h.typeText("m")
	h.keys("tab")
	h.typeText(testPass)
	sc := noStyle(h.m)
	if strings.Contains(sc, testPass) || !strings.Contains(sc, strings.Repeat("•", len(testPass))) {
		t.Fatalf("password not masked:\n%s", sc)
	}
	wantCalls(t, h.p)
	h.keys("enter")
	if h.screen() != "main" {
		t.Fatalf("still on screen %s: %q", h.screen(), h.m.s.login.err)
	}
	if rec.count() != 1 || rec.infos[0].Email != testEmail {
		t.Fatalf("OnLogin got %+v", rec.infos)
	}
	if c.Token() == "" {
		t.Fatal("client has no token after login")
	}
	if len(h.m.s.login.password.String()) != 0 {
		t.Fatal("password kept in memory after login")
	}
	wantScreen(t, h, "▸ Music/", "Logged in as "+testEmail)
}

func TestLoginErrors(t *testing.T) {
	cases := []struct {
		name    string
		account pcloudtest.Account
		pw      string
		fail    int
		want    string
	}{
		{"2000 wrong password", pcloudtest.Account{Email: testEmail, Password: testPass}, "wrong", 0, "Wrong e-mail or password"},
		{"1022 new device", pcloudtest.Account{Email: testEmail, Password: testPass, NewDevice: true}, testPass, 0, "approve this device"},
		{"4000 rate limit", pcloudtest.Account{Email: testEmail, Password: testPass}, testPass, 4000, "wait a while"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, srv, _, rec := loginHarness(t, 80, 24, c.account)
			if c.fail != 0 {
				srv.FailNext(1, c.fail)
			}
			h.login(testEmail, c.pw)
			if h.screen() != "login" || rec.count() != 0 {
				t.Fatalf("screen %s, %d logins", h.screen(), rec.count())
			}
			wantScreen(t, h, "✗ ", c.want)
			if strings.Contains(noStyle(h.m), c.pw) {
				t.Fatal("password on screen")
			}
			// The password is cleared and has the focus; the e-mail stays.
			if h.m.s.login.focus != 1 || len(h.m.s.login.password.String()) != 0 || h.m.s.login.email.String() != testEmail {
				t.Fatalf("after failure: focus %d, email %q", h.m.s.login.focus, h.m.s.login.email.String())
			}
			if c.name == "1022 new device" {
				srv.ApproveDevice(testEmail)
				h.typeText(testPass)
				h.keys("enter")
				if h.screen() != "main" {
					t.Fatalf("after approval: %q", h.m.s.login.err)
				}
			}
		})
	}
}

func TestLoginTwoFactor(t *testing.T) {
	acc := pcloudtest.Account{Email: testEmail, Password: testPass, TFA: true, TFACode: "424242", TFAType: 2}
	h, srv, _, rec := loginHarness(t, 80, 24, acc)
	h.login(testEmail, testPass)
	if h.screen() != "tfa" {
		t.Fatalf("screen %s, err %q", h.screen(), h.m.s.login.err)
	}
	wantScreen(t, h, "two-factor", "authenticator app", "[x] trust this device")
	h.keys("ctrl+t")
	wantScreen(t, h, "[ ] trust this device")
	h.keys("ctrl+t")

	// 2012: wrong code, stay and try again.
	h.typeText("000000")
	h.keys("enter")
	if h.screen() != "tfa" {
		t.Fatalf("wrong code left the 2FA screen")
	}
	wantScreen(t, h, "two-factor code is wrong")

	// 2064: the token expired: back to the password.
	srv.ExpireTFATokens()
	h.typeText("424242")
	h.keys("enter")
	if h.screen() != "login" || h.m.s.login.tfaToken != "" {
		t.Fatalf("expired 2FA token: screen %s", h.screen())
	}
	wantScreen(t, h, "took too long")

	// And through.
	h.typeText(testPass)
	h.keys("enter")
	h.typeText("424242")
	h.keys("enter")
	if h.screen() != "main" || rec.count() != 1 {
		t.Fatalf("screen %s, err %q", h.screen(), h.m.s.login.err)
	}
	calls := srv.Calls("tfa_login")
	if len(calls) == 0 {
		t.Fatal("no tfa_login call")
	}
	wantScreen(t, h, "▸ Music/")
}

func TestLoginEscQuitsAndEmptyFields(t *testing.T) {
	h, srv, _, _ := loginHarness(t, 80, 24)
	h.keys("enter", "enter")
	wantScreen(t, h, "Type your pCloud e-mail address.")
	if n := len(srv.Log()); n != 0 {
		t.Fatalf("%d requests with empty fields", n)
	}
	h.keys("esc")
	if h.quit || h.m.s.login.stage != stageChoose {
		t.Fatal("esc in the password form didn't go back to the choices")
	}
	h.keys("esc")
	if !h.quit {
		t.Fatal("esc on the choices didn't quit")
	}
}
