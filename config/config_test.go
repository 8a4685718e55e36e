package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testEnv is an environment for [Load]: XDG dirs under a temporary directory,
// plus vars.
type testEnv struct {
	dir  string
	vars map[string]string
}

func newTestEnv(t *testing.T, vars ...string) *testEnv {
	t.Helper()
	dir := t.TempDir()
	e := &testEnv{dir: dir, vars: map[string]string{
		"HOME":            filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
	}}
	for i := 0; i+1 < len(vars); i += 2 {
		e.vars[vars[i]] = vars[i+1]
	}
	return e
}

func (e *testEnv) getenv(k string) string { return e.vars[k] }

func (e *testEnv) configPath() string {
	return filepath.Join(e.vars["XDG_CONFIG_HOME"], "pcplay", "config.toml")
}

func (e *testEnv) writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := e.configPath()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *testEnv) load(t *testing.T, args ...string) (Settings, []string, error) {
	t.Helper()
	return Load(args, e.getenv)
}

func (e *testEnv) mustLoad(t *testing.T, args ...string) Settings {
	t.Helper()
	s, _, err := e.load(t, args...)
	if err != nil {
		t.Fatalf("Load(%q): %v", args, err)
	}
	return s
}

func TestLoadDefaults(t *testing.T) {
	e := newTestEnv(t)
	s, rest, err := e.load(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 0 {
		t.Errorf("rest = %q, want none", rest)
	}
	want := Settings{
		Region: "auto", Bitrate: 192, Volume: 70, Output: "speaker",
		SpeakerBuffer: 500 * time.Millisecond, StartFolder: "/", IdleExit: 10 * time.Minute,
		ConfigPath: e.configPath(),
	}
	if s.APIURL != want.APIURL || s.Region != want.Region || s.Bitrate != want.Bitrate ||
		s.Volume != want.Volume || s.Output != want.Output || s.SpeakerBuffer != want.SpeakerBuffer ||
		s.StartFolder != want.StartFolder || s.IdleExit != want.IdleExit || s.ConfigPath != want.ConfigPath ||
		s.Foreground || s.Demo || s.LogPath != "" || s.Keys != nil || s.Token != "" || s.TokenSource != "" ||
		len(s.Warnings) != 0 {
		t.Errorf("defaults:\n got %+v\nwant %+v", s, want)
	}
}

func TestLoadHomeFallback(t *testing.T) {
	e := newTestEnv(t)
	delete(e.vars, "XDG_CONFIG_HOME")
	s := e.mustLoad(t)
	if want := filepath.Join(e.vars["HOME"], ".config", "pcplay", "config.toml"); s.ConfigPath != want {
		t.Errorf("ConfigPath = %s, want %s", s.ConfigPath, want)
	}
}

func TestPrecedence(t *testing.T) {
	type layer struct{ flag, env, file string }
	cases := []struct {
		name    string
		flag    string // flag name
		env     string // variable
		fileKey string
		vals    layer // a value for each layer, all different
		def     string
		get     func(Settings) string
	}{
		{"api_url", "--api-url", EnvAPIURL, "api_url",
			layer{"http://127.0.0.1:8001", "https://env.example.com", "https://file.example.com"},
			"", func(s Settings) string { return s.APIURL }},
		{"region", "--region", EnvRegion, "region",
			layer{"eu", "us", "auto"}, "auto", func(s Settings) string { return s.Region }},
		{"bitrate", "--bitrate", EnvBitrate, "bitrate",
			layer{"320", "128", "64"}, "192", func(s Settings) string { return itoa(s.Bitrate) }},
		{"output", "--output", EnvOutput, "output",
			layer{"null", "OUT.wav", "speaker"}, "speaker", func(s Settings) string { return s.Output }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fileLine := c.fileKey + ` = "` + c.vals.file + `"`
			if c.fileKey == "bitrate" {
				fileLine = c.fileKey + " = " + c.vals.file
			}
			steps := []struct {
				name          string
				flag, env     bool
				file          bool
				want          string
				wantFromLayer string
			}{
				{"default", false, false, false, c.def, ""},
				{"file", false, false, true, c.vals.file, ""},
				{"env over file", false, true, true, c.vals.env, ""},
				{"env alone", false, true, false, c.vals.env, ""},
				{"flag over env and file", true, true, true, c.vals.flag, ""},
				{"flag over file", true, false, true, c.vals.flag, ""},
			}
			for _, st := range steps {
				e := newTestEnv(t)
				if st.file {
					e.writeConfig(t, "# pcplay\n"+fileLine+"\n")
				}
				if st.env {
					e.vars[c.env] = c.vals.env
				}
				var args []string
				if st.flag {
					args = []string{c.flag, c.vals.flag}
				}
				s := e.mustLoad(t, args...)
				if got := c.get(s); got != st.want {
					t.Errorf("%s: got %q, want %q", st.name, got, st.want)
				}
			}
		})
	}
}

func itoa(n int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + func() string {
		b := []byte{}
		neg := n < 0
		if neg {
			n = -n
		}
		for {
			b = append([]byte{byte('0' + n%10)}, b...)
			n /= 10
			if n == 0 {
				break
			}
		}
		if neg {
			b = append([]byte{'-'}, b...)
		}
		return string(b)
	}())
}

func TestFileValuesApplied(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, `
bitrate = 256
region = "EU"
volume = 35
output = "~/out.wav"
speaker_buffer = "250ms"
start_folder = "/Music/Jazz"
foreground = true
idle_exit = "1h"
api_url = "https://eapi.pcloud.com/"
log = "/tmp/pcplay.log"

[keys]
next = ["n", "ctrl+n"]
prev = "p"
`)
	if err := os.MkdirAll(e.vars["HOME"], 0o700); err != nil {
		t.Fatal(err)
	}
	s := e.mustLoad(t)
	if s.Bitrate != 256 || s.Region != "eu" || s.Volume != 35 ||
		s.Output != filepath.Join(e.vars["HOME"], "out.wav") || s.SpeakerBuffer != 250*time.Millisecond ||
		s.StartFolder != "/Music/Jazz" || !s.Foreground || s.IdleExit != time.Hour ||
		s.APIURL != "https://eapi.pcloud.com" || s.LogPath != "/tmp/pcplay.log" {
		t.Errorf("settings from file: %+v", s)
	}
	if got := strings.Join(s.Keys["next"], ","); got != "n,ctrl+n" {
		t.Errorf("keys.next = %q", got)
	}
	if got := strings.Join(s.Keys["prev"], ","); got != "p" {
		t.Errorf("keys.prev = %q", got)
	}
	if len(s.Keys) != 2 {
		t.Errorf("keys = %v, want 2 actions", s.Keys)
	}

	// Flags beat the file for foreground and log too.
	s = e.mustLoad(t, "--foreground=false", "--log", "/tmp/other.log")
	if s.Foreground || s.LogPath != "/tmp/other.log" {
		t.Errorf("flags over file: foreground %v, log %q", s.Foreground, s.LogPath)
	}
	// idle_exit "0" is never.
	e.writeConfig(t, "idle_exit = \"0\"\n")
	if s := e.mustLoad(t); s.IdleExit != 0 {
		t.Errorf("idle_exit 0: got %v", s.IdleExit)
	}
}

// PCPLAY_IDLE_EXIT (set to 0 by the service's unit) wins over the file's
// idle_exit, which is still checked.
func TestIdleExitEnv(t *testing.T) {
	e := newTestEnv(t, EnvIdleExit, "0")
	e.writeConfig(t, "idle_exit = \"1h\"\n")
	if s := e.mustLoad(t); s.IdleExit != 0 {
		t.Errorf("%s=0 over idle_exit 1h: got %v", EnvIdleExit, s.IdleExit)
	}
	e.vars[EnvIdleExit] = " 30m "
	if s := e.mustLoad(t); s.IdleExit != 30*time.Minute {
		t.Errorf("%s=30m: got %v", EnvIdleExit, s.IdleExit)
	}
	e.writeConfig(t, "idle_exit = \"1ms\"\n")
	if _, _, err := e.load(t); err == nil || !strings.Contains(err.Error(), `idle_exit = "1ms": must be a duration between "1s" and "168h", or "0" for never`) {
		t.Errorf("a bad idle_exit under %s: %v", EnvIdleExit, err)
	}
	e.writeConfig(t, "")
	for _, bad := range []string{"5ms", "soon", "-1m", "200h"} {
		e.vars[EnvIdleExit] = bad
		_, _, err := e.load(t)
		want := EnvIdleExit + "=" + bad + `: must be a duration between "1s" and "168h", or "0" for never`
		if err == nil || err.Error() != want {
			t.Errorf("%s=%s: %v, want %q", EnvIdleExit, bad, err, want)
		}
	}
}

func TestBadValues(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"bitrate high", []string{"--bitrate", "500"}, nil, "--bitrate 500: must be between 16 and 320 kbit/s"},
		{"bitrate low", []string{"--bitrate=8"}, nil, "--bitrate 8: must be between 16 and 320 kbit/s"},
		{"bitrate word", []string{"--bitrate", "loud"}, nil, "--bitrate loud: must be a whole number between 16 and 320 kbit/s"},
		{"region", []string{"--region", "mars"}, nil, "--region mars: must be us, eu or auto"},
		{"api-url http", []string{"--api-url", "http://example.com"}, nil,
			"--api-url http://example.com: plain http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https"},
		{"api-url scheme", []string{"--api-url", "ftp://example.com"}, nil,
			"--api-url ftp://example.com: must be an https:// URL such as https://api.pcloud.com"},
		{"api-url no host", []string{"--api-url", "api.pcloud.com"}, nil,
			"--api-url api.pcloud.com: must be an https:// URL such as https://api.pcloud.com"},
		{"api-url query hides secrets", []string{"--api-url", "https://api.pcloud.com/?auth=SECRET"}, nil,
			"--api-url https://api.pcloud.com/?…: must not have a query string or fragment"},
		{"api-url userinfo hides secrets", []string{"--api-url", "https://me:SECRET@api.pcloud.com"}, nil,
			"--api-url https://api.pcloud.com: must not contain a user name or password"},
		{"output mp3", []string{"--output", "foo.mp3"}, nil, "--output foo.mp3: must be speaker, null, a FILE.wav or pipe:PATH"},
		{"output empty", []string{"--output="}, nil, `--output "": must be speaker, null, a FILE.wav or pipe:PATH`},
		{"output bare ext", []string{"--output", ".wav"}, nil, "--output .wav: must be speaker, null, a FILE.wav or pipe:PATH"},
		{"output dir missing", []string{"--output", "/no/such/dir/x.wav"}, nil,
			"--output /no/such/dir/x.wav: directory /no/such/dir does not exist (must be speaker, null, a FILE.wav or pipe:PATH)"},
		{"output pipe empty", []string{"--output", "pipe:"}, nil, "--output pipe:: pipe: needs the path of a FIFO, such as pipe:/tmp/snapfifo"},
		{"output pipe dir missing", []string{"--output", "pipe:/no/such/dir/fifo"}, nil,
			"--output pipe:/no/such/dir/fifo: directory /no/such/dir does not exist (must be speaker, null, a FILE.wav or pipe:PATH)"},
		{"env bitrate", nil, []string{EnvBitrate, "500"}, "PCPLAY_BITRATE=500: must be between 16 and 320 kbit/s"},
		{"env region", nil, []string{EnvRegion, "mars"}, "PCPLAY_REGION=mars: must be us, eu or auto"},
		{"env api url", nil, []string{EnvAPIURL, "http://10.0.0.1"}, "PCPLAY_API_URL=http://10.0.0.1: plain http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https"},
		{"env output", nil, []string{EnvOutput, "x.ogg"}, "PCPLAY_OUTPUT=x.ogg: must be speaker, null, a FILE.wav or pipe:PATH"},
		{"env token", nil, []string{EnvToken, "has space inside"}, "PCLOUD_TOKEN does not look like a pCloud token (it is empty or contains spaces or URL characters)"},
		{"unknown flag", []string{"--bitrat", "5"}, nil, "unknown flag --bitrat; run pcplay --help to see the flags"},
		{"flag without value", []string{"--bitrate"}, nil, "--bitrate needs a value (--bitrate N)"},
		{"bad bool", []string{"--foreground=maybe"}, nil, "--foreground=maybe: must be true or false"},
		{"empty config", []string{"--config="}, nil, "--config needs a file name"},
		// A good flag does not hide a bad environment value for another setting.
		{"flag ok env bad", []string{"--bitrate", "128"}, []string{EnvRegion, "mars"}, "PCPLAY_REGION=mars: must be us, eu or auto"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t, c.env...)
			_, _, err := e.load(t, c.args...)
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %T %v, want *UsageError", err, err)
			}
			if err.Error() != c.want {
				t.Errorf("message:\n got %q\nwant %q", err.Error(), c.want)
			}
			if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "has space") {
				t.Errorf("message leaks a secret: %q", err.Error())
			}
			if strings.Count(err.Error(), "\n") != 0 {
				t.Errorf("message is not one line: %q", err.Error())
			}
		})
	}
}

func TestGoodValuesAccepted(t *testing.T) {
	for _, args := range [][]string{
		{"--api-url", "http://127.0.0.1:9000"},
		{"--api-url", "http://[::1]:9000/"},
		{"--api-url", "http://localhost:9000"},
		{"--api-url", "http://127.8.9.10"},
		{"--api-url", "https://api.pcloud.com"},
		{"--bitrate", "16"}, {"--bitrate", "320"},
		{"--region", "US"}, {"--region", "auto"},
		{"--output", "null"}, {"--output", "speaker"}, {"--output", "x.WAV"}, {"--output", "pipe:/tmp/snapfifo"},
		{"-foreground"}, {"--demo"},
		{"--api-url="}, // empty: by region
	} {
		e := newTestEnv(t)
		if _, _, err := e.load(t, args...); err != nil {
			t.Errorf("Load(%q): %v", args, err)
		}
	}
}

func TestOutputDirRelativeToWorkingDir(t *testing.T) {
	e := newTestEnv(t)
	d := t.TempDir()
	t.Chdir(d)
	if err := os.Mkdir("sub", 0o700); err != nil {
		t.Fatal(err)
	}
	s := e.mustLoad(t, "--output", "sub/a.wav")
	if s.Output != "sub/a.wav" {
		t.Errorf("Output = %q", s.Output)
	}
}

// pipe:PATH from the flag, the environment and the file, ~/ expanded; a
// missing FIFO is made when the output opens (player.NewPipe).
func TestOutputPipe(t *testing.T) {
	e := newTestEnv(t)
	if s := e.mustLoad(t, "--output", "pipe:/tmp/snapfifo"); s.Output != "pipe:/tmp/snapfifo" {
		t.Errorf("--output pipe: Output = %q", s.Output)
	}
	e = newTestEnv(t, EnvOutput, "pipe:/tmp/f")
	if s := e.mustLoad(t); s.Output != "pipe:/tmp/f" {
		t.Errorf("PCPLAY_OUTPUT pipe: Output = %q", s.Output)
	}
	e = newTestEnv(t)
	if err := os.MkdirAll(e.vars["HOME"], 0o700); err != nil {
		t.Fatal(err)
	}
	e.writeConfig(t, `output = "pipe:~/snapfifo"`+"\n")
	if s := e.mustLoad(t); s.Output != "pipe:"+filepath.Join(e.vars["HOME"], "snapfifo") {
		t.Errorf("output = pipe:~/snapfifo: Output = %q", s.Output)
	}
}

func TestFileErrors(t *testing.T) {
	cases := []struct {
		name, body string
		line       int
		key        string
		msg        string
	}{
		{"bitrate", "# comment\n\nvolume = 50\n\n\n\nbitrate = 500\n", 7, "bitrate", "bitrate = 500: must be between 16 and 320 kbit/s"},
		{"bitrate string", "bitrate = \"high\"\n", 1, "bitrate", "bitrate = \"high\": must be a whole number between 16 and 320 kbit/s"},
		{"unknown key", "volume = 50\n\nbitrat = 128\n", 3, "bitrat", "unknown key \"bitrat\" (did you mean \"bitrate\"?)"},
		{"unknown key far", "zzzzzzzzz = 1\n", 1, "zzzzzzzzz", "unknown key \"zzzzzzzzz\""},
		{"region", "\nregion = \"mars\"\n", 2, "region", `region = "mars": must be "us", "eu" or "auto"`},
		{"volume", "volume = 101\n", 1, "volume", "volume = 101: must be a whole number between 0 and 100"},
		{"volume float", "volume = 50.5\n", 1, "volume", "volume = 50.5: must be a whole number between 0 and 100"},
		{"output", "output = \"foo.mp3\"\n", 1, "output", `output = "foo.mp3": must be speaker, null, a FILE.wav or pipe:PATH`},
		{"output type", "output = 3\n", 1, "output", `output = 3: must be "speaker", "null", "FILE.wav" or "pipe:PATH"`},
		{"speaker_buffer small", "speaker_buffer = \"1ms\"\n", 1, "speaker_buffer", `speaker_buffer = "1ms": must be a duration between "10ms" and "2s"`},
		{"speaker_buffer word", "speaker_buffer = \"soon\"\n", 1, "speaker_buffer", `speaker_buffer = "soon": must be a duration between "10ms" and "2s"`},
		{"idle_exit", "idle_exit = \"-1m\"\n", 1, "idle_exit", `idle_exit = "-1m": must be a duration between "1s" and "168h", or "0" for never`},
		{"start_folder", "start_folder = \"Music\"\n", 1, "start_folder", `start_folder = "Music": must be a pCloud path starting with "/"`},
		{"foreground", "foreground = \"yes\"\n", 1, "foreground", `foreground = "yes": must be true or false`},
		{"api_url", "\n\napi_url = \"http://example.com\"\n", 3, "api_url", `api_url = "http://example.com": plain http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https`},
		{"log", "log = 5\n", 1, "log", "log = 5: must be a file name"},
		{"keys unknown action", "[keys]\nnext = [\"n\"]\nnexy = [\"x\"]\n", 3, "keys.nexy",
			`unknown action "nexy" in [keys] (did you mean "next"?); actions: ` + strings.Join(KnownActions, ", ")},
		{"keys bad list", "[keys]\n\nnext = [1, 2]\n", 3, "keys.next", `next = […]: must be a list of one or more keys such as ["n", "ctrl+n"]`},
		{"keys empty list", "[keys]\nnext = []\n", 2, "keys.next", `next = []: must be a list of one or more keys such as ["n", "ctrl+n"]`},
		{"keys bad key", "[keys]\nnext = [\"a b\"]\n", 2, "keys.next", `next: key "a b" contains a space (write "space" for the space bar)`},
		{"keys duplicate", "[keys]\nnext = [\"x\"]\nprev = [\"y\", \"x\"]\n", 3, "keys.prev", `prev: key "x" is already bound to next`},
		{"keys not a table", "keys = 3\n", 1, "keys", `keys must be a table of action = ["key", ...]`},
		{"syntax", "bitrate = 128\nregion = \n", 2, "region", "not valid TOML: expected value but found '\\n' instead"},
		{"duplicate key", "bitrate = 128\nbitrate = 64\n", 2, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t)
			path := e.writeConfig(t, c.body)
			_, _, err := e.load(t)
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %T %v, want *UsageError", err, err)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FileError inside", err)
			}
			if fe.Path != path || fe.Line != c.line {
				t.Errorf("at %s:%d, want %s:%d (%v)", fe.Path, fe.Line, path, c.line, err)
			}
			if c.msg == "" {
				return // only the position is checked
			}
			if fe.Key != c.key {
				t.Errorf("Key = %q, want %q", fe.Key, c.key)
			}
			if fe.Msg != c.msg {
				t.Errorf("Msg:\n got %q\nwant %q", fe.Msg, c.msg)
			}
			if want := path + ":" + itoa(c.line) + ": " + c.msg; err.Error() != want {
				t.Errorf("Error():\n got %q\nwant %q", err.Error(), want)
			}
		})
	}
}

func TestFileErrorsFirstByLine(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "volume = 50\nregion = \"mars\"\nbitrate = 1000\nwhat = 1\n")
	_, _, err := e.load(t)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 2 || fe.Key != "region" {
		t.Fatalf("err = %v, want the region mistake on line 2 first", err)
	}
	if !strings.HasSuffix(err.Error(), "(and 2 more mistakes)") {
		t.Errorf("err = %q, want a count of the other mistakes", err)
	}
}

func TestFileValueCheckedEvenWhenFlagOverrides(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "bitrate = 999\n")
	_, _, err := e.load(t, "--bitrate", "128")
	var fe *FileError
	if !errors.As(err, &fe) || fe.Key != "bitrate" {
		t.Fatalf("err = %v, want the file's bad bitrate reported", err)
	}
}

func TestConfigFileLocation(t *testing.T) {
	e := newTestEnv(t)
	// Missing default file: fine.
	if _, _, err := e.load(t); err != nil {
		t.Fatalf("missing default file: %v", err)
	}
	// Missing named file: an error.
	other := filepath.Join(e.dir, "other.toml")
	_, _, err := e.load(t, "--config", other)
	var ue *UsageError
	if !errors.As(err, &ue) || err.Error() != "config file "+other+" does not exist" {
		t.Fatalf("missing --config file: %v", err)
	}
	// --config beats PCPLAY_CONFIG beats the default.
	e.writeConfig(t, "bitrate = 64\n")
	envFile := filepath.Join(e.dir, "env.toml")
	if err := os.WriteFile(envFile, []byte("bitrate = 96\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte("bitrate = 128\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s := e.mustLoad(t); s.Bitrate != 64 {
		t.Errorf("default file: bitrate %d", s.Bitrate)
	}
	e.vars[EnvConfig] = envFile
	if s := e.mustLoad(t); s.Bitrate != 96 || s.ConfigPath != envFile {
		t.Errorf("PCPLAY_CONFIG: bitrate %d from %s", s.Bitrate, s.ConfigPath)
	}
	if s := e.mustLoad(t, "--config", other); s.Bitrate != 128 || s.ConfigPath != other {
		t.Errorf("--config: bitrate %d from %s", s.Bitrate, s.ConfigPath)
	}
}

func TestUnreadableConfigIsNotUsageError(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	e := newTestEnv(t)
	p := e.writeConfig(t, "bitrate = 64\n")
	if err := os.Chmod(p, 0o000); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.load(t)
	var ue *UsageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "cannot read config file") {
		t.Fatalf("err = %v, want a plain read error", err)
	}
}

func TestHelpAndVersionSkipFiles(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "this is not toml\n")
	for _, a := range []string{"-h", "--help", "-help", "--version"} {
		s, _, err := e.load(t, a)
		if err != nil {
			t.Errorf("%s with a broken config: %v", a, err)
		}
		if (a == "--version") != s.Version || (a != "--version") != s.Help {
			t.Errorf("%s: Help %v Version %v", a, s.Help, s.Version)
		}
	}
	if _, _, err := e.load(t); err == nil {
		t.Error("a broken config file was accepted")
	}
}

func TestSubcommandArgs(t *testing.T) {
	e := newTestEnv(t)
	s, rest, err := e.load(t, "--bitrate", "128", "ctl", "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if s.Bitrate != 128 || strings.Join(rest, " ") != "ctl status --json" {
		t.Errorf("bitrate %d, rest %q", s.Bitrate, rest)
	}
	_, rest, err = e.load(t, "--", "login")
	if err != nil || strings.Join(rest, " ") != "login" {
		t.Errorf("rest %q, err %v", rest, err)
	}
}

func TestTokenPrecedence(t *testing.T) {
	e := newTestEnv(t)
	tp := filepath.Join(e.vars["XDG_CONFIG_HOME"], "pcplay", "token.json")
	if err := SaveLogin(tp, SavedLogin{Token: "savedtok", Kind: "auth", Region: "eu", Email: "a@b.c"}); err != nil {
		t.Fatal(err)
	}
	s := e.mustLoad(t)
	if s.Token != "savedtok" || s.TokenSource != "file" || s.TokenKind != "auth" {
		t.Errorf("saved login: %q %q %q", s.Token, s.TokenSource, s.TokenKind)
	}
	if s.Region != "eu" {
		t.Errorf("region %q, want the saved login's eu when none is given", s.Region)
	}
	// An explicit region wins over the saved one.
	if s := e.mustLoad(t, "--region", "us"); s.Region != "us" {
		t.Errorf("--region us gave %q", s.Region)
	}
	e.writeConfig(t, "region = \"auto\"\n")
	if s := e.mustLoad(t); s.Region != "auto" {
		t.Errorf("file region auto gave %q", s.Region)
	}
	// PCLOUD_TOKEN beats the saved token.
	e.vars[EnvToken] = " envtok\n"
	s = e.mustLoad(t)
	if s.Token != "envtok" || s.TokenSource != "env" || s.TokenKind != "" {
		t.Errorf("PCLOUD_TOKEN: %q %q %q", s.Token, s.TokenSource, s.TokenKind)
	}
	// --demo needs no token.
	if s := e.mustLoad(t, "--demo"); !s.Demo || s.Token != "" {
		t.Errorf("--demo: Demo %v Token %q", s.Demo, s.Token)
	}
}

func TestCorruptTokenFileIsAWarning(t *testing.T) {
	e := newTestEnv(t)
	tp := filepath.Join(e.vars["XDG_CONFIG_HOME"], "pcplay", "token.json")
	if err := os.MkdirAll(filepath.Dir(tp), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tp, []byte(`{"token":"SECRETTOKEN","kind":`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _, err := e.load(t)
	if err != nil {
		t.Fatalf("a corrupt token file stopped Load: %v", err)
	}
	if s.Token != "" || s.TokenSource != "" {
		t.Errorf("token %q from a corrupt file", s.Token)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "not valid JSON") {
		t.Fatalf("warnings = %q", s.Warnings)
	}
	if strings.Contains(s.Warnings[0], "SECRET") {
		t.Errorf("warning shows the token: %q", s.Warnings[0])
	}
}

func TestLooseTokenFileIsTightened(t *testing.T) {
	e := newTestEnv(t)
	tp := filepath.Join(e.vars["XDG_CONFIG_HOME"], "pcplay", "token.json")
	if err := SaveLogin(tp, SavedLogin{Token: "tok", Kind: "bearer", Region: "us"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tp, 0o644); err != nil {
		t.Fatal(err)
	}
	s := e.mustLoad(t)
	if s.Token != "tok" {
		t.Errorf("token %q", s.Token)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "mode 0644") || !strings.Contains(s.Warnings[0], "now 0600") {
		t.Errorf("warnings = %q", s.Warnings)
	}
	fi, err := os.Stat(tp)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o after Load, want 0600", fi.Mode().Perm())
	}
}

func TestUsage(t *testing.T) {
	ctlList := "pause, play PATH, a-rather-long-list-of-commands-to-wrap, seek +10|-10|90|1:30, vol 70|+5|-5, mute, status [--json], queue [--json]"
	u := Usage(ctlList)
	if flat := strings.Join(strings.Fields(u), " "); !strings.Contains(flat, ctlList) {
		t.Errorf("Usage() lacks the ctl list, wrapped")
	}
	for _, want := range []string{
		"--api-url", "--region", "--bitrate", "--output", "--config", "--log", "--demo", "--foreground", "--version", "--help", "-h",
		EnvToken, EnvAPIURL, EnvRegion, EnvBitrate, EnvOutput, EnvConfig, EnvIdleExit, "XDG_CONFIG_HOME",
		"config.toml", "login", "logout", "ctl", "service install|uninstall|status",
		"bitrate = 192", `region = "auto"`, "volume = 70", `output = "speaker"`, `speaker_buffer = "500ms"`,
		`start_folder = "/"`, "foreground = false", `idle_exit = "10m"`, `api_url = ""`, `log = ""`, "[keys]",
	} {
		if !strings.Contains(u, want) {
			t.Errorf("Usage() lacks %q", want)
		}
	}
	for _, a := range KnownActions {
		if !strings.Contains(u, a) {
			t.Errorf("Usage() lacks action %q", a)
		}
	}
	cfg, _ := DefaultPath()
	for i, line := range strings.Split(u, "\n") {
		if strings.Contains(line, filepath.Dir(cfg)) {
			continue // the length of the path is the machine's
		}
		if len([]rune(line)) > 80 {
			t.Errorf("line %d is %d columns wide: %q", i+1, len([]rune(line)), line)
		}
	}
	// Every flag Load parses is in the help.
	fs, _ := newFlags()
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(u, "--"+f.Name) && !strings.Contains(u, "-"+f.Name) {
			t.Errorf("flag %s missing from Usage()", f.Name)
		}
	})
}

func TestIsLoopbackHost(t *testing.T) {
	for h, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "localhost.": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true, "[::1]": true,
		"example.com": false, "10.0.0.1": false, "": false, "localhost.example.com": false, "::": false, "0.0.0.0": false,
	} {
		if got := IsLoopbackHost(h); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestExampleFileLoadsAsDefaults(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, ExampleFile())
	s := e.mustLoad(t)
	e2 := newTestEnv(t)
	def := e2.mustLoad(t)
	def.ConfigPath = s.ConfigPath
	if s.String() != def.String() {
		t.Errorf("ExampleFile() does not give the defaults:\n got %v\nwant %v", s, def)
	}
	for _, k := range fileKeys {
		if !strings.Contains(ExampleFile(), "\n"+k.key+" = ") {
			t.Errorf("ExampleFile() lacks %s", k.key)
		}
	}
}

// volume = 0 is silence, not "unset": it stays 0 through [Load].
func TestVolumeZeroIsKept(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "volume = 0\n")
	if s := e.mustLoad(t); s.Volume != 0 {
		t.Errorf("volume = 0 in the file gave Volume %d", s.Volume)
	}
	e.writeConfig(t, "volume = 1\n")
	if s := e.mustLoad(t); s.Volume != 1 {
		t.Errorf("volume = 1 in the file gave Volume %d", s.Volume)
	}
}

// ExplicitBitrate is set by --bitrate and PCPLAY_BITRATE, not by the file or
// the default.
func TestExplicitBitrate(t *testing.T) {
	e := newTestEnv(t)
	if s := e.mustLoad(t); s.ExplicitBitrate {
		t.Error("the default bitrate counts as explicit")
	}
	e.writeConfig(t, "bitrate = 64\n")
	if s := e.mustLoad(t); s.ExplicitBitrate || s.Bitrate != 64 {
		t.Errorf("the file's bitrate: explicit %v, bitrate %d", s.ExplicitBitrate, s.Bitrate)
	}
	if s := e.mustLoad(t, "--bitrate", "128"); !s.ExplicitBitrate || s.Bitrate != 128 {
		t.Errorf("--bitrate 128: explicit %v, bitrate %d", s.ExplicitBitrate, s.Bitrate)
	}
	e.vars[EnvBitrate] = "256"
	if s := e.mustLoad(t, "logout"); !s.ExplicitBitrate || s.Bitrate != 256 {
		t.Errorf("PCPLAY_BITRATE=256: explicit %v, bitrate %d", s.ExplicitBitrate, s.Bitrate)
	}
}

// --demo=WORLD opens one of the demo's worlds; a world that is not one is
// a usage error naming them.
func TestDemoWorldFlag(t *testing.T) {
	e := newTestEnv(t)
	for args, want := range map[string]string{"--demo": "", "--demo=big": "big", "--demo=hostile": "hostile", "--demo=true": ""} {
		if s := e.mustLoad(t, args); !s.Demo || s.DemoWorld != want {
			t.Errorf("%s: Demo %v, world %q; want %q", args, s.Demo, s.DemoWorld, want)
		}
	}
	if s := e.mustLoad(t, "--demo=false"); s.Demo {
		t.Error("--demo=false opens the demo")
	}
	_, _, err := e.load(t, "--demo=moon")
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--demo=moon: there is no such demo world; the worlds are small, big, outage or hostile") {
		t.Errorf("--demo=moon: %v", err)
	}
}
