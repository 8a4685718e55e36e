package e2e

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/internal/qrterm/qrread"
)

const (
	euEmail  = "eu@example.com"
	clientID = "E2eClientId"
)

// loginWorld is a world whose fake pCloud has one US and one EU account
// and the login switches mod sets.
func loginWorld(t *testing.T, mod func(*pcloudtest.Options)) *world {
	t.Helper()
	w := newWorld(t)
	o := pcloudtest.Options{Accounts: []pcloudtest.Account{
		{Email: email, Password: password},
		{Email: euEmail, Password: password, Region: "eu"},
	}}
	if mod != nil {
		mod(&o)
	}
	srv := pcloudtest.NewServer(o)
	t.Cleanup(srv.Close)
	w.srv = srv
	w.api = w.proxy(srv.URL())
	return w
}

// savedLogin reads the token file.
func (w *world) savedLogin() map[string]string {
	w.t.Helper()
	b, err := os.ReadFile(w.tokenFile())
	if err != nil {
		w.t.Fatalf("no token file: %v", err)
	}
	var l map[string]string
	if err := json.Unmarshal(b, &l); err != nil {
		w.t.Fatalf("token file: %v", err)
	}
	return l
}

// noToken fails when the token shows in any of texts.
func noToken(t *testing.T, token string, texts map[string]string) {
	t.Helper()
	if len(token) < 16 {
		t.Fatalf("token %q too short to look for", token)
	}
	for where, s := range texts {
		if strings.Contains(s, token) {
			t.Errorf("%s shows the token", where)
		}
	}
}

var signInURL = regexp.MustCompile(`https://my\.pcloud\.com/oauth2/authorize\?client_id=(\S+)&response_type=poll_token&request_id=([A-Z]{40})`)

// `pcplay login` in a terminal: the URL and a QR code, the person approves
// (through the fake), the token is saved as a bearer in the EU region
// that locationid names.
func TestSignInOnAnotherDevice(t *testing.T) {
	t.Parallel()
	w := loginWorld(t, nil)
	// The EU host, as PCPLAY_API_URL: the region comes from locationid.
	w.api = w.proxy(w.srv.RegionURL("eu"))
	w.setenv("PCPLAY_CLIENT_ID", clientID)
	w.setenv("PCPLAY_API_URL", w.api)
	logFile := w.path("pcplay.log")
	tm := w.start("--log", logFile, "login")
	screen := tm.waitFor("Waiting for the approval", "ctrl+c cancels")
	m := signInURL.FindStringSubmatch(strings.ReplaceAll(screen, "\n", ""))
	if m == nil || m[1] != clientID {
		t.Fatalf("no sign-in URL with the client id on the screen:\n%s", screen)
	}
	if got := decodeQR(t, screen); got != m[0] {
		t.Fatalf("the QR code on the screen reads %q, not the URL %q", got, m[0])
	}
	w.srv.ApproveSignIn(m[2], euEmail)
	if code := tm.wait(); code != 0 {
		t.Fatalf("pcplay login exited %d:\n%s", code, tm.screen())
	}
	tm.waitFor("Logged in as " + euEmail + " (EU region)")
	l := w.savedLogin()
	if l["kind"] != "bearer" || l["region"] != "eu" || l["email"] != euEmail {
		t.Fatalf("saved login kind %q region %q email %q", l["kind"], l["region"], l["email"])
	}
	logb, _ := os.ReadFile(logFile)
	noToken(t, l["token"], map[string]string{"the terminal": tm.output(), "the log": string(logb)})

	// The saved token works as what it was saved as: logout revokes it.
	if r := w.run("", "logout"); r.code != 0 {
		t.Fatalf("logout: exit %d, stderr %q", r.code, r.stderr)
	}
	if lo := w.srv.Calls("logout"); len(lo) != 1 || lo[0].Result != 0 || lo[0].Host != "api-eu" {
		t.Fatalf("the logout with the saved token:\n%s", w.logText())
	}
}

// `pcplay login` while pCloud answers the polls with an error that does
// not end the wait: one line says so (once, though the polls go on), and
// the approval that follows logs in.
func TestSignInTroubleSaidOnce(t *testing.T) {
	t.Parallel()
	w := loginWorld(t, nil)
	w.setenv("PCPLAY_CLIENT_ID", clientID)
	w.srv.FailMethod("oauth2_token", 2012)
	tm := w.start("--api-url", w.api, "login")
	tm.waitFor("Waiting for the approval", "has not taken", "code 2012")
	poll.Until(t, "four failed polls", func() bool { return len(w.srv.Calls("oauth2_token")) >= 4 })
	if n := strings.Count(tm.output(), "has not taken"); n != 1 {
		t.Fatalf("the trouble was said %d times, want once:\n%s", n, tm.output())
	}
	m := signInURL.FindStringSubmatch(strings.ReplaceAll(tm.screen(), "\n", ""))
	if m == nil {
		t.Fatalf("no sign-in URL on the screen:\n%s", tm.screen())
	}
	w.srv.FailMethod("oauth2_token", 0)
	w.srv.ApproveSignIn(m[2], email)
	if code := tm.wait(); code != 0 {
		t.Fatalf("pcplay login exited %d:\n%s", code, tm.screen())
	}
	tm.waitFor("Logged in as " + email)
}

// A PCLOUD_TOKEN pCloud refuses: the player says that variable is at
// fault, not "log in again".
func TestRejectedEnvToken(t *testing.T) {
	t.Parallel()
	w := loginWorld(t, nil)
	w.setenv("PCLOUD_TOKEN", strings.Repeat("ab", 32))
	tm := w.start("--foreground", "--output", "null", "--api-url", w.api)
	screen := tm.waitFor("PCLOUD_TOKEN")
	if strings.Contains(screen, "log in again") {
		t.Fatalf("the screen asks to log in again:\n%s", screen)
	}
	tm.quit()
}

// ctrl+c while waiting: pcplay says it is cancelled and saves nothing.
func TestSignInCancelled(t *testing.T) {
	t.Parallel()
	w := loginWorld(t, nil)
	w.setenv("PCPLAY_CLIENT_ID", clientID)
	tm := w.start("--api-url", w.api, "login")
	tm.waitFor("Waiting for the approval")
	tm.send("\x03")
	if code := tm.wait(); code == 0 {
		t.Fatal("a cancelled sign-in exited 0")
	}
	tm.waitFor("cancelled; not logged in")
	if _, err := os.Stat(w.tokenFile()); err == nil {
		t.Fatal("a cancelled sign-in saved a token")
	}
}

// Without a client_id, pcplay login says how to get one and offers the
// other two ways; --help prints the usage, not a prompt.
func TestLoginNoClientIDAndHelp(t *testing.T) {
	t.Parallel()
	w := loginWorld(t, nil)
	r := w.run("", "--api-url", w.api, "login")
	if r.code == 0 || !strings.Contains(r.stderr, `"My Apps"`) || !strings.Contains(r.stderr, "client_id") ||
		!strings.Contains(r.stderr, "--password") || !strings.Contains(r.stderr, "--token") {
		t.Fatalf("no client id: exit %d, stderr %q", r.code, r.stderr)
	}
	r = w.run("", "login", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "login --password") || strings.Contains(r.stdout, "e-mail: ") {
		t.Fatalf("login --help: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// --password where userinfo no longer gives auth: the login method does,
// without logout=1.
func TestPasswordLoginByLoginMethod(t *testing.T) {
	t.Parallel()
	w := loginWorld(t, func(o *pcloudtest.Options) { o.NoAuthFromUserinfo = true })
	logFile := w.path("pcplay.log")
	r := w.run(email+"\n"+password+"\n", "--api-url", w.api, "--log", logFile, "login", "--password")
	if r.code != 0 || !strings.Contains(r.stdout, "Logged in as "+email+" (US region)") {
		t.Fatalf("login --password: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	logins := w.srv.Calls("login")
	if len(logins) != 1 || logins[0].Result != 0 {
		t.Fatalf("login calls:\n%s", w.logText())
	}
	if logins[0].Params.Has("logout") {
		t.Fatal("the login sent logout=1: it would end the person's other sessions")
	}
	l := w.savedLogin()
	if l["kind"] != "auth" || l["region"] != "us" {
		t.Fatalf("saved kind %q region %q", l["kind"], l["region"])
	}
	logb, _ := os.ReadFile(logFile)
	noToken(t, l["token"], map[string]string{"stdout": r.stdout, "stderr": r.stderr, "the log": string(logb)})
}

// Passwords refused: the sentence points to signing in on another device.
func TestPasswordsRefusedSentence(t *testing.T) {
	t.Parallel()
	w := loginWorld(t, func(o *pcloudtest.Options) { o.RefusePasswords = true })
	r := w.run(email+"\n"+password+"\n", "--api-url", w.api, "login", "--password")
	if r.code == 0 || !strings.Contains(r.stderr, "no longer accepts passwords") || !strings.Contains(r.stderr, "another device") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(w.tokenFile()); err == nil {
		t.Fatal("a refused login saved a token")
	}
}

// --token reads the token from stdin (never argv), finds it is an OAuth
// token of the EU region, and saves it so.
func TestTokenLoginFromStdin(t *testing.T) {
	t.Parallel()
	w := loginWorld(t, nil)
	w.api = w.proxy(w.srv.RegionURL("us"))
	tok := w.srv.OAuthToken(euEmail)
	// Both regions are known to the client only with pCloud's own URLs;
	// here the one URL is the US host, so the EU token is refused…
	r := w.run(tok+"\n", "--api-url", w.api, "login", "--token")
	if r.code == 0 || !strings.Contains(r.stderr, "does not accept that token") {
		t.Fatalf("an other-region token via one host: exit %d, stderr %q", r.code, r.stderr)
	}
	// …and a US one is found to be a bearer token.
	tok = w.srv.OAuthToken(email)
	r = w.run(tok+"\n", "--api-url", w.api, "login", "--token")
	if r.code != 0 || !strings.Contains(r.stdout, "Logged in as "+email) {
		t.Fatalf("login --token: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "Paste") {
		t.Errorf("a token piped in got a prompt in the output: %q", r.stdout)
	}
	l := w.savedLogin()
	if l["kind"] != "bearer" || l["region"] != "us" || l["token"] != tok {
		t.Fatalf("saved kind %q region %q", l["kind"], l["region"])
	}
	noToken(t, tok, map[string]string{"stdout": r.stdout, "stderr": r.stderr})
	if r := w.run("", "login", "--token", tok); r.code != 2 || strings.Contains(r.stderr, tok) {
		t.Fatalf("a token in argv: exit %d, stderr %q", r.code, r.stderr)
	}
}

// decodeQR finds the half-block QR code on a screen and decodes it as the
// terminal shows it (blocks light, the rest dark).
func decodeQR(t *testing.T, screen string) string {
	t.Helper()
	lines := qrread.FromScreen(screen, 40)
	if len(lines) < 15 {
		t.Fatalf("no QR code on the screen (%d half-block lines):\n%s", len(lines), screen)
	}
	text, err := qrread.Decode(lines)
	if err != nil {
		t.Fatalf("the QR code on the screen does not decode: %v\n%s", err, screen)
	}
	return text
}

// At a terminal, a wrong password or two-factor code is asked again, three
// times at most (a typo ended the command); a script's one answer still
// gets one try (TestLoginWrongPassword).
func TestPasswordLoginAsksAgain(t *testing.T) {
	w := newWorld(t)
	tm := w.start("--api-url", w.api, "login", "--password")
	answer := func(prompt, text string) {
		t.Helper()
		tm.waitUntil(prompt, func(s string) bool { return strings.Count(s, prompt) > 0 })
		tm.send(text + "\r")
	}
	answer("pCloud e-mail:", email)
	answer("Password:", "wrong")
	tm.waitFor("Try again.")
	tm.waitUntil("the second e-mail prompt", func(s string) bool { return strings.Count(s, "pCloud e-mail:") == 2 })
	tm.send(email + "\r")
	tm.waitUntil("the second password prompt", func(s string) bool { return strings.Count(s, "Password:") == 2 })
	tm.send(password + "\r")
	// wait, then look: pcplay exits as it says it (the harness reads all
	// of its output before wait returns).
	if code := tm.wait(); code != 0 || !strings.Contains(tm.screen(), "Logged in as "+email) {
		t.Fatalf("exit %d:\n%s", code, tm.screen())
	}

	w2 := newWorld(t)
	tm = w2.start("--api-url", w2.api, "login", "--password")
	for i := 1; i <= 3; i++ {
		tm.waitUntil("e-mail prompt", func(s string) bool { return strings.Count(s, "pCloud e-mail:") == i })
		tm.send(email + "\r")
		tm.waitUntil("password prompt", func(s string) bool { return strings.Count(s, "Password:") == i })
		tm.send("wrong\r")
	}
	if code := tm.wait(); code != 1 || strings.Count(tm.screen(), "Wrong e-mail or password") != 3 {
		t.Errorf("three wrong passwords: exit %d:\n%s", code, tm.screen())
	}

	w3 := newWorld(t)
	tm = w3.start("--api-url", w3.api, "login", "--password")
	answer("pCloud e-mail:", tfaEmail)
	answer("Password:", password)
	answer("Code:", "000000")
	tm.waitFor("two-factor code is wrong")
	tm.waitUntil("the second code prompt", func(s string) bool { return strings.Count(s, "Code:") == 2 })
	tm.send(tfaCode + "\r")
	if code := tm.wait(); code != 0 || !strings.Contains(tm.screen(), "Logged in as "+tfaEmail) {
		t.Fatalf("a wrong code, then the code: exit %d:\n%s", code, tm.screen())
	}
}
