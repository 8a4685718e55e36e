package ui

import (
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

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

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// screenQR decodes the QR code drawn on the screen: the half-block run at
// the start of each line, rendered as a terminal shows it (blocks light).
func screenQR(t *testing.T, screen string) string {
	t.Helper()
	var rows [][]rune
	for _, line := range strings.Split(screen, "\n") {
		rs := []rune(line)
		n := 0
		for n < len(rs) && strings.ContainsRune("█▀▄ ", rs[n]) {
			n++
		}
		if run := strings.TrimRight(string(rs[:n]), " "); len([]rune(run)) >= 21 {
			rows = append(rows, []rune(run))
		}
	}
	if len(rows) < 11 {
		t.Fatalf("no QR code on the screen:\n%s", screen)
	}
	const scale, margin = 4, 4
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	img := image.NewGray(image.Rect(0, 0, (cols+2*margin)*scale, (2*len(rows)+2*margin)*scale))
	paint := func(row, col int) {
		for y := range scale {
			for x := range scale {
				img.SetGray((col+margin)*scale+x, (row+margin)*scale+y, color.Gray{Y: 255})
			}
		}
	}
	for i, r := range rows {
		for c, ch := range r {
			if ch == '█' || ch == '▀' {
				paint(2*i, c)
			}
			if ch == '█' || ch == '▄' {
				paint(2*i+1, c)
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code on the screen does not decode: %v\n%s", err, screen)
	}
	return res.GetText()
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

// Sign in on another device: enter on the first choice shows the URL and
// its QR code and waits; the fake approves while the Cmd polls; the EU
// region comes from locationid, the token is an OAuth bearer, OnLogin
// saves it and the folders show.
func TestSignInApproved(t *testing.T) {
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
		// Nothing changes on screen while waiting: no spinner.
		if plainView(h.m) != plainView(h.m) {
			t.Fatal("the waiting screen changes by itself")
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
	eventually(t, "the fake holds a poll", func() bool { return srv.SignInsWaiting() > 0 })

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
	if len(l.password.value) != 0 {
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
			if len(h.m.s.login.token.value) != 0 {
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
// Authenticator the error stays in the view.
func TestLoginRefusedWhileBrowsing(t *testing.T) {
	for _, c := range []struct {
		name, from, want string
	}{
		{"saved", "", "pCloud no longer accepts the saved login (it expired or was revoked): log in again."},
		{"env", "PCLOUD_TOKEN", "pCloud does not accept the token in PCLOUD_TOKEN"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newFake(t)
			cl := newClient(t, srv, srv.Token(testEmail))
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
