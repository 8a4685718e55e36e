package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokenPathAndStateDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "cfg"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "st"))
	tp, err := TokenPath()
	if err != nil || tp != filepath.Join(dir, "cfg", "pcplay", "token.json") {
		t.Errorf("TokenPath() = %q, %v", tp, err)
	}
	cp, err := DefaultPath()
	if err != nil || cp != filepath.Join(dir, "cfg", "pcplay", "config.toml") {
		t.Errorf("DefaultPath() = %q, %v", cp, err)
	}
	sd, err := StateDir()
	if err != nil || sd != filepath.Join(dir, "st", "pcplay") {
		t.Fatalf("StateDir() = %q, %v", sd, err)
	}
	if fi, err := os.Stat(sd); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("state dir: %v %v", fi, err)
	}
	sp, err := SessionPath()
	if err != nil || sp != filepath.Join(sd, "session.json") {
		t.Errorf("SessionPath() = %q, %v", sp, err)
	}

	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", filepath.Join(dir, "home"))
	if sd, err := StateDir(); err != nil || sd != filepath.Join(dir, "home", ".local", "state", "pcplay") {
		t.Errorf("StateDir() without XDG_STATE_HOME = %q, %v", sd, err)
	}
	t.Setenv("XDG_STATE_HOME", "relative/dir")
	if _, err := StateDir(); err == nil {
		t.Error("a relative XDG_STATE_HOME was accepted")
	}
	t.Setenv("XDG_CONFIG_HOME", "relative/dir")
	if _, err := TokenPath(); err == nil {
		t.Error("a relative XDG_CONFIG_HOME was accepted")
	}
}

func TestSaveLoginModes(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	tp, err := TokenPath()
	if err != nil {
		t.Fatal(err)
	}
	// The directory exists already, too open.
	if err := os.Mkdir(filepath.Dir(tp), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(tp), 0o755); err != nil {
		t.Fatal(err)
	}
	l := SavedLogin{Token: "Tok3n", Kind: KindAuth, Region: "eu", Email: "me@example.com"}
	if err := SaveLogin(tp, l); err != nil {
		t.Fatal(err)
	}
	assertMode(t, filepath.Dir(tp), 0o700)
	assertMode(t, tp, 0o600)

	got, err := LoadLogin(tp)
	if err != nil || got != l {
		t.Fatalf("LoadLogin = %+v, %v; want %+v", got, err, l)
	}
	// Saving again replaces it and keeps the modes.
	l2 := SavedLogin{Token: "other", Kind: KindBearer, Region: "us"}
	if err := SaveLogin(tp, l2); err != nil {
		t.Fatal(err)
	}
	assertMode(t, tp, 0o600)
	if got, err := LoadLogin(tp); err != nil || got != l2 {
		t.Fatalf("LoadLogin = %+v, %v; want %+v", got, err, l2)
	}

	// A fresh directory is created 0700.
	fresh := filepath.Join(dir, "new", "pcplay", "token.json")
	if err := SaveLogin(fresh, l); err != nil {
		t.Fatal(err)
	}
	assertMode(t, filepath.Dir(fresh), 0o700)
	assertMode(t, fresh, 0o600)
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Errorf("%s: mode %04o, want %04o", path, fi.Mode().Perm(), want)
	}
}

func TestSaveLoginRefusesBadLogins(t *testing.T) {
	p := filepath.Join(t.TempDir(), "token.json")
	for _, l := range []SavedLogin{
		{},
		{Token: "t", Kind: "cookie", Region: "us"},
		{Token: "t", Kind: "auth", Region: "mars"},
		{Token: "two words", Kind: "auth", Region: "us"},
	} {
		err := SaveLogin(p, l)
		if err == nil {
			t.Errorf("SaveLogin(%+v) succeeded", l)
			continue
		}
		if l.Token != "" && l.Token != "t" && strings.Contains(err.Error(), l.Token) {
			t.Errorf("error shows the token: %v", err)
		}
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("a refused login left a file: %v", err)
	}
}

func TestLoadLoginMissingAndDelete(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pcplay", "token.json")
	l, err := LoadLogin(p)
	if err != nil || l != (SavedLogin{}) {
		t.Fatalf("missing file: %+v, %v", l, err)
	}
	if err := DeleteLogin(p); err != nil {
		t.Fatalf("DeleteLogin of a missing file: %v", err)
	}
	if err := SaveLogin(p, SavedLogin{Token: "t", Kind: KindAuth, Region: "us"}); err != nil {
		t.Fatal(err)
	}
	if err := DeleteLogin(p); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("token file still there: %v", err)
	}
	if l, err := LoadLogin(p); err != nil || l.Token != "" {
		t.Fatalf("after delete: %+v, %v", l, err)
	}
}

func TestLoadLoginCorrupt(t *testing.T) {
	const secret = "S3CRETtokenVALUE"
	cases := map[string]string{
		"truncated":   `{"token":"` + secret + `","kind":"au`,
		"not json":    secret,
		"array":       `["` + secret + `"]`,
		"wrong type":  `{"token":123,"kind":"auth","region":"us"}`,
		"trailing":    `{"token":"` + secret + `","kind":"auth","region":"us"} {"token":"x"}`,
		"no token":    `{"kind":"auth","region":"us"}`,
		"bad kind":    `{"token":"` + secret + `","kind":"` + secret + `","region":"us"}`,
		"bad region":  `{"token":"` + secret + `","kind":"auth","region":"mars"}`,
		"empty":       ``,
		"binary":      "\x00\xff\xfe" + secret,
		"bad token":   `{"token":"a b ` + secret + `","kind":"auth","region":"us"}`,
		"nested null": `null`,
	}
	dir := t.TempDir()
	for name, body := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		l, err := LoadLogin(p)
		if err == nil {
			t.Errorf("%s: loaded %+v", name, l)
			continue
		}
		if l != (SavedLogin{}) {
			t.Errorf("%s: returned a login with the error", name)
		}
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("%s: error shows the file's contents: %v", name, err)
		}
	}
	// Too large.
	p := filepath.Join(dir, "huge.json")
	if err := os.WriteFile(p, make([]byte, maxLoginFile+10), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLogin(p); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("huge file: %v", err)
	}
	// A directory where the file should be.
	if _, err := LoadLogin(dir); err == nil {
		t.Error("a directory loaded as a token file")
	}
}

func TestLoadLoginTightensLooseFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "token.json")
	if err := SaveLogin(p, SavedLogin{Token: "t", Kind: KindAuth, Region: "us"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o664); err != nil {
		t.Fatal(err)
	}
	l, err := LoadLogin(p)
	if err != nil || l.Token != "t" {
		t.Fatalf("LoadLogin = %+v, %v", l, err)
	}
	assertMode(t, p, 0o600)
}
