package config

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

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
}

// IsKnownAction reports whether name is one of KnownActions.
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
	{"output", `"` + DefaultOutput + `"`, `"speaker", "null" or "FILE.wav"`},
	{"auto_bitrate", "false", "lower the bitrate on a slow link by itself"},
	{"speaker_buffer", `"` + defaults.SpeakerBuffer.String() + `"`, "audio buffer, " + defaults.MinSpeakerBuffer.String() + ".." + defaults.MaxSpeakerBuffer.String()},
	{"start_folder", `"` + DefaultStartFolder + `"`, "pCloud folder to open first"},
	{"foreground", "false", "no background engine (as --foreground)"},
	{"idle_exit", `"` + shortDuration(DefaultIdleExit) + `"`, `engine exits after this long idle; "0" never`},
	{"api_url", `""`, "API base URL; empty: by region"},
	{"log", `""`, "debug log file; empty: none"},
	{"client_id", `""`, "OAuth Client ID of your pCloud app (My Apps)"},
	{"library_folders", "[]", `music library folders, e.g. ["/Music"]; none: all`},
	{"library_video", "false", "library: index the sound of video files too"},
}

// fileOverrides says which settings the command line or environment already
// gave, so that the file does not override them. The file's values are still
// checked.
type fileOverrides struct {
	apiURL, region, output, bitrate, foreground, log bool
}

// fileSet reports what the file set.
type fileSet struct {
	region bool
}

// probe is decoded into to learn a key's line: the toml package reports the
// position of the key it was decoding when an Unmarshaler fails.
type probe struct{}

var errProbe = errors.New("probe")

func (*probe) UnmarshalTOML(any) error { return errProbe }

// tomlFile is a decoded config file and what it takes to point at its lines.
type tomlFile struct {
	path string
	md   toml.MetaData
	errs []*FileError
}

func (f *tomlFile) line(p toml.Primitive) int {
	var pe toml.ParseError
	if err := f.md.PrimitiveDecode(p, &probe{}); errors.As(err, &pe) {
		return pe.Position.Line
	}
	return 0
}

func (f *tomlFile) fail(p toml.Primitive, key, format string, args ...any) {
	f.errs = append(f.errs, &FileError{Path: f.path, Line: f.line(p), Key: key, Msg: fmt.Sprintf(format, args...)})
}

// applyFile checks the config file data and applies its values to s, except
// those in over. It returns a *UsageError wrapping the *FileError of the
// first mistake in the file (by line).
func applyFile(s *Settings, path string, data []byte, over fileOverrides, getenv func(string) string) (fileSet, error) {
	var raw map[string]toml.Primitive
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		fe := &FileError{Path: path, Msg: "not valid TOML: " + err.Error()}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			fe.Line = pe.Position.Line
			fe.Key = pe.LastKey
			fe.Msg = "not valid TOML: " + pe.Message
		}
		return fileSet{}, &UsageError{Msg: fe.Error(), Err: fe}
	}
	a := &fileApplier{tomlFile: &tomlFile{path: path, md: md}, s: s, over: over, getenv: getenv}
	for key, p := range raw {
		var v any
		if err := md.PrimitiveDecode(p, &v); err != nil {
			a.fail(p, key, "%s: %v", key, err)
			continue
		}
		a.apply(key, p, v)
	}
	return a.set, a.firstError()
}

// fileApplier applies a decoded config file's keys to s.
type fileApplier struct {
	*tomlFile
	s      *Settings
	over   fileOverrides
	getenv func(string) string
	set    fileSet
}

// firstError is a *UsageError for the file's first mistake (by line),
// counting the others; nil when there is none.
func (f *tomlFile) firstError() error {
	if len(f.errs) == 0 {
		return nil
	}
	sort.SliceStable(f.errs, func(i, j int) bool { return f.errs[i].Line < f.errs[j].Line })
	fe := f.errs[0]
	msg := fe.Error()
	if n := len(f.errs) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more %s)", n, plural(n, "mistake", "mistakes"))
	}
	return &UsageError{Msg: msg, Err: fe}
}

// apply checks and applies one key: the playback keys, the places (where
// things are), the engine's keys, and [keys].
func (a *fileApplier) apply(key string, p toml.Primitive, v any) {
	switch key {
	case "bitrate", "volume", "speaker_buffer":
		a.playback(key, p, v)
	case "auto_bitrate":
		b, ok := v.(bool)
		if !ok {
			a.fail(p, key, "auto_bitrate = %s: must be true or false", tomlValue(v))
			return
		}
		a.s.AutoBitrate = b
	case "region", "output", "api_url", "start_folder", "log":
		a.place(key, p, v)
	case "foreground", "idle_exit":
		a.engine(key, p, v)
	case "client_id":
		a.clientID(a.s, p, v)
	case "library_folders", "library_video":
		a.library(key, p, v)
	case "keys":
		if _, ok := v.(map[string]any); !ok {
			a.fail(p, key, `keys must be a table of action = ["key", ...]`)
			return
		}
		a.keys(a.s, p)
	default:
		a.fail(p, key, "unknown key %q%s", clip(key), suggest(key))
	}
}

// playback applies bitrate, volume and speaker_buffer.
func (a *fileApplier) playback(key string, p toml.Primitive, v any) {
	switch key {
	case "bitrate":
		n, ok := v.(int64)
		switch {
		case !ok:
			a.fail(p, key, "bitrate = %s: must be a whole number between %d and %d kbit/s", tomlValue(v), defaults.MinBitrate, defaults.MaxBitrate)
		case bitrateRange(n) != "":
			a.fail(p, key, "bitrate = %d: %s", n, bitrateRange(n))
		case !a.over.bitrate:
			a.s.Bitrate = int(n)
		}
	case "volume":
		n, ok := v.(int64)
		switch {
		case !ok || n < defaults.MinVolume || n > defaults.MaxVolume:
			a.fail(p, key, "volume = %s: must be a whole number between %d and %d", tomlValue(v), defaults.MinVolume, defaults.MaxVolume)
		default:
			a.s.Volume = int(n)
		}
	case "speaker_buffer":
		d, ok := durationValue(v)
		switch {
		case !ok || d < defaults.MinSpeakerBuffer || d > defaults.MaxSpeakerBuffer:
			a.fail(p, key, `speaker_buffer = %s: must be a duration between %q and %q`, tomlValue(v), defaults.MinSpeakerBuffer.String(), defaults.MaxSpeakerBuffer.String())
		default:
			a.s.SpeakerBuffer = d
		}
	}
}

// place applies region, output, api_url, start_folder and log.
func (a *fileApplier) place(key string, p toml.Primitive, v any) {
	switch key {
	case "region":
		str, ok := v.(string)
		r, msg := checkRegion(str)
		switch {
		case !ok || msg != "":
			a.fail(p, key, `region = %s: must be "us", "eu" or "auto"`, tomlValue(v))
		case !a.over.region:
			a.s.Region, a.set.region = r, true
		}
	case "output":
		str, ok := v.(string)
		o, msg := checkOutput(str, a.getenv)
		switch {
		case !ok:
			a.fail(p, key, `output = %s: must be "speaker", "null" or "FILE.wav"`, tomlValue(v))
		case msg != "":
			a.fail(p, key, "output = %s: %s", tomlValue(v), msg)
		case !a.over.output:
			a.s.Output = o
		}
	case "api_url":
		str, ok := v.(string)
		switch {
		case !ok:
			a.fail(p, key, "api_url = %s: must be a string such as \"https://api.pcloud.com\"", tomlValue(v))
		case str == "":
			if !a.over.apiURL {
				a.s.APIURL = ""
			}
		default:
			u, msg := checkAPIURL(str)
			switch {
			case msg != "":
				a.fail(p, key, "api_url = %q: %s", shown(str), msg)
			case !a.over.apiURL:
				a.s.APIURL = u
			}
		}
	case "start_folder":
		str, ok := v.(string)
		switch {
		case !ok || !strings.HasPrefix(str, "/") || strings.ContainsRune(str, 0):
			a.fail(p, key, `start_folder = %s: must be a pCloud path starting with "/"`, tomlValue(v))
		default:
			a.s.StartFolder = str
		}
	case "log":
		str, ok := v.(string)
		switch {
		case !ok:
			a.fail(p, key, "log = %s: must be a file name", tomlValue(v))
		case !a.over.log:
			a.s.LogPath = expandHome(str, a.getenv)
		}
	}
}

// engine applies foreground and idle_exit.
func (a *fileApplier) engine(key string, p toml.Primitive, v any) {
	switch key {
	case "foreground":
		b, ok := v.(bool)
		switch {
		case !ok:
			a.fail(p, key, "foreground = %s: must be true or false", tomlValue(v))
		case !a.over.foreground:
			a.s.Foreground = b
		}
	case "idle_exit":
		d, ok := durationValue(v)
		switch {
		case !ok || d < 0 || (d > 0 && d < MinIdleExit) || d > MaxIdleExit:
			a.fail(p, key, `idle_exit = %s: must be a duration between "1s" and "168h", or "0" for never`, tomlValue(v))
		default:
			a.s.IdleExit = d
		}
	}
}

// keys reads the [keys] table: action = ["key", ...] (or action = "key").
func (f *tomlFile) keys(s *Settings, p toml.Primitive) {
	var table map[string]toml.Primitive
	if err := f.md.PrimitiveDecode(p, &table); err != nil {
		f.fail(p, "keys", `keys must be a table of action = ["key", ...]`)
		return
	}
	names := make([]string, 0, len(table))
	for a := range table {
		names = append(names, a)
	}
	sort.Slice(names, func(i, j int) bool { return f.line(table[names[i]]) < f.line(table[names[j]]) })
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

// checkKeyName accepts key names as bubbletea writes them: "a", "G", "?",
// "space", "enter", "ctrl+r", "shift+left", "pgdown".
func checkKeyName(k string) string {
	switch {
	case k == "":
		return "is empty"
	case len(k) > 32:
		return "is too long"
	case k != "+" && strings.HasSuffix(k, "+"):
		return "has nothing after the last +"
	}
	for _, r := range k {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return `contains a space (write "space" for the space bar)`
		}
	}
	return ""
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

// suggest proposes the nearest known key for a misspelt one.
func suggest(key string) string {
	names := make([]string, 0, len(fileKeys)+1)
	for _, k := range fileKeys {
		names = append(names, k.key)
	}
	return suggestFrom(key, append(names, "keys"))
}

func suggestFrom(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 99
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// shortDuration writes 10m0s as 10m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if d == 0 {
		return "0"
	}
	return s
}
