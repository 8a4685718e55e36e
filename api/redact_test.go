package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/internal/syncbuf"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"nothing secret here", "nothing secret here"},
		{"GET /listfolder?folderid=0&auth=abc123XYZ&x=1", "GET /listfolder?folderid=0&auth=REDACTED&x=1"},
		{`Post "https://api.pcloud.com/userinfo?username=a%40b.c&passworddigest=deadbeef&digest=cafe": EOF`,
			`Post "https://api.pcloud.com/userinfo?username=a%40b.c&passworddigest=REDACTED&digest=REDACTED": EOF`},
		{"password=hunter2 code=123456 token=t0k access_token=at", "password=REDACTED code=REDACTED token=REDACTED access_token=REDACTED"},
		{"tfa_token=zz&getauth=1", "tfa_token=REDACTED&getauth=REDACTED"},
		{"AUTH=Upper", "AUTH=REDACTED"},
		{"auth%3Dencoded", "auth%3DREDACTED"},
		{"Authorization: Bearer eyJhbGciOi.J9-x_y", "Authorization: Bearer REDACTED"},
		{"bearer   abc", "bearer   REDACTED"},
		{"BeArEr xyz", "BeArEr REDACTED"},
		{"user@example.com logged in: ok", "user@example.com logged in: ok"},
		{`{"result":0,"auth":"s3cr3t","email":"a@b.c"}`, `{"result":0,"auth":"REDACTED","email":"a@b.c"}`},
		{`{"token": "tfa-tok", "tfatype": 2}`, `{"token": "REDACTED", "tfatype": 2}`},
		{"https://user:pw@host/x", "https://REDACTED@host/x"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := scrub("the token XYZW1234 echoed", "XYZW1234", "ab"); got != "the token REDACTED echoed" {
		t.Errorf("scrub = %q", got)
	}
}

// texts is everything a person or a log could see of err.
func texts(err error) string {
	if err == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n%+v\n%#v\n%s\n", err, err, err.Error(), Sentence(err))
	for e := err; e != nil; e = errors.Unwrap(e) {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestNoSecretsLeak runs the failing paths and checks that no token,
// password or 2FA token appears in any error string, sentence or log line.
func TestNoSecretsLeak(t *testing.T) {
	srv := newServer(t)
	var all []string // what was produced
	var secrets []string
	var logs []*syncbuf.Buffer
	keep := func(c testClient, errs ...error) {
		logs = append(logs, c.logs)
		for _, err := range errs {
			if err == nil {
				t.Errorf("a failing path did not fail")
				continue
			}
			all = append(all, texts(err))
		}
	}
	ctx := ctxT(t)

	// Bad password, in both regions.
	const badPass = "Wr0ng-Passw0rd-Zq"
	secrets = append(secrets, badPass, usPass, euPass, tfaPass, tfaCode)
	c := newClient(t, srv, RegionUS)
	_, err := c.Login(ctx, usEmail, badPass)
	keep(c, err)

	// A token that gets revoked, sent as auth= and as a bearer.
	login(t, c, usEmail, usPass)
	tok := c.Token()
	secrets = append(secrets, tok)
	cb := newClient(t, srv, RegionUS, func(o *Options) { o.Token, o.TokenKind = srv.Token(euEmail), TokenBearer })
	secrets = append(secrets, cb.Token())
	srv.RevokeAll()
	_, err1 := c.ListFolder(ctx, 0, true)
	_, err2 := c.AudioLink(ctx, 1000, 128)
	keep(c, err1, err2)
	_, err1 = cb.UserInfo(ctx)
	_, err2 = cb.FileLink(ctx, 1000)
	keep(cb, err1, err2)

	// 5xx answers from pCloud, again and again (retries logged).
	c = newClient(t, srv, RegionUS, func(o *Options) { o.Token = srv.Token(usEmail) })
	secrets = append(secrets, c.Token())
	srv.FailNext(100, 5000)
	_, err = c.ListFolder(ctx, 0, false)
	srv.FailNext(0, 0)
	keep(c, err)

	// 2FA: the 2FA token and a wrong code.
	c = newClient(t, srv, RegionUS)
	_, err = c.Login(ctx, tfaEmail, tfaPass)
	var tfa *TFARequired
	if !errors.As(err, &tfa) {
		t.Fatalf("want TFARequired: %v", err)
	}
	secrets = append(secrets, tfa.Token)
	_, err2 = c.TFALogin(ctx, tfa.Token, "999111", true)
	keep(c, err, err2)
	srv.ExpireTFATokens()
	_, err = c.TFALogin(ctx, tfa.Token, tfaCode, true)
	keep(c, err, c.SendTFASMS(ctx, tfa.Token))

	// A server that answers HTTP 502 or a pCloud error and echoes the whole
	// request (the token, the password digest) back in its error text.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		echoed := r.Form.Encode() + " " + r.Header.Get("Authorization") + " raw:" + r.Form.Get("auth") + r.Form.Get("passworddigest") + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header().Set("X-Error", echoed)
		switch {
		case strings.HasSuffix(r.URL.Path, "/getdigest"):
			_ = json.NewEncoder(w).Encode(map[string]any{"result": 0, "digest": "digest0123456789"})
		case r.Form.Get("folderid") == "1":
			_ = json.NewEncoder(w).Encode(map[string]any{"result": 5000, "error": echoed})
		default:
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, echoed)
		}
	}))
	defer echo.Close()
	const echoTok = "EchoToken-5521-abcdef"
	secrets = append(secrets, echoTok, "digest0123456789")
	for _, kind := range []TokenKind{TokenAuth, TokenBearer} {
		c = newClient(t, srv, RegionUS, func(o *Options) {
			o.BaseURL, o.RegionURLs, o.Token, o.TokenKind, o.MaxAttempts = echo.URL, nil, echoTok, kind, 2
		})
		_, err1 = c.ListFolder(ctx, 0, false)
		_, err2 = c.ListFolder(ctx, 1, false)
		keep(c, err1, err2)
		_, err = c.Login(ctx, usEmail, badPass)
		keep(c, err)
	}

	// A network error: nothing listens on the port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	c = newClient(t, srv, RegionUS, func(o *Options) { o.BaseURL, o.RegionURLs, o.Token = dead, nil, echoTok })
	_, err1 = c.UserInfo(ctx)
	_, err2 = c.Login(ctx, usEmail, badPass)
	keep(c, err1, err2)
	if !IsRetryable(err1) || !strings.HasPrefix(Sentence(err1), "Can't reach pCloud") {
		t.Errorf("network error: retryable %v, sentence %q", IsRetryable(err1), Sentence(err1))
	}

	// A cancelled call.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	c = newClient(t, srv, RegionUS, func(o *Options) { o.Token = echoTok })
	_, err1 = c.ListFolder(cctx, 0, false)
	_, err2 = c.Login(cctx, usEmail, badPass)
	keep(c, err1, err2)

	// A bad base URL with credentials in it.
	_, err = New(Options{BaseURL: "http://user:" + badPass + "@example.com/"})
	keep(testClient{logs: &syncbuf.Buffer{}}, err)

	for i, s := range all {
		noSecrets(t, fmt.Sprintf("error %d", i), s, secrets...)
	}
	var total int
	for i, l := range logs {
		noSecrets(t, fmt.Sprintf("log %d", i), l.String(), secrets...)
		total += len(l.String())
	}
	if len(all) < 20 || total == 0 {
		t.Fatalf("too little was checked: %d errors, %d bytes of log", len(all), total)
	}
}
