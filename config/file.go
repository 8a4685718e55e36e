package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/pcplay/pcplay/internal/defaults"
)

// fileOverrides says which settings the command line or environment already
// gave, so that the file does not override them. The file's values are still
// checked.
type fileOverrides struct {
	apiURL, region, output, bitrate, foreground, log, idleExit bool
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
	more int // mistakes past maxMistakes, counted only

	order map[string]int // a key's place in the file (its path joined by NUL)
}

// maxMistakes is how many of a file's mistakes are looked at closely (the
// first is said, with the count of the others). Finding a key's line costs
// the toml package a pass over the whole file, so a file of thousands of
// mistakes was quadratic (8,000 unknown [keys] entries took 35 s).
const maxMistakes = 5

// place is the rank of the key at path in the file, for going through a
// table in the file's order.
func (f *tomlFile) place(path ...string) int {
	if f.order == nil {
		keys := f.md.Keys()
		f.order = make(map[string]int, len(keys))
		for i, k := range keys {
			f.order[strings.Join(k, "\x00")] = i
		}
	}
	if i, ok := f.order[strings.Join(path, "\x00")]; ok {
		return i
	}
	return len(f.order)
}

// inOrder is the names of a table in the file's order; prefix is the
// table's path.
func (f *tomlFile) inOrder(table map[string]toml.Primitive, prefix ...string) []string {
	names := make([]string, 0, len(table))
	for n := range table {
		names = append(names, n)
	}
	rank := make(map[string]int, len(names))
	for _, n := range names {
		rank[n] = f.place(append(prefix[:len(prefix):len(prefix)], n)...)
	}
	sort.Slice(names, func(i, j int) bool {
		if rank[names[i]] != rank[names[j]] {
			return rank[names[i]] < rank[names[j]]
		}
		return names[i] < names[j]
	})
	return names
}

func (f *tomlFile) line(p toml.Primitive) int {
	var pe toml.ParseError
	if err := f.md.PrimitiveDecode(p, &probe{}); errors.As(err, &pe) {
		return pe.Position.Line
	}
	return 0
}

func (f *tomlFile) fail(p toml.Primitive, key, format string, args ...any) {
	if len(f.errs) >= maxMistakes {
		f.more++
		return
	}
	f.errs = append(f.errs, &FileError{Path: f.path, Line: f.line(p), Key: key, Msg: fmt.Sprintf(format, args...)})
}

// applyFile checks the config file data and applies its values to s, except
// those in over. It returns a [*UsageError] wrapping the [*FileError] of the
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
	for _, key := range a.inOrder(raw) {
		p := raw[key]
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

// firstError is a [*UsageError] for the file's first mistake (by line),
// counting the others; nil when there is none.
func (f *tomlFile) firstError() error {
	if len(f.errs) == 0 {
		return nil
	}
	sort.SliceStable(f.errs, func(i, j int) bool { return f.errs[i].Line < f.errs[j].Line })
	fe := f.errs[0]
	msg := fe.Error()
	if n := len(f.errs) - 1 + f.more; n > 0 {
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
		if b, ok := a.boolValue(key, p, v); ok {
			a.s.AutoBitrate = b
		}
	case "resume_playing":
		if b, ok := a.boolValue(key, p, v); ok {
			a.s.ResumePlaying = b
		}
	case "region", "output", "api_url", "start_folder", "log":
		a.place(key, p, v)
	case "foreground", "idle_exit":
		a.engine(key, p, v)
	case "client_id":
		a.clientID(a.s, p, v)
	case "library_folders", "library_video":
		a.library(key, p, v)
	case "listenbrainz_url", "lastfm_api_key", "lastfm_secret":
		a.scrobble(key, p, v)
	case "mpd_listen", "mpd_password":
		a.mpd(key, p, v)
	case "art":
		a.artSetting(p, v)
	case "lyrics_online":
		a.lyrics(key, p, v)
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
			a.fail(p, key, `output = %s: must be "speaker", "null", "FILE.wav" or "pipe:PATH"`, tomlValue(v))
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

// boolValue is v as a boolean; anything else is reported as the key's
// mistake (ok false).
func (a *fileApplier) boolValue(key string, p toml.Primitive, v any) (b, ok bool) {
	b, ok = v.(bool)
	if !ok {
		a.fail(p, key, "%s = %s: must be true or false", key, tomlValue(v))
	}
	return b, ok
}

// engine applies foreground and idle_exit.
func (a *fileApplier) engine(key string, p toml.Primitive, v any) {
	switch key {
	case "foreground":
		if b, ok := a.boolValue(key, p, v); ok && !a.over.foreground {
			a.s.Foreground = b
		}
	case "idle_exit":
		d, ok := durationValue(v)
		switch {
		case !ok || idleExitRange(d) != "":
			a.fail(p, key, "idle_exit = %s: %s", tomlValue(v), idleExitRange(-1))
		case !a.over.idleExit:
			a.s.IdleExit = d
		}
	}
}
