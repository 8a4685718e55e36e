package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file too large or nested too deep is refused with one sentence before
// the TOML library sees it (it is quadratic in the nesting); what a real
// config file holds passes.
func TestConfigFileLimits(t *testing.T) {
	ok := `bitrate = 128 # [[[{{{ in a comment
start_folder = "/Music/[live] {2024}.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f"
api_url = '''
'''
[keys]
next = ["n", "ctrl+n"]
"quit" = ['q']
`
	for name, c := range map[string]struct {
		data string
		want string // "" accepted
		line int
	}{
		"ok":     {ok, "", 0},
		"inline": {"bitrate = 1\nx = " + strings.Repeat("{a = ", 8000) + "1" + strings.Repeat("}", 8000), "nested deeper than 32 levels", 2},
		"array":  {"x = " + strings.Repeat("[", 40) + strings.Repeat("]", 40), "nested deeper than 32 levels", 1},
		"dotted": {"\n\n" + strings.Repeat("a.", 8000) + "b = 1", "nested deeper than 32 levels", 3},
		"header": {"[" + strings.Repeat("a.", 100) + "b]", "nested deeper than 32 levels", 1},
		"large":  {"# " + strings.Repeat("x", MaxFileSize) + "\n", "larger than 1024 KiB", 0},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "config.toml")
			if err := os.WriteFile(path, []byte(c.data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load([]string{"--config", path}, envOf(dir))
			var fe *FileError
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want == "":
			case err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, &fe) || fe.Line != c.line:
				t.Fatalf("got %v, want %q at line %d", err, c.want, c.line)
			case strings.Contains(err.Error(), "\n"):
				t.Errorf("more than one line: %q", err)
			}
		})
	}
}

func envOf(dir string) func(string) string {
	return func(k string) string {
		switch k {
		case "HOME":
			return dir
		case "XDG_CONFIG_HOME":
			return filepath.Join(dir, "config")
		case "XDG_STATE_HOME":
			return filepath.Join(dir, "state")
		}
		return ""
	}
}

// A mistake in the file still gives the sub-command, so that the commands
// that need no settings (ctl, stop) can go on without the file.
func TestFileErrorKeepsTheCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte("bitrat = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, rest, err := Load([]string{"--config", path, "ctl", "status"}, envOf(dir))
	var ue *UsageError
	if !errors.As(err, &ue) || strings.Join(rest, " ") != "ctl status" {
		t.Errorf("Load: %v, rest %q", err, rest)
	}
	// A mistake in a flag gives none: it is not the file's.
	if _, rest, err := Load([]string{"--bitrate", "9", "ctl", "status"}, envOf(dir)); err == nil || rest != nil {
		t.Errorf("bad flag: %v, rest %q", err, rest)
	}
}
