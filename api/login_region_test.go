package api

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// uniq lists the distinct hosts of the server's log, in order of first use.
func uniq(hs []string) []string {
	var out []string
	for _, h := range hs {
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

func TestLoginInChosenRegion(t *testing.T) {
	// The EU account, from a client whose region is the US.
	t.Run("us only", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, RegionUS)
		_, err := c.LoginIn(ctxT(t), RegionUS, euEmail, euPass)
		e := wantCode(t, err, 2000)
		if got, want := e.Sentence(), "Wrong e-mail or password, or your account is in the other region (try --region eu)."; got != want {
			t.Fatalf("sentence %q, want %q", got, want)
		}
		if got := uniq(hosts(srv.Log())); !eq(got, []string{"api-us"}) {
			t.Fatalf("a US-only login went to %v", got)
		}
		if c.Token() != "" || c.Region() != RegionUS {
			t.Fatalf("after a failed login: token set %v, region %v", c.Token() != "", c.Region())
		}
	})
	t.Run("eu only", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, RegionUS)
		ui, err := c.LoginIn(ctxT(t), RegionEU, euEmail, euPass)
		if err != nil || ui.Email != euEmail {
			t.Fatalf("LoginIn(eu): %+v, %v", ui, err)
		}
		if got := uniq(hosts(srv.Log())); !eq(got, []string{"api-eu"}) {
			t.Fatalf("an EU-only login went to %v", got)
		}
		if c.Region() != RegionEU || c.BaseURL() != srv.RegionURL("eu") || c.Token() == "" {
			t.Fatalf("after login: region %v base %v token set %v", c.Region(), c.BaseURL(), c.Token() != "")
		}
		// Later calls go there too.
		srv.ResetLog()
		if _, err := c.ListFolder(ctxT(t), 0, false); err != nil {
			t.Fatal(err)
		}
		if got := hosts(srv.Log()); !eq(got, []string{"api-eu"}) {
			t.Fatalf("listfolder went to %v", got)
		}
		// A US account in the EU only: refused there, the US never asked,
		// and the client stays where it was.
		srv.ResetLog()
		c2 := newClient(t, srv, RegionEU)
		_, err = c2.LoginIn(ctxT(t), RegionEU, usEmail, usPass)
		if s := Sentence(wantCode(t, err, 2000)); !strings.Contains(s, "--region us") {
			t.Fatalf("sentence %q", s)
		}
		if got := uniq(hosts(srv.Log())); !eq(got, []string{"api-eu"}) {
			t.Fatalf("an EU-only login went to %v", got)
		}
	})
	for _, r := range []Region{RegionAuto, ""} {
		t.Run("auto "+string(r), func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, RegionUS)
			ui, err := c.LoginIn(ctxT(t), r, euEmail, euPass)
			if err != nil || ui.Email != euEmail {
				t.Fatalf("LoginIn(%q): %+v, %v", r, ui, err)
			}
			logins := srv.Calls("login")
			if got := hosts(logins); !eq(got, []string{"api-us", "api-eu"}) {
				t.Fatalf("login hosts %v", got)
			}
			if got := results(logins); !eq(got, []int{2000, 0}) {
				t.Fatalf("login results %v", got)
			}
			if c.Region() != RegionEU {
				t.Fatalf("region %v", c.Region())
			}
		})
	}
	t.Run("wrong password in the right region", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, RegionUS)
		_, err := c.LoginIn(ctxT(t), RegionEU, euEmail, "wrong")
		wantCode(t, err, 2000)
		if c.Region() != RegionUS || c.BaseURL() != srv.RegionURL("us") {
			t.Fatalf("a failed login moved the client to %v %v", c.Region(), c.BaseURL())
		}
		if got := uniq(hosts(srv.Log())); !eq(got, []string{"api-eu"}) {
			t.Fatalf("went to %v", got)
		}
	})
}

func TestLoginInTwoFactorMovesTheClient(t *testing.T) {
	// The EU SMS account asked in the EU from a US client: the second step
	// must go to the EU too.
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	_, err := c.LoginIn(ctxT(t), RegionEU, smsEmail, smsPass)
	var tfa *TFARequired
	if !errors.As(err, &tfa) {
		t.Fatalf("want *TFARequired, got %T %v", err, err)
	}
	if c.Region() != RegionEU || c.Token() != "" {
		t.Fatalf("region %v, token set %v", c.Region(), c.Token() != "")
	}
	ui, err := c.TFALogin(ctxT(t), tfa.Token, tfaCode, true)
	if err != nil || ui.Email != smsEmail {
		t.Fatalf("TFALogin: %+v %v", ui, err)
	}
	if got := uniq(hosts(srv.Log())); !eq(got, []string{"api-eu"}) {
		t.Fatalf("went to %v", got)
	}
}

func TestLoginInBadRegion(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	for _, r := range []Region{"mars", "US", " eu", "both"} {
		_, err := c.LoginIn(ctxT(t), r, usEmail, usPass)
		if err == nil || !strings.Contains(err.Error(), "use us, eu or auto") {
			t.Errorf("LoginIn(%q): %v", r, err)
		}
	}
	// A custom API URL with no other region known: only its own region
	// (or auto) can be asked.
	c2, err := New(Options{BaseURL: srv.URL(), Backoff: func(int) time.Duration { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c2.LoginIn(ctxT(t), RegionEU, euEmail, euPass)
	if err == nil || !strings.Contains(err.Error(), "EU region's API URL is not known") {
		t.Fatalf("EU with a custom US URL: %v", err)
	}
	if n := len(srv.Log()); n != 0 {
		t.Fatalf("%d calls for refused regions", n)
	}
	if _, err := c2.LoginIn(ctxT(t), RegionUS, usEmail, usPass); err != nil {
		t.Fatalf("US at the custom US URL: %v", err)
	}
}

func TestParseLoginRegion(t *testing.T) {
	for in, want := range map[string]Region{"": RegionAuto, "auto": RegionAuto, " AUTO ": RegionAuto, "us": RegionUS, "Eu": RegionEU} {
		if got, err := ParseLoginRegion(in); err != nil || got != want {
			t.Errorf("ParseLoginRegion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseLoginRegion("asia"); err == nil || !strings.Contains(err.Error(), "us, eu or auto") {
		t.Errorf("asia: %v", err)
	}
	if _, err := ParseRegion("auto"); err == nil {
		t.Error("ParseRegion accepts auto: it is no region of its own")
	}
}

// Logins in both regions at once, with readers: the client ends holding
// one login whose token and region agree.
func TestLoginInConcurrent(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			var err error
			switch i % 4 {
			case 0:
				_, err = c.LoginIn(ctxT(t), RegionEU, euEmail, euPass)
			case 1:
				_, err = c.LoginIn(ctxT(t), RegionUS, usEmail, usPass)
			case 2:
				_, err = c.LoginIn(ctxT(t), RegionAuto, euEmail, euPass)
			default:
				_ = c.Region()
				_ = c.BaseURL()
			}
			if err != nil {
				t.Errorf("login %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	ui, err := c.UserInfo(ctxT(t))
	if err != nil {
		t.Fatalf("after the race the token and region disagree: %v", err)
	}
	want := map[Region]string{RegionUS: usEmail, RegionEU: euEmail}[c.Region()]
	if ui.Email != want {
		t.Fatalf("region %v holds %s", c.Region(), ui.Email)
	}
}
