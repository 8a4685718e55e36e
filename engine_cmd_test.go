package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/fixtures"
)

// The engine's link source follows the login a client sends.
func TestSwapLinksFollowsTheLogin(t *testing.T) {
	f := fixtures.Get("tagged")
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "l@example.com", Password: "pw"}},
		Root:     pcloudtest.Dir("", pcloudtest.AudioFile(f.File, map[int][]byte{128: f.Data()}, pcloudtest.Tags{})),
	})
	defer srv.Close()
	id := srv.FileID("/" + f.File)
	l := &swapLinks{s: config.Settings{APIURL: srv.URL(), Region: "auto"}}
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

func TestRotateLog(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "engine.log")
	os.WriteFile(p, make([]byte, 100), 0o600)
	rotateLog(p, 100)
	if _, err := os.Stat(p); err != nil {
		t.Fatal("a log at the limit was moved")
	}
	os.WriteFile(p, make([]byte, 101), 0o600)
	rotateLog(p, 100)
	if _, err := os.Stat(p + ".1"); err != nil {
		t.Error("a log over the limit was not moved")
	}
	if _, err := os.Stat(p); err == nil {
		t.Error("the log is still there")
	}
}
