package ui_test

import (
	"slices"
	"testing"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/ui"
)

// The config file's [keys] accepts exactly the actions the UI can rebind:
// config cannot import ui, so this test ties the two lists.
func TestKnownActionsAreTheUIs(t *testing.T) {
	cfg := slices.Sorted(slices.Values(config.KnownActions))
	u := slices.Sorted(slices.Values(ui.Actions()))
	if !slices.Equal(cfg, u) {
		for _, a := range u {
			if !slices.Contains(cfg, a) {
				t.Errorf("ui action %q is missing from config.KnownActions", a)
			}
		}
		for _, a := range cfg {
			if !slices.Contains(u, a) {
				t.Errorf("config.KnownActions has %q, which ui.Actions() does not", a)
			}
		}
	}
}
