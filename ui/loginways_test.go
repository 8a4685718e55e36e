package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
)

const (
	testClientID = "UiTestClient"
	euEmail      = "eu@example.com"
)

// waysHarness is the login screen on its choice list against a fake with
// a US account (testEmail) and an EU one (euEmail), the client knowing
// both regions' URLs and starting in the US.
func waysHarness(t *testing.T, clientID string, mod func(*pcloudtest.Options)) (*harness, *pcloudtest.Server, *api.Client, *loginRec) {
	t.Helper()
	o := pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: testEmail, Password: testPass}, {Email: euEmail, Password: testPass, Region: "eu"}},
		Root:     testTree(),
	}
	if mod != nil {
		mod(&o)
	}
	srv := pcloudtest.NewServer(o)
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{
		Region:      api.RegionUS,
		RegionURLs:  map[api.Region]string{api.RegionUS: srv.RegionURL("us"), api.RegionEU: srv.RegionURL("eu")},
		MaxAttempts: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := &loginRec{}
	h := newHarness(t, Options{Library: c, Auth: c, NeedLogin: true, OnLogin: rec.on, ClientID: clientID, NoClientID: "No client id: make one in My Apps."}, 80, 24)
	return h, srv, c, rec
}

// screenText is the screen's lines trimmed and joined with spaces: a
// sentence wrapped over lines reads whole.
func screenText(h *harness) string {
	var lines []string
	for _, l := range strings.Split(noStyle(h.m), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	return strings.Join(lines, " ")
}

// wantText is wantScreen for sentences wrapped over lines.
func wantText(t *testing.T, h *harness, subs ...string) {
	t.Helper()
	text := screenText(h)
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Fatalf("screen lacks %q:\n%s", s, noStyle(h.m))
		}
	}
}

// pCloud refuses passwords: the screen says so and goes back to the
// choices with the cursor on signing in on another device (one enter
// away), or on the token without a client id.
func TestPasswordsRefusedWorld(t *testing.T) {
	refuse := func(o *pcloudtest.Options) { o.RefusePasswords = true }
	h, _, _, rec := waysHarness(t, testClientID, refuse)
	h.keys("2")
	h.login(testEmail, testPass)
	l := &h.m.s.login
	if l.stage != stageChoose || l.choice != choiceSignIn || rec.count() != 0 {
		t.Fatalf("passwords refused: stage %d, choice %d", l.stage, l.choice)
	}
	wantText(t, h, "no longer accepts passwords", "sign in on another device instead (enter)", "› 1  Sign in")
	noFlags(t, h)
	if len(l.password.String()) != 0 {
		t.Fatal("the password is kept")
	}
	h.keys("enter")
	if l.stage != stageSignIn {
		t.Fatalf("enter after the refusal: stage %d", l.stage)
	}

	h2, _, _, _ := waysHarness(t, "", refuse)
	h2.keys("2")
	h2.login(testEmail, testPass)
	if l2 := &h2.m.s.login; l2.stage != stageChoose || l2.choice != choiceToken {
		t.Fatalf("without a client id: stage %d, choice %d", l2.stage, l2.choice)
	}
	wantText(t, h2, "paste a token instead (enter)")
}

// noFlags fails when the login screen sends the person to a command-line
// flag or command: it has its own fields.
func noFlags(t *testing.T, h *harness) {
	t.Helper()
	sc := noStyle(h.m)
	for _, s := range []string{"--region", "pcplay login", "--token", "--password"} {
		if strings.Contains(sc, s) {
			t.Fatalf("the login screen says %q:\n%s", s, sc)
		}
	}
}

// A pasted token: masked, probed, saved with its kind and region (an
// OAuth token of the EU account is a bearer in the EU; an auth token of
// the US one is auth in the US). A refused token says so and stays.
func TestTokenPaste(t *testing.T) {
	for _, c := range []struct {
		name   string
		email  string
		oauth  bool
		kind   api.TokenKind
		region api.Region
	}{
		{"oauth eu", euEmail, true, api.TokenBearer, api.RegionEU},
		{"auth us", testEmail, false, api.TokenAuth, api.RegionUS},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, srv, cl, rec := waysHarness(t, testClientID, nil)
			tok := srv.Token(c.email)
			if c.oauth {
				tok = srv.OAuthToken(c.email)
			}
			h.keys("3")
			wantScreen(t, h, "paste a token", "› Token:")
			h.send(tea.PasteMsg{Content: " " + tok + "\n"})
			if sc := noStyle(h.m); strings.Contains(sc, tok) || !strings.Contains(sc, "••••") {
				t.Fatalf("the token is not masked:\n%s", sc)
			}
			h.keys("enter")
			if h.screen() != "main" || rec.count() != 1 || rec.infos[0].Email != c.email {
				t.Fatalf("screen %s, err %q, logins %+v", h.screen(), h.m.s.login.err, rec.infos)
			}
			if cl.TokenKind() != c.kind || cl.Region() != c.region || cl.Token() != tok {
				t.Fatalf("client holds a %v token in %v", cl.TokenKind(), cl.Region())
			}
			if len(h.m.s.login.token.String()) != 0 {
				t.Fatal("the token is kept in the field")
			}
			wantScreen(t, h, "▸ Music/")
		})
	}
	t.Run("refused", func(t *testing.T) {
		h, _, cl, rec := waysHarness(t, testClientID, nil)
		h.keys("3")
		h.typeText(strings.Repeat("ab", 20))
		h.keys("enter")
		if h.screen() != "login" || rec.count() != 0 || cl.Token() != "" {
			t.Fatalf("a wrong token: screen %s", h.screen())
		}
		wantScreen(t, h, "does not accept that token", "go back (esc)")
		noFlags(t, h)
		h.keys("enter")
		wantScreen(t, h, "Paste the token first")
		h.keys("esc")
		if h.m.s.login.stage != stageChoose {
			t.Fatal("esc did not go back to the choices")
		}
	})
}

// pCloud refuses the saved login while browsing (the token was revoked):
// the login screen opens with one line saying so; logging in there loads
// the folders again. A refused PCLOUD_TOKEN is named; without an
// [Authenticator] the error stays in the view.
func TestLoginRefusedWhileBrowsing(t *testing.T) {
	for _, c := range []struct {
		name, from, want string
		bearer           bool // an OAuth token: refused with 2094, not 2000
	}{
		{"saved", "", "pCloud no longer accepts the saved login (it expired or was revoked): log in again.", false},
		{"saved bearer", "", "pCloud no longer accepts the saved login (it expired or was revoked): log in again.", true},
		{"env", "PCLOUD_TOKEN", "pCloud does not accept the token in PCLOUD_TOKEN", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newFake(t)
			cl := newClient(t, srv, srv.Token(testEmail))
			if c.bearer {
				var err error
				cl, err = api.New(api.Options{BaseURL: srv.URL(), Token: srv.OAuthToken(testEmail), TokenKind: api.TokenBearer, MaxAttempts: 1})
				if err != nil {
					t.Fatal(err)
				}
			}
			rec := &loginRec{}
			h := newHarness(t, Options{Library: cl, Auth: cl, OnLogin: rec.on, ClientID: testClientID, TokenFrom: c.from}, 80, 24)
			wantScreen(t, h, "▸ Music/")
			srv.RevokeAll()
			h.keys("enter")
			if h.screen() != "login" || h.m.s.login.stage != stageChoose {
				t.Fatalf("after the refusal: screen %s", h.screen())
			}
			wantText(t, h, c.want, "› 1  Sign in on another device")
			noFlags(t, h)
			lf := srv.Calls("listfolder")
			if want := map[bool]int{false: 2000, true: 2094}[c.bearer]; lf[len(lf)-1].Result != want {
				t.Fatalf("the refused listing answered %d, want %d", lf[len(lf)-1].Result, want)
			}
			if strings.Contains(screenText(h), "log in again") != (c.from == "") {
				t.Fatalf("the line for a %s token:\n%s", c.name, noStyle(h.m))
			}
			srv.ResetLog()
			h.keys("2")
			h.login(testEmail, testPass)
			if h.screen() != "main" || rec.count() != 1 {
				t.Fatalf("logging in again: screen %s, err %q", h.screen(), h.m.s.login.err)
			}
			if len(srv.Calls("listfolder")) == 0 {
				t.Fatal("the folders were not listed again after the login")
			}
			wantScreen(t, h, "▸ Music/")
		})
	}
	t.Run("no auth", func(t *testing.T) {
		h, srv := browse(t, 80, 24, Options{})
		srv.RevokeAll()
		h.keys("enter")
		if h.screen() != "main" {
			t.Fatalf("without an Authenticator the screen is %s", h.screen())
		}
		wantScreen(t, h, "✗ ")
	})
}

// q quits from the choice list (it has no text field) and is a letter in
// the forms.
func TestLoginQuitKey(t *testing.T) {
	h, _, _, _ := waysHarness(t, testClientID, nil)
	h.keys("2", "q")
	if h.quit || h.m.s.login.email.String() != "q" {
		t.Fatalf("q in the e-mail field: quit %v, e-mail %q", h.quit, h.m.s.login.email.String())
	}
	h.keys("esc")
	wantScreen(t, h, "esc/q quits")
	h.keys("q")
	if !h.quit {
		t.Fatal("q on the choice list did not quit")
	}
}
