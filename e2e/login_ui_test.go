package e2e

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

// keyEsc is the escape key as a terminal sends it.
const keyEsc = "\x1b"

// uiLoginWorld is a world whose fake pCloud has a US and an EU account
// and a library with folders to list, with PCPLAY_API_URL at the EU host
// (the region then comes from locationid) and PCPLAY_CLIENT_ID set.
func uiLoginWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{
			{Email: email, Password: password},
			{Email: euEmail, Password: password, Region: "eu"},
		},
		Root: pcloudtest.Dir("", pcloudtest.Dir("Music", pcloudtest.Dir("Album")), pcloudtest.Dir("Podcasts")),
	})
	t.Cleanup(srv.Close)
	w.srv = srv
	w.api = w.proxy(srv.RegionURL("eu"))
	w.setenv("PCPLAY_CLIENT_ID", clientID)
	w.setenv("PCPLAY_API_URL", w.api)
	return w
}

// The login screen of pcplay with no login: signing in on another device
// is the first choice; enter shows the URL, its QR code and the waiting
// line; the person approves (through the fake) and the folders show. The
// token is saved as an OAuth bearer in the EU region that locationid
// names, and never shows. At the next start pCloud has revoked it: the
// login screen opens again, saying so, and a pasted token logs in.
func TestLoginScreenSignIn(t *testing.T) {
	t.Parallel()
	w := uiLoginWorld(t)
	logFile := w.path("pcplay.log")
	tm := w.start("--foreground", "--output", "null", "--log", logFile)
	tm.waitFor("› 1  Sign in on another device", "2  E-mail and password", "3  Paste a token", "esc/q quits")
	tm.send(keyEnter)
	screen := tm.waitFor("Waiting for you to approve in the browser", "esc to cancel")
	m := signInURL.FindStringSubmatch(strings.ReplaceAll(screen, "\n", ""))
	if m == nil || m[1] != clientID {
		t.Fatalf("no sign-in URL with the client id on the screen:\n%s", screen)
	}
	if got := decodeQR(t, screen); got != m[0] {
		t.Fatalf("the QR code on the screen reads %q, not the URL %q", got, m[0])
	}
	waitSignInPolled(t, w.srv, 1)

	// esc cancels and goes back to the choices; the next request is a new one.
	tm.send(keyEsc)
	tm.waitUntil("the choices again", func(s string) bool {
		return strings.Contains(s, "› 1  Sign in on another device") && !strings.Contains(s, "Waiting for you")
	})
	tm.send(keyEnter)
	screen = tm.waitFor("Waiting for you to approve in the browser")
	m2 := signInURL.FindStringSubmatch(strings.ReplaceAll(screen, "\n", ""))
	if m2 == nil || m2[2] == m[2] {
		t.Fatalf("the second sign-in has no new request id:\n%s", screen)
	}
	waitSignInPolled(t, w.srv, 2)
	w.srv.ApproveSignIn(m2[2], euEmail)
	tm.waitFor("Music/", "Podcasts/", "Logged in as "+euEmail)

	l := w.savedLogin()
	if l["kind"] != "bearer" || l["region"] != "eu" || l["email"] != euEmail {
		t.Fatalf("saved login kind %q region %q email %q", l["kind"], l["region"], l["email"])
	}
	tm.quit()
	logb, _ := os.ReadFile(logFile)
	noToken(t, l["token"], map[string]string{"the terminal": tm.output(), "the log": string(logb)})

	// Revoked: the next start opens the login screen with one line, and
	// a pasted token (typed, masked) logs in.
	w.srv.RevokeAll()
	tok := w.srv.OAuthToken(euEmail)
	tm = w.start("--foreground", "--output", "null")
	tm.waitFor("no longer accepts the saved login", "› 1  Sign in on another device")
	tm.send("3")
	tm.waitFor("paste a token", "Token:")
	tm.send(tok)
	tm.waitFor(strings.Repeat("•", len(tok)))
	tm.send(keyEnter)
	tm.waitFor("Music/", "Podcasts/", "Logged in as "+euEmail)
	tm.quit()
	if l := w.savedLogin(); l["token"] != tok || l["kind"] != "bearer" || l["region"] != "eu" {
		t.Fatalf("the pasted token saved as kind %q region %q", l["kind"], l["region"])
	}
	noToken(t, tok, map[string]string{"the terminal": tm.output()})
}

// waitSignInPolled waits until the fake has been polled for n sign-in
// requests not approved (its log has a poll only once it ends).
func waitSignInPolled(t *testing.T, srv *pcloudtest.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for srv.SignInsWaiting() < n {
		if time.Now().After(deadline) {
			t.Fatal("pcplay never polled oauth2_token")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Without a client id the login screen says how to get one, and a
// password pCloud refuses points to the token: the screen names no flag.
func TestLoginScreenNoClientID(t *testing.T) {
	t.Parallel()
	w := uiLoginWorld(t)
	w.setenv("PCPLAY_CLIENT_ID", "")
	tm := w.start("--foreground", "--output", "null")
	tm.waitFor("needs a Client ID", `"My Apps"`, "› 2  E-mail and password")
	tm.send(keyEnter)
	tm.waitFor("log in with e-mail and password")
	tm.send(email, "\t", "wrong password", keyEnter)
	screen := tm.waitFor("Wrong e-mail or password.")
	for _, s := range []string{"--region", "pcplay login"} {
		if strings.Contains(screen, s) {
			t.Fatalf("the login screen names %q:\n%s", s, screen)
		}
	}
	tm.send(keyEsc)
	tm.waitFor("› 2  E-mail and password")
	tm.send(keyEsc)
	if code := tm.wait(); code != 0 {
		t.Fatalf("esc on the choices: exit %d", code)
	}
	checkRestored(t, tm.output())
}
