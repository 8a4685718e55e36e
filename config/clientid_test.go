package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClientID(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	env := func(kv map[string]string) func(string) string {
		return func(k string) string {
			if k == "XDG_CONFIG_HOME" {
				return dir
			}
			return kv[k]
		}
	}
	load := func(file string, kv map[string]string) (Settings, error) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		s, _, err := Load([]string{"--config", cfg}, env(kv))
		return s, err
	}
	old := DefaultClientID
	t.Cleanup(func() { DefaultClientID = old })

	DefaultClientID = ""
	if s, err := load("", nil); err != nil || s.ClientID != "" {
		t.Fatalf("none: %q, %v", s.ClientID, err)
	}
	DefaultClientID = "BuiltIn"
	if s, err := load("", nil); err != nil || s.ClientID != "BuiltIn" {
		t.Fatalf("built-in default: %q, %v", s.ClientID, err)
	}
	if s, err := load(`client_id = "FromFile"`, nil); err != nil || s.ClientID != "FromFile" {
		t.Fatalf("file: %q, %v", s.ClientID, err)
	}
	if s, err := load(`client_id = "FromFile"`, map[string]string{EnvClientID: " FromEnv "}); err != nil || s.ClientID != "FromEnv" {
		t.Fatalf("environment over file: %q, %v", s.ClientID, err)
	}
	if s, err := load(`client_id = ""`, nil); err != nil || s.ClientID != "BuiltIn" {
		t.Fatalf("empty in the file: %q, %v", s.ClientID, err)
	}
	if _, err := load(`client_id = "a b"`, nil); err == nil || !strings.Contains(err.Error(), "config.toml:1: client_id") {
		t.Fatalf("a bad file value: %v", err)
	}
	if _, err := load(`client_id = 42`, nil); err == nil || !strings.Contains(err.Error(), "must be a string") {
		t.Fatalf("a number: %v", err)
	}
	if _, err := load("", map[string]string{EnvClientID: "x?y"}); err == nil || !strings.Contains(err.Error(), EnvClientID) {
		t.Fatalf("a bad variable: %v", err)
	}
}
