package config

import (
	"strings"
	"testing"
)

func TestArtSetting(t *testing.T) {
	for in, want := range map[string]string{`"kitty"`: "kitty", `"Blocks"`: "blocks", `"off"`: "off", `"auto"`: "auto", `"iterm2"`: "iterm2", `"sixel"`: "sixel"} {
		s := Settings{Art: "auto"}
		if _, err := applyFile(&s, "/c/config.toml", []byte("art = "+in+"\n"), fileOverrides{}, func(string) string { return "" }); err != nil || s.Art != want {
			t.Errorf("art = %s: %q, %v", in, s.Art, err)
		}
	}
	for _, bad := range []string{`"pictures"`, `true`, `3`} {
		s := Settings{Art: "auto"}
		_, err := applyFile(&s, "/c/config.toml", []byte("volume = 5\nart = "+bad+"\n"), fileOverrides{}, func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), "/c/config.toml:2") || !strings.Contains(err.Error(), "auto, kitty, sixel, iterm2, blocks or off") || s.Art != "auto" {
			t.Errorf("art = %s: %v (%q)", bad, err, s.Art)
		}
	}
}
