package ui

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap holds the rebindable key bindings of the UI, one field per action
// ([Actions] lists their names). [New] hands each component the bindings it
// acts on, in that component's own [KeyMap]; the help overlay and every key
// hint on screen are generated from those, so the keys and their help never
// disagree.
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
	// The queue and playlists (issue 13).
	PlayNext, MoveDown, MoveUp, Jump, Undo key.Binding
	Mute, SaveQueue, AddToPlaylist         key.Binding
	Rename, Delete, Push                   key.Binding
	Sleep                                  key.Binding // the sleep timer (issue 20)
	NowPlaying                             key.Binding // the now-playing panel with the cover (issue 23)
	Lyrics                                 key.Binding // the lyrics pane (issue 23)
}

// DefaultKeyMap returns pcplay's documented keys (README.md, "Keys"), with
// a few aliases.
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
		Remove:       b("d", "remove (queue, open playlist)", "d", "delete"),
		Filter:       b("/", "filter (esc clears)", "/"),
		Bitrate:      b("b", "bitrate", "b"),
		Help:         b("?", "help", "?"),
		Quit:         b("q", "quit", "q", "ctrl+c"),
		StopQuit:     b("Q", "stop playback and quit", "Q"),
		Refresh:      b("R", "reload folder", "R", "ctrl+r"),

		PlayNext:      b("E", "play next (after the playing track)", "E"),
		MoveDown:      b("J/shift+↓", "move the entry down", "J", "shift+down"),
		MoveUp:        b("K/shift+↑", "move the entry up", "K", "shift+up"),
		Jump:          b(".", "jump to the playing track", "."),
		Undo:          b("u", "undo the last queue change", "u"),
		Mute:          b("m", "mute / unmute", "m"),
		SaveQueue:     b("S", "save the queue as a playlist", "S"),
		AddToPlaylist: b("A", "add to a playlist", "A"),
		Rename:        b("e/F2", "rename the playlist", "e", "f2"),
		Delete:        b("D", "delete the playlist", "D"),
		Push:          b("P", "push a local playlist to pCloud", "P"),
		Sleep:         b("z", "sleep timer: 15/30/45/60/90 min/off", "z"),
		NowPlaying:    b("i", "now playing: cover, details, next", "i"),
		Lyrics:        b("L", "lyrics (synced: follow the music)", "L"),
	}
}

// Actions returns the action names that [KeyMap.Rebind] accepts: the [KeyMap] field
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

// newBinding makes a binding with its help text.
func newBinding(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// keyName is the first key of a binding, as key hints on screen name it.
func keyName(b key.Binding) string {
	if k := b.Keys(); len(k) > 0 {
		return k[0]
	}
	return "?"
}

// listKeyMap moves a list's cursor; the browser and the queue share it.
type listKeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

func newListKeys(k KeyMap) listKeyMap {
	return listKeyMap{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom}
}

func (k listKeyMap) bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// update moves l's cursor for a movement key (page rows a page) and
// reports whether k was one.
func (k listKeyMap) update(msg tea.KeyPressMsg, l *list, page int) bool {
	switch {
	case key.Matches(msg, k.Up):
		l.move(-1)
	case key.Matches(msg, k.Down):
		l.move(1)
	case key.Matches(msg, k.PageUp):
		l.move(-page)
	case key.Matches(msg, k.PageDown):
		l.move(page)
	case key.Matches(msg, k.Top):
		l.top()
	case key.Matches(msg, k.Bottom):
		l.bottom()
	default:
		return false
	}
	return true
}
