package ui_test

import (
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"

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

// The key names the config file accepts are the terminal library's.
func TestConfigKeyNamesAreTheTerminals(t *testing.T) {
	codes := map[string]rune{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "backspace": tea.KeyBackspace, "esc": tea.KeyEscape,
		"space": tea.KeySpace, "up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"begin": tea.KeyBegin, "find": tea.KeyFind, "insert": tea.KeyInsert, "delete": tea.KeyDelete,
		"select": tea.KeySelect, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"capslock": tea.KeyCapsLock, "scrolllock": tea.KeyScrollLock, "numlock": tea.KeyNumLock,
		"printscreen": tea.KeyPrintScreen, "pause": tea.KeyPause,
	}
	for _, name := range config.NamedKeys() {
		code, ok := codes[name]
		if !ok {
			t.Errorf("config accepts %q, which this test does not know", name)
			continue
		}
		if got := (tea.Key{Code: code}).Keystroke(); got != name {
			t.Errorf("config's %q is %q to the terminal library", name, got)
		}
		if got := (tea.Key{Code: code, Mod: tea.ModCtrl | tea.ModShift}).Keystroke(); got != "ctrl+shift+"+name {
			t.Errorf("ctrl+shift+%s is %q to the terminal library", name, got)
		}
	}
	if got := (tea.Key{Code: tea.KeyF63, Mod: tea.ModAlt}).Keystroke(); got != "alt+f63" {
		t.Errorf("alt+f63 is %q", got)
	}
}
