package api

import (
	"errors"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

// methods lists the methods of the password logins the fake saw.
func passwordMethods(srv *pcloudtest.Server) []string {
	var out []string
	for _, r := range srv.Log() {
		if r.Params.Has("username") {
			out = append(out, r.Method)
		}
	}
	return out
}

// The world of mid-2026: userinfo gives no auth, login does.
func TestLoginUserinfoWithoutAuth(t *testing.T) {
	srv := newServer(t, func(o *pcloudtest.Options) { o.NoAuthFromUserinfo = true })
	c := newClient(t, srv, RegionUS)
	ui := login(t, c, usEmail, usPass)
	if ui.Email != usEmail || c.Token() == "" || c.TokenKind() != TokenAuth {
		t.Fatalf("UserInfo %+v, token set %v kind %v", ui, c.Token() != "", c.TokenKind())
	}
	if got := passwordMethods(srv); !eq(got, []string{"login"}) {
		t.Fatalf("password calls %v, want just login", got)
	}
	if srv.Calls("login")[0].Params.Has("logout") {
		t.Fatal("the login sent logout")
	}
}

// login answers without auth: userinfo, with a fresh digest, gives it.
func TestLoginFallsBackToUserinfo(t *testing.T) {
	srv := newServer(t, func(o *pcloudtest.Options) { o.NoAuthFromLogin = true })
	c := newClient(t, srv, RegionEU)
	login(t, c, euEmail, euPass)
	if got := passwordMethods(srv); !eq(got, []string{"login", "userinfo"}) {
		t.Fatalf("password calls %v", got)
	}
	if n := len(srv.Calls("getdigest")); n != 2 {
		t.Fatalf("%d digests, want one for each call", n)
	}
	for _, r := range srv.Log() {
		if r.Params.Has("logout") {
			t.Fatalf("%s sent logout", r.Method)
		}
	}
	if _, err := c.UserInfo(ctxT(t)); err != nil {
		t.Fatalf("the token from userinfo: %v", err)
	}
}

// Passwords refused outright, or no token from either method: the
// sentence points to signing in on another device.
func TestLoginPasswordsRefused(t *testing.T) {
	for name, mod := range map[string]func(*pcloudtest.Options){
		"refused":  func(o *pcloudtest.Options) { o.RefusePasswords = true },
		"no token": func(o *pcloudtest.Options) { o.NoAuthFromLogin, o.NoAuthFromUserinfo = true, true },
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, mod)
			c := newClient(t, srv, RegionUS)
			_, err := c.Login(ctxT(t), usEmail, usPass)
			var pr *PasswordsRefused
			if !errors.As(err, &pr) {
				t.Fatalf("err = %v, want *PasswordsRefused", err)
			}
			if s := Sentence(err); s != PasswordsRefusedSentence || !strings.Contains(s, "no longer accepts passwords") || !strings.Contains(s, "another device") {
				t.Fatalf("Sentence = %q", s)
			}
			if !IsAuth(err) || IsRetryable(err) {
				t.Fatalf("IsAuth %v IsRetryable %v", IsAuth(err), IsRetryable(err))
			}
			if name == "refused" && pr.Code != pcloudtest.PasswordsRefusedCode {
				t.Fatalf("code %d", pr.Code)
			}
			if c.Token() != "" {
				t.Fatal("a refused login left a token")
			}
			noSecrets(t, "the error", err.Error(), usPass)
		})
	}
}

// A wrong password is still a wrong password, not a refusal of passwords.
func TestLoginWrongPasswordIsNotRefusal(t *testing.T) {
	srv := newServer(t, func(o *pcloudtest.Options) { o.NoAuthFromUserinfo = true })
	c := newClient(t, srv, RegionUS)
	_, err := c.Login(ctxT(t), usEmail, "wrong")
	var pr *PasswordsRefused
	if errors.As(err, &pr) {
		t.Fatalf("a wrong password read as passwords refused: %v", err)
	}
	wantCode(t, err, 2000)
}

// 2FA through the login method.
func TestLoginTFAByLoginMethod(t *testing.T) {
	srv := newServer(t, func(o *pcloudtest.Options) { o.NoAuthFromUserinfo = true })
	c := newClient(t, srv, RegionUS)
	_, err := c.Login(ctxT(t), tfaEmail, tfaPass)
	var tfa *TFARequired
	if !errors.As(err, &tfa) {
		t.Fatalf("err = %v, want *TFARequired", err)
	}
	if _, err := c.TFALogin(ctxT(t), tfa.Token, tfaCode, true); err != nil {
		t.Fatalf("TFALogin: %v", err)
	}
	if got := passwordMethods(srv); !eq(got, []string{"login"}) {
		t.Fatalf("password calls %v", got)
	}
}

// A pasted token: its kind and region are found by userinfo calls.
func TestProbeToken(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		name   string
		token  func() string
		kind   TokenKind
		region Region
	}{
		{"auth, US", func() string { return srv.Token(usEmail) }, TokenAuth, RegionUS},
		{"auth, EU", func() string { return srv.Token(euEmail) }, TokenAuth, RegionEU},
		{"OAuth, EU", func() string { return srv.OAuthToken(euEmail) }, TokenBearer, RegionEU},
		{"OAuth, US", func() string { return srv.OAuthToken(usEmail) }, TokenBearer, RegionUS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, srv, RegionUS)
			tok := tc.token()
			ui, err := c.ProbeToken(ctxT(t), " "+tok+"\n")
			if err != nil {
				t.Fatalf("ProbeToken: %v", err)
			}
			if ui.Email == "" || c.Token() != tok || c.TokenKind() != tc.kind || c.Region() != tc.region {
				t.Fatalf("user %q kind %v region %v", ui.Email, c.TokenKind(), c.Region())
			}
			if _, err := c.ListFolder(ctxT(t), 0, false); err != nil {
				t.Fatalf("listing with it: %v", err)
			}
			noSecrets(t, "the log", c.logs.String(), tok)
		})
	}
	c := newClient(t, srv, RegionUS)
	_, err := c.ProbeToken(ctxT(t), strings.Repeat("ab", 32))
	if s := Sentence(err); !strings.Contains(s, "does not accept that token") {
		t.Fatalf("a wrong token: %v (%q)", err, s)
	}
	if n := len(srv.Calls("userinfo")); n < 4 {
		t.Fatalf("%d userinfo calls, want both kinds in both regions", n)
	}
	if _, err := c.ProbeToken(ctxT(t), "a b"); err == nil {
		t.Fatal("a token with a space was tried")
	}
}

// PCLOUD_TOKEN ([TokenUnknown], TokenFrom): the first call finds the kind;
// a refused one is named in the sentence.
func TestEnvTokenProbed(t *testing.T) {
	srv := newServer(t)
	tok := srv.OAuthToken(euEmail)
	c := newClient(t, srv, RegionUS, func(o *Options) {
		o.Token, o.TokenKind, o.TokenFrom = tok, TokenUnknown, "PCLOUD_TOKEN"
	})
	if _, err := c.ListFolder(ctxT(t), 0, false); err != nil {
		t.Fatalf("listing with an OAuth PCLOUD_TOKEN: %v", err)
	}
	if c.TokenKind() != TokenBearer || c.Region() != RegionEU {
		t.Fatalf("kind %v region %v", c.TokenKind(), c.Region())
	}
	bad := newClient(t, srv, RegionUS, func(o *Options) {
		o.Token, o.TokenKind, o.TokenFrom = strings.Repeat("cd", 32), TokenUnknown, "PCLOUD_TOKEN"
	})
	_, err := bad.UserInfo(ctxT(t))
	if s := Sentence(err); !strings.Contains(s, "PCLOUD_TOKEN") || strings.Contains(s, "log in again") {
		t.Fatalf("a refused PCLOUD_TOKEN says %q", s)
	}
	// A known kind refused: named too.
	bad2 := newClient(t, srv, RegionUS, func(o *Options) {
		o.Token, o.TokenKind, o.TokenFrom = strings.Repeat("ef", 32), TokenAuth, "PCLOUD_TOKEN"
	})
	_, err = bad2.UserInfo(ctxT(t))
	if s := Sentence(err); !strings.Contains(s, "PCLOUD_TOKEN") {
		t.Fatalf("a refused PCLOUD_TOKEN (auth) says %q", s)
	}
}
