package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
)

// recAuth is an [Authenticator] that records the regions it was asked for
// and logs in with a real client.
type recAuth struct {
	*api.Client
	mu      sync.Mutex
	regions []api.Region
}

func (r *recAuth) LoginIn(ctx context.Context, region api.Region, email, password string) (api.UserInfo, error) {
	r.mu.Lock()
	r.regions = append(r.regions, region)
	r.mu.Unlock()
	return r.Client.LoginIn(ctx, region, email, password)
}

func (r *recAuth) asked() []api.Region {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.regions)
}

var _ Authenticator = (*api.Client)(nil)

// regionHarness is the login screen against the fake's two regions with an
// EU account, the client starting in the US (as pcplay does for auto).
func regionHarness(t *testing.T, region string) (*harness, *pcloudtest.Server, *recAuth) {
	t.Helper()
	srv := newFake(t, pcloudtest.Account{Email: testEmail, Password: testPass, Region: "eu"})
	c, err := api.New(api.Options{
		Region:      api.RegionUS,
		RegionURLs:  map[api.Region]string{api.RegionUS: srv.RegionURL("us"), api.RegionEU: srv.RegionURL("eu")},
		MaxAttempts: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	a := &recAuth{Client: c}
	h := newHarness(t, Options{Library: c, Auth: a, NeedLogin: true, Region: region}, 80, 24)
	h.keys("2") // the password form
	return h, srv, a
}

func apiHosts(srv *pcloudtest.Server) []string {
	var out []string
	for _, r := range srv.Log() {
		if !slices.Contains(out, r.Host) {
			out = append(out, r.Host)
		}
	}
	return out
}

func TestLoginRegionDefault(t *testing.T) {
	for _, c := range []struct {
		opt  string
		want api.Region
		text string
	}{
		{"", api.RegionAuto, "Region:   auto (US, then EU)"},
		{"auto", api.RegionAuto, "Region:   auto (US, then EU)"},
		{"us", api.RegionUS, "Region:   US"},
		{" EU ", api.RegionEU, "Region:   EU"},
		{"mars", api.RegionAuto, "Region:   auto (US, then EU)"},
	} {
		h, _, _ := regionHarness(t, c.opt)
		if got := h.m.s.login.chosenRegion(); got != c.want {
			t.Errorf("Options.Region %q: region %q, want %q", c.opt, got, c.want)
		}
		wantScreen(t, h, "  "+c.text)
	}
}

func TestLoginRegionFieldCycles(t *testing.T) {
	h, srv, _ := regionHarness(t, "")
	l := &h.m.s.login
	h.typeText("ann")
	// tab/down go forward round the three rows, shift+tab/up back.
	for _, step := range []struct {
		key   string
		focus int
	}{
		{"tab", focusPassword}, {"tab", focusRegion}, {"tab", focusEmail},
		{"shift+tab", focusRegion}, {"up", focusPassword}, {"down", focusRegion},
	} {
		h.keys(step.key)
		if l.focus != step.focus {
			t.Fatalf("after %s the focus is %d, want %d", step.key, l.focus, step.focus)
		}
	}
	wantScreen(t, h, "› Region:   auto (US, then EU)  ←/→ changes")
	for _, step := range []struct {
		key  string
		want api.Region
		text string
	}{
		{"right", api.RegionUS, "› Region:   US"},
		{"right", api.RegionEU, "› Region:   EU"},
		{"right", api.RegionAuto, "› Region:   auto"},
		{"left", api.RegionEU, "› Region:   EU"},
		{"left", api.RegionUS, "› Region:   US"},
		{"left", api.RegionAuto, "› Region:   auto"},
		{"space", api.RegionUS, "› Region:   US"},
	} {
		h.keys(step.key)
		if got := l.chosenRegion(); got != step.want {
			t.Fatalf("after %s the region is %q, want %q", step.key, got, step.want)
		}
		wantScreen(t, h, step.text)
	}
	// Text keys on the region row type nowhere.
	h.typeText("xq")
	h.keys("backspace", "ctrl+u")
	h.send(tea.PasteMsg{Content: "pasted"})
	if l.email.String() != "ann" || l.password.String() != "" || h.quit {
		t.Fatalf("keys on the region row: email %q, password %q, quit %v", l.email.String(), l.password.String(), h.quit)
	}
	// Left and right are text-free in the text fields: no region change.
	h.keys("tab") // e-mail
	h.keys("right", "left")
	if l.chosenRegion() != api.RegionUS || l.email.String() != "ann" {
		t.Fatalf("arrows in the e-mail field: region %q, email %q", l.chosenRegion(), l.email.String())
	}
	if n := len(srv.Log()); n != 0 {
		t.Fatalf("%d requests while editing", n)
	}
}

func TestLoginRegionSubmitted(t *testing.T) {
	// US only: the EU account is refused, the EU never asked, and the
	// sentence points at the region field.
	h, srv, a := regionHarness(t, "us")
	h.login(testEmail, testPass)
	if h.screen() != "login" {
		t.Fatal("logged in to an EU account in the US only")
	}
	if got := a.asked(); !slices.Equal(got, []api.Region{api.RegionUS}) {
		t.Fatalf("asked %v", got)
	}
	if got := apiHosts(srv); !slices.Equal(got, []string{"api-us"}) {
		t.Fatalf("a US-only login went to %v", got)
	}
	if got, want := h.m.s.login.err, "Wrong e-mail or password, or your account is in the EU region (choose EU or auto as the region)."; got != want {
		t.Fatalf("error %q, want %q", got, want)
	}
	wantScreen(t, h, "✗ Wrong e-mail or password, or your account is in the EU region")
	if strings.Contains(noStyle(h.m), "--region") {
		t.Fatal("the login screen sends the person to a flag")
	}

	// Move to EU on the screen and enter from the region row: EU only.
	srv.ResetLog()
	h.typeText(testPass)
	h.keys("down", "right", "enter")
	if h.screen() != "main" {
		t.Fatalf("EU login failed: %q", h.m.s.login.err)
	}
	if got := a.asked(); !slices.Equal(got, []api.Region{api.RegionUS, api.RegionEU}) {
		t.Fatalf("asked %v", got)
	}
	if got := apiHosts(srv); !slices.Equal(got, []string{"api-eu"}) {
		t.Fatalf("an EU-only login went to %v", got)
	}
	if a.Region() != api.RegionEU {
		t.Fatalf("client region %v", a.Region())
	}
	wantScreen(t, h, "▸ Music/")

	// Auto: US first, then EU.
	h2, srv2, a2 := regionHarness(t, "auto")
	h2.login(testEmail, testPass)
	if h2.screen() != "main" {
		t.Fatalf("auto login failed: %q", h2.m.s.login.err)
	}
	if got := a2.asked(); !slices.Equal(got, []api.Region{api.RegionAuto}) {
		t.Fatalf("asked %v", got)
	}
	var logins []string
	for _, r := range srv2.Calls("login") {
		logins = append(logins, r.Host)
	}
	if !slices.Equal(logins, []string{"api-us", "api-eu"}) {
		t.Fatalf("auto login hosts %v", logins)
	}

	// EU only for an account that is in the US: the sentence names the US.
	srv3 := newFake(t)
	c3, err := api.New(api.Options{
		RegionURLs:  map[api.Region]string{api.RegionUS: srv3.RegionURL("us"), api.RegionEU: srv3.RegionURL("eu")},
		MaxAttempts: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	h3 := newHarness(t, Options{Library: c3, Auth: c3, NeedLogin: true, Region: "eu"}, 80, 24)
	h3.keys("2")
	h3.login(testEmail, testPass)
	if got := h3.m.s.login.err; !strings.Contains(got, "in the US region (choose US or auto as the region)") {
		t.Fatalf("error %q", got)
	}
}
