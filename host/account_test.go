package host

import (
	"context"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/fixtures"
)

// The account (the player's link source) follows the login it is given.
func TestAccountFollowsTheLogin(t *testing.T) {
	srv, id := oneTrack(t)
	l := &account{dial: settingsDial(config.Settings{APIURL: srv.URL(), Region: "auto"}, nil)}
	if err := l.login("", "", ""); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := l.AudioLink(ctx, id, 128); err == nil {
		t.Fatal("a link without a login")
	}
	tok := srv.Token("l@example.com")
	if err := l.login(tok, config.KindAuth, "us"); err != nil {
		t.Fatal(err)
	}
	link, err := l.AudioLink(ctx, id, 128)
	if err != nil || len(link.URLs) == 0 {
		t.Fatalf("after the login: %+v, %v", link, err)
	}
	before := l.c
	if err := l.login(tok, config.KindAuth, "us"); err != nil || l.c != before {
		t.Errorf("the same login again made a new client (%v)", err)
	}
}

// oneTrack is a fake pCloud with one account and one track at the top,
// and the track's file id.
func oneTrack(t *testing.T) (*pcloudtest.Server, uint64) {
	f := fixtures.Get("tagged")
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "l@example.com", Password: "pw"}},
		Root:     pcloudtest.Dir("", pcloudtest.AudioFile(f.File, map[int][]byte{128: f.Data()}, pcloudtest.Tags{})),
	})
	t.Cleanup(srv.Close)
	return srv, srv.FileID("/" + f.File)
}
