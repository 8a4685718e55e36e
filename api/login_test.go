package api

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

func TestPasswordDigestMatchesFake(t *testing.T) {
	got := passwordDigest("Some.One@Example.com", "pässword", "abcdef0123")
	want := pcloudtest.PasswordDigest("Some.One@Example.com", "pässword", "abcdef0123")
	if got != want {
		t.Fatalf("passwordDigest = %s, want %s", got, want)
	}
	// Independent check of the formula, for an ASCII case:
	// sha1("pw" + sha1hex("a@b.c") + "d").
	if got := passwordDigest("A@B.C", "pw", "d"); got != passwordDigest("a@b.c", "pw", "d") {
		t.Fatalf("username must be lower-cased before hashing")
	}
}

func TestLogin(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	ui := login(t, c, usEmail, usPass)
	if ui.Email != usEmail || ui.UserID == 0 || ui.Quota <= 0 {
		t.Fatalf("UserInfo = %+v", ui)
	}
	if c.Token() == "" || c.TokenKind() != TokenAuth || c.Region() != RegionUS {
		t.Fatalf("after login: token set %v, kind %v, region %v", c.Token() != "", c.TokenKind(), c.Region())
	}
	// The login sent getdigest, then login with a passworddigest (no
	// plain password), asked for a token, and did not log the person out
	// elsewhere (no logout=1).
	log := srv.Log()
	if len(log) != 2 || log[0].Method != "getdigest" || log[1].Method != "login" {
		t.Fatalf("calls = %+v", log)
	}
	p := log[1].Params
	if p.Get("getauth") != "1" || p.Has("logout") || p.Get("username") != usEmail || !p.Has("passworddigest") || !p.Has("digest") || p.Has("password") {
		t.Fatalf("login params = %v", p)
	}
	// The token works.
	ui2, err := c.UserInfo(ctxT(t))
	if err != nil || ui2.Email != usEmail {
		t.Fatalf("UserInfo = %+v, %v", ui2, err)
	}
	// Logged in with the mixed-case address too.
	c2 := newClient(t, srv, RegionUS)
	if _, err := c2.Login(ctxT(t), "  US.User@Example.COM ", usPass); err != nil {
		t.Fatalf("login with mixed case: %v", err)
	}
}

func TestLoginRegionSwitch(t *testing.T) {
	for _, tc := range []struct {
		name         string
		start, found Region
		email, pw    string
		firstHost    string
		secondHost   string
	}{
		{"us to eu", RegionUS, RegionEU, euEmail, euPass, "api-us", "api-eu"},
		{"eu to us", RegionEU, RegionUS, usEmail, usPass, "api-eu", "api-us"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, tc.start)
			ui := login(t, c, tc.email, tc.pw)
			if ui.Email != tc.email {
				t.Fatalf("email %q", ui.Email)
			}
			if c.Region() != tc.found || c.BaseURL() != srv.RegionURL(string(tc.found)) {
				t.Fatalf("region %v base %v, want %v", c.Region(), c.BaseURL(), tc.found)
			}
			logins := srv.Calls("login")
			if got := hosts(logins); !eq(got, []string{tc.firstHost, tc.secondHost}) {
				t.Fatalf("login hosts %v", got)
			}
			if got := results(logins); !eq(got, []int{2000, 0}) {
				t.Fatalf("login results %v", got)
			}
			// Later calls go to the region that worked.
			srv.ResetLog()
			if _, err := c.ListFolder(ctxT(t), 0, false); err != nil {
				t.Fatal(err)
			}
			if got := hosts(srv.Log()); !eq(got, []string{tc.secondHost}) {
				t.Fatalf("listfolder went to %v", got)
			}
		})
	}
}

func TestLoginWrongPassword(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	_, err := c.Login(ctxT(t), usEmail, "wrong-password")
	e := wantCode(t, err, 2000)
	if !IsAuth(err) || IsRetryable(err) || IsRateLimit(err) {
		t.Fatalf("predicates wrong for 2000")
	}
	if e.Sentence() != "Wrong e-mail or password (pCloud's US and EU regions both refused it)." {
		t.Fatalf("sentence %q", e.Sentence())
	}
	if c.Token() != "" || c.Region() != RegionUS {
		t.Fatalf("a failed login changed the client: token %v region %v", c.Token() != "", c.Region())
	}
	// Tried both regions once each, one attempt each (2000 is not retried).
	if got := hosts(srv.Calls("login")); !eq(got, []string{"api-us", "api-eu"}) {
		t.Fatalf("login hosts %v", got)
	}
	if e.Error() != "pcloud: login: 2000 Log in failed." {
		t.Fatalf("Error() = %q", e.Error())
	}

}

func TestLoginNoOtherRegionKnown(t *testing.T) {
	srv := newServer(t)
	// A custom base URL without RegionURLs: nowhere else to try.
	c, err := New(Options{BaseURL: srv.URL(), Backoff: func(int) time.Duration { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(ctxT(t), euEmail, euPass)
	wantCode(t, err, 2000)
	if got := hosts(srv.Calls("login")); !eq(got, []string{"api-us"}) {
		t.Fatalf("login hosts %v", got)
	}
	if s := Sentence(err); s != "Wrong e-mail or password, or your account is in the other region (try --region eu)." {
		t.Fatalf("sentence %q", s)
	}
	// From the EU side the hint names the US.
	c2, err := New(Options{BaseURL: srv.RegionURL("eu"), Region: RegionEU})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c2.Login(ctxT(t), usEmail, usPass)
	wantCode(t, err, 2000)
	if s := Sentence(err); !strings.Contains(s, "--region us") {
		t.Fatalf("sentence %q", s)
	}
}

func TestLoginBadInput(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	for _, tc := range [][2]string{{"", "pw"}, {"a@b.c", ""}, {"   ", "x"}} {
		if _, err := c.Login(ctxT(t), tc[0], tc[1]); err == nil {
			t.Errorf("Login(%q, %q) succeeded", tc[0], tc[1])
		}
	}
	if n := len(srv.Log()); n != 0 {
		t.Fatalf("bad input reached the server: %d calls", n)
	}
}

func TestTFA(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	_, err := c.Login(ctxT(t), tfaEmail, tfaPass)
	var tfa *TFARequired
	if !errors.As(err, &tfa) {
		t.Fatalf("want *TFARequired, got %T %v", err, err)
	}
	if tfa.Token == "" || tfa.Type != TFAApp {
		t.Fatalf("tfa = type %d, token set %v", tfa.Type, tfa.Token != "")
	}
	wantCode(t, err, 2297) // it unwraps to the pCloud error
	if !IsAuth(err) || !strings.Contains(Sentence(err), "authenticator app") {
		t.Fatalf("sentence %q", Sentence(err))
	}
	noSecrets(t, "TFARequired", err.Error()+Sentence(err), tfa.Token)
	if c.Token() != "" {
		t.Fatal("token set before the second factor")
	}

	// A wrong code: 2012, and the pending login stays usable.
	_, err = c.TFALogin(ctxT(t), tfa.Token, "000000", true)
	wantCode(t, err, 2012)
	if !strings.Contains(Sentence(err), "code is wrong") {
		t.Fatalf("sentence %q", Sentence(err))
	}
	// Empty code: refused locally.
	before := len(srv.Log())
	if _, err := c.TFALogin(ctxT(t), tfa.Token, "  ", true); err == nil {
		t.Fatal("empty code accepted")
	}
	if len(srv.Log()) != before {
		t.Fatal("empty code was sent")
	}

	ui, err := c.TFALogin(ctxT(t), tfa.Token, " 482 913 ", true)
	if err != nil {
		t.Fatalf("TFALogin: %v", err)
	}
	if ui.Email != tfaEmail || c.Token() == "" || c.TokenKind() != TokenAuth {
		t.Fatalf("after TFALogin: %+v token set %v", ui, c.Token() != "")
	}
	calls := srv.Calls("tfa_login")
	last := calls[len(calls)-1]
	if last.Params.Get("trustdevice") != "1" || last.Params.Get("getauth") != "1" {
		t.Fatalf("tfa_login params %v", last.Params)
	}
	if _, err := c.ListFolder(ctxT(t), 0, false); err != nil {
		t.Fatalf("the 2FA token does not work: %v", err)
	}

	// An expired 2FA token: 2064.
	c2 := newClient(t, srv, RegionUS)
	_, err = c2.Login(ctxT(t), tfaEmail, tfaPass)
	if !errors.As(err, &tfa) {
		t.Fatalf("want *TFARequired, got %v", err)
	}
	srv.ExpireTFATokens()
	_, err = c2.TFALogin(ctxT(t), tfa.Token, tfaCode, false)
	wantCode(t, err, 2064)
	if !IsAuth(err) || !strings.Contains(Sentence(err), "expired") {
		t.Fatalf("2064: IsAuth %v sentence %q", IsAuth(err), Sentence(err))
	}
	if p := srv.Calls("tfa_login"); p[len(p)-1].Params.Has("trustdevice") {
		t.Fatal("trustdevice sent though not asked for")
	}
}

func TestTFASMSOtherRegion(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	_, err := c.Login(ctxT(t), smsEmail, smsPass)
	var tfa *TFARequired
	if !errors.As(err, &tfa) {
		t.Fatalf("want *TFARequired, got %T %v", err, err)
	}
	if tfa.Type != TFASMS || !strings.Contains(Sentence(err), "SMS") {
		t.Fatalf("type %d sentence %q", tfa.Type, Sentence(err))
	}
	// The account is in the EU: the client moved there for the second step.
	if c.Region() != RegionEU {
		t.Fatalf("region %v", c.Region())
	}
	if err := c.SendTFASMS(ctxT(t), tfa.Token); err != nil {
		t.Fatalf("SendTFASMS: %v", err)
	}
	if got := hosts(srv.Calls("tfa_sendcodeviasms")); !eq(got, []string{"api-eu"}) {
		t.Fatalf("sms hosts %v", got)
	}
	if err := c.SendTFASMS(ctxT(t), ""); err == nil {
		t.Fatal("empty token accepted")
	}
	ui, err := c.TFALogin(ctxT(t), tfa.Token, tfaCode, true)
	if err != nil || ui.Email != smsEmail {
		t.Fatalf("TFALogin: %+v %v", ui, err)
	}
	srv.ExpireTFATokens()
	wantCode(t, c.SendTFASMS(ctxT(t), tfa.Token), 2064)
}

func TestNewDevice1022(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	_, err := c.Login(ctxT(t), newEmail, newPass)
	wantCode(t, err, 1022)
	if s := Sentence(err); !strings.Contains(s, "approve this device") {
		t.Fatalf("sentence %q", s)
	}
	if IsRetryable(err) || !IsAuth(err) {
		t.Fatal("1022 predicates")
	}
	srv.ApproveDevice(newEmail)
	if ui := login(t, c, newEmail, newPass); ui.Email != newEmail {
		t.Fatalf("email %q", ui.Email)
	}
}

func TestTooManyLogins4000(t *testing.T) {
	srv := newServer(t, func(o *pcloudtest.Options) { o.LoginAttempts = 3 })
	c := newClient(t, srv, RegionUS, func(o *Options) { o.RegionURLs = nil; o.BaseURL = srv.URL() })
	var err error
	for i := 0; i < 10; i++ {
		_, err = c.Login(ctxT(t), usEmail, "wrong")
		if IsRateLimit(err) {
			break
		}
		wantCode(t, err, 2000)
	}
	e := wantCode(t, err, 4000)
	if IsRetryable(err) || IsAuth(err) {
		t.Fatal("4000 predicates")
	}
	if e.Sentence() != "Too many login attempts from this address; wait a while before trying again." {
		t.Fatalf("sentence %q", e.Sentence())
	}
	// 4000 is never retried: one more login is exactly one userinfo call.
	srv.ResetLog()
	_, err = c.Login(ctxT(t), usEmail, usPass)
	wantCode(t, err, 4000)
	if n := len(srv.Calls("login")); n != 1 {
		t.Fatalf("%d login calls after 4000, want 1", n)
	}
	srv.ResetRateLimit()
	login(t, c, usEmail, usPass)
}

func TestLoginRetriesWithFreshDigest(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	// The first two calls (getdigest, getdigest) fail with 5000.
	srv.FailNext(2, 5000)
	login(t, c, usEmail, usPass)
	if got := len(srv.Calls("getdigest")); got != 3 {
		t.Fatalf("%d getdigest calls, want 3", got)
	}
	// Failing always: bounded by MaxAttempts login attempts.
	c2 := newClient(t, srv, RegionUS, func(o *Options) { o.MaxAttempts = 3 })
	srv.ResetLog()
	srv.FailNext(100, 5002)
	_, err := c2.Login(ctxT(t), usEmail, usPass)
	wantCode(t, err, 5002)
	if got := len(srv.Log()); got != 3 {
		t.Fatalf("%d calls, want 3", got)
	}
	srv.FailNext(0, 0)
}

func TestLogout(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	old := c.Token()
	if err := c.Logout(ctxT(t)); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if c.Token() != "" {
		t.Fatal("token kept after logout")
	}
	if got := results(srv.Calls("logout")); !eq(got, []int{0}) {
		t.Fatalf("logout results %v", got)
	}
	// Without a token: 1000 at once, no call.
	srv.ResetLog()
	_, err := c.ListFolder(ctxT(t), 0, false)
	wantCode(t, err, 1000)
	if !IsAuth(err) || len(srv.Log()) != 0 {
		t.Fatalf("IsAuth %v calls %d", IsAuth(err), len(srv.Log()))
	}
	if !strings.Contains(Sentence(err), "log in again") {
		t.Fatalf("sentence %q", Sentence(err))
	}
	// The old token is refused by pCloud now (2000 in both regions).
	c2 := newClient(t, srv, RegionUS, func(o *Options) { o.Token = old })
	_, err = c2.UserInfo(ctxT(t))
	wantCode(t, err, 2000)
	if !IsAuth(err) || !strings.HasPrefix(Sentence(err), "pCloud no longer accepts the saved login") {
		t.Fatalf("IsAuth %v, sentence %q", IsAuth(err), Sentence(err))
	}
	noSecrets(t, "error", err.Error()+Sentence(err), old)
	// Logging out again is a no-op; logging out a dead token forgets it.
	if err := c.Logout(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := c2.Logout(ctxT(t)); err != nil || c2.Token() != "" {
		t.Fatalf("logout of a dead token: %v, token kept %v", err, c2.Token() != "")
	}
}
