package api

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
)

const testClientID = "TestClientId1"

// waitPolling waits until the client polls a sign-in request.
func waitPolling(t *testing.T, srv *pcloudtest.Server) {
	t.Helper()
	poll.Until(t, "a poll of oauth2_token", func() bool { return srv.SignInsWaiting() > 0 })
}

func TestNewSignIn(t *testing.T) {
	s, err := NewSignIn(" " + testClientID + " ")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.RequestID) != 40 || strings.Trim(s.RequestID, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		t.Fatalf("request id %q: want 40 letters A-Z", s.RequestID)
	}
	s2, _ := NewSignIn(testClientID)
	if s2.RequestID == s.RequestID {
		t.Fatal("two requests share an id")
	}
	u, err := url.Parse(s.URL())
	if err != nil || u.Scheme+"://"+u.Host+u.Path != AuthorizeURL {
		t.Fatalf("URL %q", s.URL())
	}
	q := u.Query()
	if q.Get("client_id") != testClientID || q.Get("response_type") != "poll_token" || q.Get("request_id") != s.RequestID {
		t.Fatalf("URL query %v", q)
	}
	for _, bad := range []string{"", "  ", "a b", "x&y=z"} {
		if _, err := NewSignIn(bad); err == nil {
			t.Errorf("NewSignIn(%q) worked", bad)
		}
	}
}

// Both regions are polled at once; the EU account's approval answers on
// the EU host with locationid 2: the client holds a bearer token there.
func TestSignInRegionFromLocationID(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	s, _ := NewSignIn(testClientID)
	type res struct {
		ui  UserInfo
		err error
	}
	done := make(chan res, 1)
	go func() {
		ui, err := c.WaitSignIn(ctxT(t), s)
		done <- res{ui, err}
	}()
	waitPolling(t, srv)
	srv.ApproveSignIn(s.RequestID, euEmail)
	r := <-done
	if r.err != nil {
		t.Fatalf("WaitSignIn: %v", r.err)
	}
	if r.ui.Email != euEmail {
		t.Fatalf("UserInfo %+v", r.ui)
	}
	if c.TokenKind() != TokenBearer || c.Region() != RegionEU || c.BaseURL() != srv.RegionURL("eu") || c.Token() == "" {
		t.Fatalf("after sign-in: kind %v region %v base %s", c.TokenKind(), c.Region(), c.BaseURL())
	}
	// The US poll, cut short, is logged when the fake notices.
	poll.Until(t, "polls on both hosts", func() bool {
		got := hosts(srv.Calls("oauth2_token"))
		return contains(got, "api-us") && contains(got, "api-eu")
	})

	for _, r := range srv.Calls("oauth2_token") {
		if r.Params.Get("client_id") != testClientID || r.Params.Get("request_id") != s.RequestID {
			t.Fatalf("poll params %v", r.Params)
		}
	}
	// The token works as a bearer (the fake refuses it as auth=).
	if _, err := c.ListFolder(ctxT(t), 0, false); err != nil {
		t.Fatalf("listing with the new token: %v", err)
	}
	noSecrets(t, "the log", c.logs.String(), c.Token())
}

// A poll held out without approval ends with the "not yet" answer and is
// sent again until the person approves.
func TestSignInPollReissued(t *testing.T) {
	srv := newServer(t, func(o *pcloudtest.Options) { o.OAuthPollHold = 20 * time.Millisecond })
	c := newClient(t, srv, RegionUS)
	s, _ := NewSignIn(testClientID)
	done := make(chan error, 1)
	go func() {
		_, err := c.WaitSignIn(ctxT(t), s)
		done <- err
	}()
	poll.Until(t, "three re-issued polls on each host", func() bool {
		rs := srv.Calls("oauth2_token")
		return countResult(rs, pcloudtest.OAuthNotYetCode, "api-us") >= 3 && countResult(rs, pcloudtest.OAuthNotYetCode, "api-eu") >= 3
	})

	srv.ApproveSignIn(pcloudtest.AnyRequest, usEmail)
	if err := <-done; err != nil {
		t.Fatalf("WaitSignIn: %v", err)
	}
	if c.Region() != RegionUS || c.TokenKind() != TokenBearer {
		t.Fatalf("region %v kind %v", c.Region(), c.TokenKind())
	}
}

func countResult(rs []pcloudtest.Request, code int, host string) int {
	n := 0
	for _, r := range rs {
		if r.Result == code && r.Host == host {
			n++
		}
	}
	return n
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Cancelling the context stops both polls; the client stays logged out.
func TestSignInCancel(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	s, _ := NewSignIn(testClientID)
	ctx, cancel := context.WithCancel(ctxT(t))
	done := make(chan error, 1)
	go func() {
		_, err := c.WaitSignIn(ctx, s)
		done <- err
	}()
	waitPolling(t, srv)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("WaitSignIn after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("WaitSignIn did not return after cancel")
	}
	if c.Token() != "" {
		t.Fatal("a cancelled sign-in left a token")
	}
	// Approving now gives the client nothing.
	srv.ApproveSignIn(s.RequestID, usEmail)
	if c.Token() != "" {
		t.Fatal("an approval after cancel reached the client")
	}
}

// A 1xxx answer (no client_id, as a wrong app would get) ends the wait.
func TestSignInRefused(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	_, err := c.WaitSignIn(ctxT(t), SignIn{ClientID: testClientID})
	if err == nil {
		t.Fatal("a request without request_id waited")
	}
	srv.FailNext(2, 1067)
	_, err = c.WaitSignIn(ctxT(t), SignIn{ClientID: testClientID, RequestID: "X"})
	wantCode(t, err, 1067)
}

// A poll that pCloud answers with an error that is not a refusal (here
// 2012, as a wrong request might get) is reported to OnTrouble, with
// nothing secret in it, and the wait goes on: once pCloud answers again,
// the approval logs in.
func TestSignInTroubleReported(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	s, _ := NewSignIn(testClientID)
	troubles := make(chan error, 100)
	s.OnTrouble = func(err error) {
		select {
		case troubles <- err:
		default:
		}
	}
	srv.FailMethod("oauth2_token", 2012)
	done := make(chan error, 1)
	go func() {
		_, err := c.WaitSignIn(ctxT(t), s)
		done <- err
	}()
	for range 3 {
		select {
		case err := <-troubles:
			wantCode(t, err, 2012)
			noSecrets(t, "the reported error", err.Error(), s.RequestID)
		case err := <-done:
			t.Fatalf("WaitSignIn ended on a 2xxx answer: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatal("no trouble reported while pCloud answers 2012")
		}
	}
	srv.FailMethod("oauth2_token", 0)
	waitPolling(t, srv)
	srv.ApproveSignIn(pcloudtest.AnyRequest, usEmail)
	if err := <-done; err != nil {
		t.Fatalf("WaitSignIn after the trouble ended: %v", err)
	}
	if c.Token() == "" {
		t.Fatal("no token after the approval")
	}
}
