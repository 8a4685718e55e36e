package pcloudtest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPasswordDigestFormula(t *testing.T) {
	got := PasswordDigest("Bob@Example.com", "pw", "dg")
	if len(got) != 40 || strings.ToLower(got) != got {
		t.Fatalf("not lower-case sha1 hex: %q", got)
	}
	if got == PasswordDigest("bob@example.com", "pw", "dg2") || got == PasswordDigest("bob@example.com", "pw2", "dg") {
		t.Fatal("digest ignores an input")
	}
	if got != PasswordDigest("bob@example.com", "pw", "dg") {
		t.Fatal("username must be lower-cased")
	}
	// Known answer, computed with Python's hashlib:
	// sha1("pw" + sha1hex("a") + "d").
	if got := PasswordDigest("A", "pw", "d"); got != "9b18ffbf71ba64fc3e3c961490cdb68fc86f22de" {
		t.Fatalf("PasswordDigest = %s", got)
	}
	if PasswordDigest("a", "pw", "d") != sha1hex("pw"+sha1hex("a")+"d") {
		t.Fatal("formula mismatch")
	}
}

func TestDigestLogin(t *testing.T) {
	s := newTestServer(t, nil)
	m := digestLogin(t, s.URL(), alice, alicePW)
	wantResult(t, m, 0)
	tok := str(m, "auth")
	if tok == "" || len(tok) > 64 {
		t.Fatalf("auth %q", tok)
	}
	if str(m, "email") != alice {
		t.Fatalf("email %q", str(m, "email"))
	}
	for _, k := range []string{"userid", "quota", "usedquota", "premium"} {
		if _, ok := m[k]; !ok {
			t.Errorf("userinfo lacks %s", k)
		}
	}
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0")), 0)
	// userinfo with the token.
	u := callAPI(t, s.URL(), "userinfo", vals("auth", tok))
	wantResult(t, u, 0)
	if str(u, "email") != alice || u["auth"] != nil {
		t.Fatalf("userinfo by token: %v", u)
	}
	// Wrong password by digest.
	wantResult(t, digestLogin(t, s.URL(), alice, "nope"), 2000)
	// Unknown user.
	wantResult(t, digestLogin(t, s.URL(), "who@example.com", "x"), 2000)
	// Username case does not matter.
	wantResult(t, digestLogin(t, s.URL(), strings.ToUpper(alice), alicePW), 0)
}

func TestDigestSingleUseAndExpiry(t *testing.T) {
	c := newClock()
	s := newTestServer(t, func(o *Options) { o.Now = c.Now })
	d := callAPI(t, s.URL(), "getdigest", vals("timeformat", "timestamp"))
	wantResult(t, d, 0)
	if _, err := d["expires"].(interface{ Int64() (int64, error) }).Int64(); err != nil {
		t.Fatalf("expires not a number: %v", d["expires"])
	}
	dg := str(d, "digest")
	p := vals("getauth", "1", "username", alice, "digest", dg, "passworddigest", PasswordDigest(alice, alicePW, dg))
	wantResult(t, callAPI(t, s.URL(), "userinfo", p), 0)
	wantResult(t, callAPI(t, s.URL(), "userinfo", p), 2000) // used

	d = callAPI(t, s.URL(), "getdigest", nil)
	if _, err := time.Parse(time.RFC1123Z, str(d, "expires")); err != nil {
		t.Fatalf("expires %q: %v", str(d, "expires"), err)
	}
	dg = str(d, "digest")
	c.Add(31 * time.Second)
	wantResult(t, callAPI(t, s.URL(), "userinfo", vals("getauth", "1", "username", alice, "digest", dg,
		"passworddigest", PasswordDigest(alice, alicePW, dg))), 2000)
}

func TestPlainPasswordLoginAndPOST(t *testing.T) {
	s := newTestServer(t, nil)
	m := postAPI(t, s.URL(), "login", vals("getauth", "1", "logout", "1", "username", alice, "password", alicePW))
	wantResult(t, m, 0)
	tok := str(m, "auth")
	// Without getauth no token is handed out.
	m2 := postAPI(t, s.URL(), "userinfo", vals("username", alice, "password", alicePW))
	wantResult(t, m2, 0)
	if m2["auth"] != nil {
		t.Fatal("auth without getauth=1")
	}
	wantResult(t, postAPI(t, s.URL(), "login", vals("username", alice, "password", "bad")), 2000)
	// Multipart form.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("auth", tok)
	_ = mw.WriteField("path", "/Music")
	_ = mw.Close()
	resp, err := client.Post(s.URL()+"/listfolder", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	lm := decode(t, "listfolder", resp)
	wantResult(t, lm, 0)
	if str(lm["metadata"].(map[string]any), "name") != "Music" {
		t.Fatalf("multipart listfolder: %v", lm)
	}
}

func TestRegions(t *testing.T) {
	s := newTestServer(t, nil)
	us, eu := s.URL(), s.RegionURL("eu")
	if us == eu || us != s.RegionURL("us") || !strings.HasPrefix(eu, "http://127.0.0.1:") || s.RegionURL("mars") != "" {
		t.Fatalf("urls %q %q", us, eu)
	}
	// Password login to the wrong region: 2000.
	wantResult(t, digestLogin(t, us, erin, erinPW), 2000)
	wantResult(t, digestLogin(t, eu, alice, alicePW), 2000)
	m := digestLogin(t, eu, erin, erinPW)
	wantResult(t, m, 0)
	tok := str(m, "auth")
	wantResult(t, callAPI(t, eu, "listfolder", vals("auth", tok, "folderid", "0")), 0)
	// Token of the other region: auth= 2000, bearer 2094.
	wantResult(t, callAPI(t, us, "listfolder", vals("auth", tok, "folderid", "0")), 2000)
	wantResult(t, callAPI(t, us, "listfolder", vals("access_token", tok, "folderid", "0")), 2094)
	wantResult(t, bearer(t, us, "listfolder?folderid=0", tok), 2094)
	// Minted tokens work as auth= and as bearer in their region.
	et := s.Token(erin)
	wantResult(t, bearer(t, eu, "listfolder?folderid=0", et), 0)
	wantResult(t, callAPI(t, eu, "listfolder", vals("access_token", et, "folderid", "0")), 0)
	wantResult(t, bearer(t, us, "userinfo", et), 2094)
	ut := s.Token(alice)
	wantResult(t, bearer(t, us, "userinfo", ut), 0)
	wantResult(t, callAPI(t, eu, "userinfo", vals("auth", ut)), 2000)
}

func bearer(t *testing.T, base, pathQuery, tok string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/"+pathQuery, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, pathQuery, resp)
}

func TestAuthErrors(t *testing.T) {
	s := newTestServer(t, nil)
	for _, m := range []string{"listfolder", "getaudiolink", "getfilelink", "userinfo", "logout"} {
		wantResult(t, callAPI(t, s.URL(), m, vals("folderid", "0", "fileid", "1000")), 1000)
		wantResult(t, callAPI(t, s.URL(), m, vals("auth", "bogus", "folderid", "0", "fileid", "1000")), 2000)
		wantResult(t, callAPI(t, s.URL(), m, vals("access_token", "bogus", "folderid", "0", "fileid", "1000")), 2094)
		wantResult(t, bearer(t, s.URL(), m+"?folderid=0&fileid=1000", "bogus"), 2094)
	}
}

func TestLogoutAndRevoke(t *testing.T) {
	s := newTestServer(t, nil)
	tok := str(digestLogin(t, s.URL(), alice, alicePW), "auth")
	other := s.Token(alice)
	m := callAPI(t, s.URL(), "logout", vals("auth", tok))
	wantResult(t, m, 0)
	if m["auth_deleted"] != true {
		t.Fatalf("logout: %v", m)
	}
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0")), 2000)
	wantResult(t, callAPI(t, s.URL(), "logout", vals("auth", tok)), 2000)
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", other, "folderid", "0")), 0)
	s.RevokeAll()
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", other, "folderid", "0")), 2000)
	wantResult(t, bearer(t, s.URL(), "listfolder?folderid=0", other), 2094)
}

func TestTwoFactor(t *testing.T) {
	c := newClock()
	s := newTestServer(t, func(o *Options) {
		o.Now = c.Now
		o.Accounts = append(o.Accounts,
			Account{Email: "tfa@example.com", Password: "pw", TFA: true, TFACode: "123456"},
			Account{Email: "sms@example.com", Password: "pw", TFA: true, TFACode: "999", TFAType: 1})
	})
	m := digestLogin(t, s.URL(), "tfa@example.com", "pw")
	wantResult(t, m, 2297)
	tt := str(m, "token")
	if tt == "" || m["auth"] != nil || m["tfatype"].(interface{ String() string }).String() != "2" {
		t.Fatalf("2297 answer: %v", m)
	}
	m = callAPI(t, s.URL(), "login", vals("username", "sms@example.com", "password", "pw"))
	wantResult(t, m, 2297)
	if m["tfatype"].(interface{ String() string }).String() != "1" {
		t.Fatalf("tfatype %v", m["tfatype"])
	}
	wantResult(t, callAPI(t, s.URL(), "tfa_sendcodeviasms", vals("token", str(m, "token"))), 0)

	wantResult(t, callAPI(t, s.URL(), "tfa_login", vals("token", tt, "code", "000000", "getauth", "1")), 2012)
	wantResult(t, callAPI(t, s.URL(), "tfa_login", vals("token", tt, "getauth", "1")), 1022)
	wantResult(t, callAPI(t, s.URL(), "tfa_login", vals("token", "nope", "code", "123456", "getauth", "1")), 2064)
	// The token is bound to its region.
	wantResult(t, callAPI(t, s.RegionURL("eu"), "tfa_login", vals("token", tt, "code", "123456", "getauth", "1")), 2064)
	tt = str(callAPI(t, s.URL(), "login", vals("username", "tfa@example.com", "password", "pw")), "token")
	ok := callAPI(t, s.URL(), "tfa_login", vals("token", tt, "code", "123456", "trustdevice", "1", "getauth", "1"))
	wantResult(t, ok, 0)
	if str(ok, "auth") == "" || str(ok, "email") != "tfa@example.com" {
		t.Fatalf("tfa_login: %v", ok)
	}
	wantResult(t, callAPI(t, s.URL(), "userinfo", vals("auth", str(ok, "auth"))), 0)
	// Single use.
	wantResult(t, callAPI(t, s.URL(), "tfa_login", vals("token", tt, "code", "123456", "getauth", "1")), 2064)

	// ExpireTFATokens.
	tt = str(callAPI(t, s.URL(), "login", vals("username", "tfa@example.com", "password", "pw")), "token")
	s.ExpireTFATokens()
	wantResult(t, callAPI(t, s.URL(), "tfa_login", vals("token", tt, "code", "123456", "getauth", "1")), 2064)
	// Expiry by time.
	tt = str(callAPI(t, s.URL(), "login", vals("username", "tfa@example.com", "password", "pw")), "token")
	c.Add(6 * time.Minute)
	wantResult(t, callAPI(t, s.URL(), "tfa_login", vals("token", tt, "code", "123456", "getauth", "1")), 2064)
	// A wrong password never reaches 2FA.
	wantResult(t, callAPI(t, s.URL(), "login", vals("username", "tfa@example.com", "password", "bad")), 2000)
}

func TestNewDevice(t *testing.T) {
	s := newTestServer(t, func(o *Options) {
		o.Accounts = append(o.Accounts, Account{Email: "new@example.com", Password: "pw", NewDevice: true})
	})
	m := digestLogin(t, s.URL(), "new@example.com", "pw")
	wantResult(t, m, 1022)
	if !strings.Contains(str(m, "error"), "code") {
		t.Fatalf("1022 error %q", str(m, "error"))
	}
	wantResult(t, digestLogin(t, s.URL(), "new@example.com", "pw"), 1022)
	// A wrong password is still 2000.
	wantResult(t, digestLogin(t, s.URL(), "new@example.com", "bad"), 2000)
	s.ApproveDevice("new@example.com")
	wantResult(t, digestLogin(t, s.URL(), "new@example.com", "pw"), 0)
}

func TestRateLimit(t *testing.T) {
	c := newClock()
	s := newTestServer(t, func(o *Options) { o.Now = c.Now })
	for i := 0; i < 5; i++ {
		wantResult(t, callAPI(t, s.URL(), "userinfo", vals("username", alice, "password", "bad")), 2000)
	}
	// Locked out: even the right password. The other region's API keeps
	// its own count.
	wantResult(t, digestLogin(t, s.URL(), alice, alicePW), 4000)
	wantResult(t, callAPI(t, s.URL(), "login", vals("username", erin, "password", erinPW)), 4000)
	wantResult(t, digestLogin(t, s.RegionURL("eu"), erin, erinPW), 0)
	// Token calls are not rate limited.
	wantResult(t, callAPI(t, s.URL(), "userinfo", vals("auth", s.Token(alice))), 0)
	c.Add(10 * time.Minute)
	wantResult(t, digestLogin(t, s.URL(), alice, alicePW), 4000) // stays a while
	c.Add(6 * time.Minute)
	wantResult(t, digestLogin(t, s.URL(), alice, alicePW), 0)

	for i := 0; i < 5; i++ {
		wantResult(t, callAPI(t, s.URL(), "userinfo", vals("username", alice, "password", "bad")), 2000)
	}
	wantResult(t, digestLogin(t, s.URL(), alice, alicePW), 4000)
	s.ResetRateLimit()
	wantResult(t, digestLogin(t, s.URL(), alice, alicePW), 0)

	// Unknown accounts (and accounts of the other region: a client's region
	// fallback) do not count.
	for i := 0; i < 8; i++ {
		wantResult(t, callAPI(t, s.URL(), "userinfo", vals("username", "nobody@example.com", "password", "x")), 2000)
		wantResult(t, digestLogin(t, s.URL(), erin, erinPW), 2000)
	}
	wantResult(t, digestLogin(t, s.URL(), alice, alicePW), 0)

	// Failures spread beyond the window do not add up.
	for i := 0; i < 8; i++ {
		wantResult(t, callAPI(t, s.URL(), "userinfo", vals("username", alice, "password", "bad")), 2000)
		c.Add(3 * time.Minute)
	}
	wantResult(t, digestLogin(t, s.URL(), alice, alicePW), 0)
}

func TestFailNext(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	s.FailNext(2, 5002)
	m := callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0"))
	wantResult(t, m, 5002)
	if !strings.Contains(str(m, "error"), "no servers available") {
		t.Fatalf("5002 message %q", str(m, "error"))
	}
	wantResult(t, callAPI(t, s.RegionURL("eu"), "getdigest", nil), 5002)
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0")), 0)
	s.FailNext(1, 4000)
	wantResult(t, callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "fileid", "1000")), 4000)
	s.FailNext(1, 5000)
	wantResult(t, callAPI(t, s.URL(), "userinfo", vals("auth", tok)), 5000)
	wantResult(t, callAPI(t, s.URL(), "userinfo", vals("auth", tok)), 0)
	got := s.Calls("userinfo")
	if len(got) != 2 || got[0].Result != 5000 || got[1].Result != 0 {
		t.Fatalf("log: %+v", got)
	}
}

func TestBrowserOriginAndUnknownMethod(t *testing.T) {
	s := newTestServer(t, nil)
	req, _ := http.NewRequest("GET", s.URL()+"/getdigest", nil)
	req.Header.Set("Origin", "https://example.com")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	wantResult(t, decode(t, "getdigest", resp), 7010)
	wantResult(t, callAPI(t, s.URL(), "nosuchmethod", nil), 1099)
}

func TestUserInfoNeedsCredentials(t *testing.T) {
	s := newTestServer(t, nil)
	wantResult(t, callAPI(t, s.URL(), "userinfo", vals("getauth", "1")), 1000)
	wantResult(t, callAPI(t, s.URL(), "userinfo", vals("getauth", "1", "username", alice)), 2000)
}

func TestConnMemory(t *testing.T) {
	s := newTestServer(t, func(o *Options) {
		o.Accounts = append(o.Accounts, Account{Email: "bob@example.com", Password: "bobpw"})
	})
	bobTok := s.Token("bob@example.com")
	// One kept-alive connection: a client with a single idle connection.
	tr := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	call := func(method string, p map[string]string) map[string]any {
		v := vals()
		for k, x := range p {
			v.Set(k, x)
		}
		resp, err := hc.Get(s.URL() + "/" + method + "?" + v.Encode())
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, method, resp)
	}
	// Off (default): each request stands on its own token.
	wantResult(t, call("userinfo", map[string]string{"username": alice, "password": alicePW}), 0)
	if u := call("userinfo", map[string]string{"auth": bobTok}); str(u, "email") != "bob@example.com" {
		t.Fatalf("memory off: %v", u)
	}
	wantResult(t, call("userinfo", nil), 1000)

	s.SetConnMemory(true)
	tr.CloseIdleConnections()
	a := call("userinfo", map[string]string{"username": alice, "password": alicePW, "getauth": "1", "logout": "1"})
	wantResult(t, a, 0)
	// The connection is alice's now, whatever token comes.
	if u := call("userinfo", map[string]string{"auth": bobTok}); str(u, "email") != alice {
		t.Fatalf("memory on, bob's token: %v", u)
	}
	if u := call("userinfo", nil); str(u, "email") != alice {
		t.Fatalf("memory on, no token: %v", u)
	}
	// logout=1 on a login replaces the connection's login.
	wantResult(t, call("userinfo", map[string]string{"username": "bob@example.com", "password": "bobpw", "logout": "1"}), 0)
	if u := call("userinfo", map[string]string{"auth": str(a, "auth")}); str(u, "email") != "bob@example.com" {
		t.Fatalf("after logout=1: %v", u)
	}
	// A fresh connection has no memory.
	if u := callAPI(t, s.URL(), "userinfo", vals("auth", str(a, "auth"))); str(u, "email") != alice {
		t.Fatalf("other connection: %v", u)
	}
	// RevokeAll forgets connections' logins.
	s.RevokeAll()
	wantResult(t, call("userinfo", nil), 1000)
}

func TestFailNextHTTPAndAPIDown(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	s.FailNextHTTP(2, 503)
	s.FailNext(1, 5000) // after the HTTP failures
	for i := 0; i < 2; i++ {
		resp, err := client.Get(s.URL() + "/listfolder?" + vals("auth", tok, "folderid", "0").Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 503 || strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("call %d: HTTP %d %s", i, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0")), 5000)
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0")), 0)
	c := s.Calls("listfolder")
	if len(c) != 4 || c[0].Status != 503 || c[0].Result != -1 || c[0].Params.Get("auth") != Redacted || c[2].Result != 5000 {
		t.Fatalf("log %+v", c)
	}

	s.SetAPIDown("eu", true)
	if _, err := client.Get(s.RegionURL("eu") + "/getdigest"); err == nil {
		t.Fatal("eu API still answers")
	}
	wantResult(t, callAPI(t, s.URL(), "getdigest", nil), 0)
	s.SetAPIDown("eu", false)
	wantResult(t, callAPI(t, s.RegionURL("eu"), "getdigest", nil), 0)
}
