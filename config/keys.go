package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/pcplay/pcplay/internal/defaults"
)

// KnownActions are the action names the [keys] table of the config file may
// rebind. They are the UI's KeyMap fields in snake_case and must stay in step
// with ui.Actions().
var KnownActions = []string{
	"up", "down", "page_up", "page_down", "top", "bottom",
	"open", "parent", "add", "tab",
	"toggle", "seek_back", "seek_fwd", "seek_back_long", "seek_fwd_long",
	"next", "prev", "vol_up", "vol_down", "shuffle", "repeat",
	"remove", "filter", "bitrate", "help", "quit", "stop_quit", "refresh",
	"play_next", "move_down", "move_up", "jump", "undo", "mute", "save_queue",
	"add_to_playlist", "rename", "delete", "push",
	"sleep",
	"now_playing",
	"lyrics",
}

// IsKnownAction reports whether name is one of [KnownActions].
func IsKnownAction(name string) bool {
	for _, a := range KnownActions {
		if a == name {
			return true
		}
	}
	return false
}

// fileKeys are the config file's keys, with their defaults as --help shows
// them.
var fileKeys = []struct{ key, def, help string }{
	{"bitrate", strconv.Itoa(defaults.Bitrate), fmt.Sprintf("stream bitrate in kbit/s, %d..%d", defaults.MinBitrate, defaults.MaxBitrate)},
	{"region", `"` + DefaultRegion + `"`, `"us", "eu" or "auto"`},
	{"volume", strconv.Itoa(defaults.Volume), fmt.Sprintf("start volume, %d..%d", defaults.MinVolume, defaults.MaxVolume)},
	{"output", `"` + DefaultOutput + `"`, `"speaker", "null", "FILE.wav" or "pipe:PATH"`},
	{"auto_bitrate", "false", "lower the bitrate on a slow link by itself"},
	{"speaker_buffer", `"` + defaults.SpeakerBuffer.String() + `"`, "audio buffer, " + defaults.MinSpeakerBuffer.String() + ".." + defaults.MaxSpeakerBuffer.String()},
	{"start_folder", `"` + DefaultStartFolder + `"`, "pCloud folder to open first"},
	{"foreground", "false", "no background engine (as --foreground)"},
	{"idle_exit", `"` + shortDuration(DefaultIdleExit) + `"`, `engine exits after this long idle; "0" never`},
	{"resume_playing", "false", "a session left playing starts playing again"},
	{"art", `"auto"`, "i panel cover: auto kitty sixel iterm2 blocks off"},
	{"api_url", `""`, "API base URL; empty: by region"},
	{"log", `""`, "debug log file; empty: none"},
	{"client_id", `""`, "OAuth Client ID of your pCloud app (My Apps)"},
	{"library_folders", "[]", `music library folders, e.g. ["/Music"]; none: all`},
	{"library_video", "false", "library: index the sound of video files too"},
	{"listenbrainz_url", `""`, "ListenBrainz API root; empty: the public one"},
	{"lastfm_api_key", `""`, "Last.fm API key, for scrobbling"},
	{"lastfm_secret", `""`, "Last.fm API shared secret"},
	{"mpd_listen", `"` + DefaultMPDListen + `"`, `MPD server: host:port, "unix:PATH" or "off"`},
	{"mpd_password", `""`, "MPD server's password; needed beyond localhost"},
	{"lyrics_online", "false", "lrclib.net lyrics (sends artist and title there)"},
}

// keys reads the [keys] table: action = ["key", ...] (or action = "key").
func (f *tomlFile) keys(s *Settings, p toml.Primitive) {
	var table map[string]toml.Primitive
	if err := f.md.PrimitiveDecode(p, &table); err != nil {
		f.fail(p, "keys", `keys must be a table of action = ["key", ...]`)
		return
	}
	names := f.inOrder(table, "keys")
	owner := map[string]string{} // key → action, to refuse one key for two actions
	for _, action := range names {
		ap := table[action]
		full := "keys." + action
		if !IsKnownAction(action) {
			f.fail(ap, full, "unknown action %q in [keys]%s; actions: %s", clip(action), suggestFrom(action, KnownActions), strings.Join(KnownActions, ", "))
			continue
		}
		var v any
		if err := f.md.PrimitiveDecode(ap, &v); err != nil {
			f.fail(ap, full, "%s: %v", action, err)
			continue
		}
		list, ok := keyList(v)
		if !ok || len(list) == 0 {
			f.fail(ap, full, `%s = %s: must be a list of one or more keys such as ["n", "ctrl+n"]`, action, tomlValue(v))
			continue
		}
		for _, k := range list {
			if msg := checkKeyName(k); msg != "" {
				f.fail(ap, full, "%s: key %q %s", action, clip(k), msg)
				ok = false
				break
			}
			if other, dup := owner[k]; dup && other != action {
				f.fail(ap, full, "%s: key %q is already bound to %s", action, k, other)
				ok = false
				break
			}
			owner[k] = action
		}
		if !ok {
			continue
		}
		if s.Keys == nil {
			s.Keys = map[string][]string{}
		}
		s.Keys[action] = list
	}
}

// keyList is a [keys] value as a list of key names: one string or an array
// of strings; false for anything else.
func keyList(v any) ([]string, bool) {
	var list []string
	ok := true
	switch v := v.(type) {
	case string:
		list = []string{v}
	case []any:
		for _, e := range v {
			str, isStr := e.(string)
			if !isStr {
				ok = false
				break
			}
			list = append(list, str)
		}
	default:
		ok = false
	}
	return list, ok
}

// checkKeyName accepts key names as bubbletea writes them: "a", "G", "?",
// "space", "enter", "ctrl+r", "shift+left", "pgdown".
func checkKeyName(k string) string {
	switch {
	case k == "":
		return "is empty"
	case len(k) > 48:
		return "is too long"
	case k != "+" && strings.HasSuffix(k, "+") && !strings.HasSuffix(k, "++"):
		return "has nothing after the last +"
	}
	for _, r := range k {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return `contains a space (write "space" for the space bar)`
		}
	}
	parts := strings.Split(k, "+")
	if k == "+" || strings.HasSuffix(k, "++") {
		parts = append(parts[:len(parts)-2], "+") // the plus key itself
	}
	base, mods := parts[len(parts)-1], parts[:len(parts)-1]
	last := -1
	for _, m := range mods {
		i := slices.Index(keyModifiers, m)
		switch {
		case i < 0:
			return fmt.Sprintf("has %q where a modifier goes (%s)", clip(m), strings.Join(keyModifiers, ", "))
		case i <= last:
			return fmt.Sprintf("has its modifiers out of order or twice: write them in the order %s", strings.Join(keyModifiers, "+"))
		}
		last = i
	}
	if utf8.RuneCountInString(base) == 1 {
		r, _ := utf8.DecodeRuneInString(base)
		if unicode.IsPrint(r) {
			return ""
		}
	}
	if slices.Contains(namedKeys, base) || isFunctionKey(base) {
		return ""
	}
	return "is not a key: after the modifiers comes one character or a key name such as enter, esc, space, tab, up, pgdown, home, f5"
}

// keyModifiers are the modifiers a key name may start with, in the order
// the terminal library writes them (ctrl+alt+shift+x, never alt+ctrl+x).
var keyModifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// namedKeys are the keys with a name (besides f1..f63); the ui package's
// tests tie them to the terminal library's names.
var namedKeys = []string{
	"enter", "tab", "backspace", "esc", "space", "up", "down", "left", "right",
	"begin", "find", "insert", "delete", "select", "pgup", "pgdown", "home", "end",
	"capslock", "scrolllock", "numlock", "printscreen", "pause",
}

// NamedKeys lists the key names [keys] accepts besides one character and
// f1..f63.
func NamedKeys() []string { return slices.Clone(namedKeys) }

func isFunctionKey(s string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(s, "f"))
	return strings.HasPrefix(s, "f") && err == nil && n >= 1 && n <= 63 && s == "f"+strconv.Itoa(n)
}

// durationValue accepts "100ms", "2s", "10m", and the bare number 0.
func durationValue(v any) (time.Duration, bool) {
	switch v := v.(type) {
	case string:
		if v == "0" {
			return 0, true
		}
		d, err := time.ParseDuration(v)
		return d, err == nil
	case int64:
		return 0, v == 0
	}
	return 0, false
}

// tomlValue writes v as it would appear in the file, clipped.
func tomlValue(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(clip(v))
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		if len(v) == 0 {
			return "[]"
		}
		return "[…]"
	case map[string]any:
		return "{…}"
	}
	return clip(fmt.Sprint(v))
}
