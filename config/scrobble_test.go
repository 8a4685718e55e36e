package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScrobbleSettings(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	write := func(s string) {
		if err := os.WriteFile(cfg, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := func(kv ...string) func(string) string {
		m := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": dir}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}

	write("")
	s, _, err := Load([]string{"--config", cfg}, env())
	if err != nil {
		t.Fatal(err)
	}
	if s.Scrobble.ListenBrainzURL != DefaultListenBrainzURL || s.Scrobble.LastfmURL != DefaultLastfmURL {
		t.Errorf("defaults: %+v", s.Scrobble)
	}

	write("listenbrainz_url = \"https://lb.example.org/\"\nlastfm_api_key = \"k1\"\nlastfm_secret = \"shh-secret-61\"\n")
	s, _, err = Load([]string{"--config", cfg}, env())
	if err != nil {
		t.Fatal(err)
	}
	if sc := s.Scrobble; sc.ListenBrainzURL != "https://lb.example.org" || sc.LastfmAPIKey != "k1" || sc.LastfmSecret != "shh-secret-61" {
		t.Errorf("from the file: %+v", sc)
	}
	s, _, err = Load([]string{"--config", cfg}, env(EnvListenBrainzURL, "http://127.0.0.1:9/", EnvListenBrainzToken, "tok-123"))
	if err != nil {
		t.Fatal(err)
	}
	if sc := s.Scrobble; sc.ListenBrainzURL != "http://127.0.0.1:9" || sc.ListenBrainzToken != "tok-123" {
		t.Errorf("the environment wins: %+v", sc)
	}
	for _, out := range []string{s.String(), s.Scrobble.String()} {
		if strings.Contains(out, "tok-123") || strings.Contains(out, "shh-secret-61") {
			t.Errorf("a secret in %q", out)
		}
	}

	for _, bad := range []string{"listenbrainz_url = \"http://lb.example.org\"\n", "listenbrainz_url = 3\n", "lastfm_secret = \"a b\"\n"} {
		write(bad)
		if _, _, err := Load([]string{"--config", cfg}, env()); err == nil || !strings.Contains(err.Error(), "config.toml:1") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	write("")
	_, _, err = Load([]string{"--config", cfg}, env(EnvListenBrainzToken, "has space"))
	if err == nil || strings.Contains(err.Error(), "has space") {
		t.Errorf("a bad PCPLAY_LISTENBRAINZ_TOKEN: %v", err)
	}
}

func TestScrobbleLoginFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pcplay", "listenbrainz.json")
	if l, err := LoadScrobbleLogin(path); err != nil || l.Secret != "" {
		t.Fatalf("none saved: %+v, %v", l, err)
	}
	if err := SaveScrobbleLogin(path, ScrobbleLogin{Secret: "abc-123", User: "alice"}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", fi.Mode(), err)
	}
	if l, err := LoadScrobbleLogin(path); err != nil || l.Secret != "abc-123" || l.User != "alice" {
		t.Errorf("loaded %+v, %v", l, err)
	}
	if err := os.WriteFile(path, []byte(`{"secret":"abc-123 x"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadScrobbleLogin(path); err == nil || strings.Contains(err.Error(), "abc") {
		t.Errorf("a bad file: %v", err)
	}
	if err := SaveScrobbleLogin(path, ScrobbleLogin{Secret: "a\nb"}); err == nil {
		t.Error("a malformed secret was saved")
	}
}
