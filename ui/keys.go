package ui

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
)

// KeyMap holds every key binding of the UI. The help overlay is generated
// from the same bindings, so the keys and their help never disagree.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Parent, Add, Tab                  key.Binding
	Toggle                                  key.Binding
	SeekBack, SeekFwd                       key.Binding
	SeekBackLong, SeekFwdLong               key.Binding
	Next, Prev                              key.Binding
	VolUp, VolDown                          key.Binding
	Shuffle, Repeat                         key.Binding
	Remove, Filter, Bitrate, Help           key.Binding
	Quit, StopQuit, Refresh                 key.Binding
}

// DefaultKeyMap returns the keys of the design (../shared/design.md), with a
// few aliases.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Up:           b("↑/k", "up", "up", "k"),
		Down:         b("↓/j", "down", "down", "j"),
		PageUp:       b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown:     b("pgdn", "page down", "pgdown", "ctrl+f"),
		Top:          b("g", "top", "g", "home"),
		Bottom:       b("G", "bottom", "G", "end"),
		Open:         b("enter", "open / play from here", "enter"),
		Parent:       b("backspace/h", "parent folder", "backspace", "h"),
		Add:          b("a", "add to queue (recursive)", "a"),
		Tab:          b("tab", "browser ↔ queue", "tab"),
		Toggle:       b("space", "pause / resume", "space"),
		SeekBack:     b("←", "seek -5s", "left"),
		SeekFwd:      b("→", "seek +5s", "right"),
		SeekBackLong: b("shift+←", "seek -30s", "shift+left"),
		SeekFwdLong:  b("shift+→", "seek +30s", "shift+right"),
		Next:         b("n", "next track", "n"),
		Prev:         b("p", "previous track", "p"),
		VolUp:        b("+", "volume up", "+", "="),
		VolDown:      b("-", "volume down", "-"),
		Shuffle:      b("s", "shuffle on/off", "s"),
		Repeat:       b("r", "repeat off/all/one", "r"),
		Remove:       b("d", "remove from queue", "d", "delete"),
		Filter:       b("/", "filter (esc clears)", "/"),
		Bitrate:      b("b", "bitrate", "b"),
		Help:         b("?", "help", "?"),
		Quit:         b("q", "quit", "q", "ctrl+c"),
		StopQuit:     b("Q", "stop playback and quit", "Q"),
		Refresh:      b("R", "reload folder", "R", "ctrl+r"),
	}
}

// Actions returns the action names that Rebind accepts: the KeyMap field
// names in snake_case ("page_up", "seek_back_long", "stop_quit", ...).
func Actions() []string {
	t := reflect.TypeFor[KeyMap]()
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		out = append(out, snake(t.Field(i).Name))
	}
	return out
}

// Rebind replaces the keys of one action. The help text shows the new keys.
// Key names are bubbletea's: "a", "Q", "ctrl+r", "shift+left", "space",
// "enter", "pgdown", ...
func (k *KeyMap) Rebind(action string, keys []string) error {
	if k == nil {
		return fmt.Errorf("ui: rebind %q: nil key map", action)
	}
	b := k.binding(action)
	if b == nil {
		return fmt.Errorf("ui: unknown action %q (known: %s)", action, strings.Join(Actions(), ", "))
	}
	clean := make([]string, 0, len(keys))
	for _, s := range keys {
		s = strings.TrimSpace(s)
		if s == "" {
			return fmt.Errorf("ui: rebind %q: empty key name", action)
		}
		if s == " " {
			s = "space"
		}
		clean = append(clean, s)
	}
	if len(clean) == 0 {
		return fmt.Errorf("ui: rebind %q: no keys given", action)
	}
	desc := b.Help().Desc
	b.SetKeys(clean...)
	b.SetHelp(strings.Join(clean, "/"), desc)
	return nil
}

// binding returns a pointer to the binding of a snake_case action name.
func (k *KeyMap) binding(action string) *key.Binding {
	v := reflect.ValueOf(k).Elem()
	t := v.Type()
	for i := range t.NumField() {
		if snake(t.Field(i).Name) == action {
			return v.Field(i).Addr().Interface().(*key.Binding)
		}
	}
	return nil
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// helpGroups is the layout of the help overlay: named groups of bindings.
func (k KeyMap) helpGroups() []helpGroup {
	return []helpGroup{
		{"Move", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}},
		{"Browse", []key.Binding{k.Open, k.Parent, k.Add, k.Remove, k.Tab, k.Filter, k.Refresh}},
		{"Play", []key.Binding{k.Toggle, k.SeekBack, k.SeekFwd, k.SeekBackLong, k.SeekFwdLong, k.Next, k.Prev}},
		{"Settings", []key.Binding{k.VolUp, k.VolDown, k.Shuffle, k.Repeat, k.Bitrate}},
		{"Leave", []key.Binding{k.Help, k.Quit, k.StopQuit}},
	}
}

type helpGroup struct {
	name     string
	bindings []key.Binding
}
