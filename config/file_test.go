package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A file of thousands of mistakes is read once: the first is said with its
// line, the others counted (finding every line was quadratic: 8,000
// unknown [keys] entries took 35 s).
func TestManyMistakesSayTheFirst(t *testing.T) {
	var b strings.Builder
	b.WriteString("bitrate = 128\n[keys]\nnext = [\"n\"]\n")
	for i := range 8000 {
		fmt.Fprintf(&b, "zz%d = [\"x\"]\n", i)
	}
	var s Settings
	_, err := applyFile(&s, "/c/config.toml", []byte(b.String()), fileOverrides{}, func(string) string { return "" })
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 4 || fe.Key != "keys.zz0" {
		t.Fatalf("first mistake: %+v (%v)", fe, err)
	}
	if !strings.Contains(err.Error(), "(and 7999 more mistakes)") {
		t.Errorf("the count: %v", err)
	}
}

func BenchmarkManyMistakes(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("[keys]\n")
	for i := range 8000 {
		fmt.Fprintf(&sb, "zz%d = [\"x\"]\n", i)
	}
	data := []byte(sb.String())
	for b.Loop() {
		var s Settings
		applyFile(&s, "config.toml", data, fileOverrides{}, func(string) string { return "" })
	}
}

// A key the terminal never sends is refused with its file and line (it was
// taken, and could never be pressed).
func TestUnknownKeyNamesAreRefused(t *testing.T) {
	for _, c := range []struct{ key, says string }{
		{"ctrl+shift+meta+zz", "is not a key"},
		{"shift+ctrl+x", "out of order"},
		{"ctrl+ctrl+x", "out of order"},
		{"cmd+x", `"cmd" where a modifier goes`},
		{"f64", "is not a key"},
		{"pgdn", "is not a key"},
	} {
		data := "volume = 50\n[keys]\nnext = [\"n\", \"" + c.key + "\"]\n"
		var s Settings
		_, err := applyFile(&s, "/c/config.toml", []byte(data), fileOverrides{}, func(string) string { return "" })
		var fe *FileError
		if !errors.As(err, &fe) || fe.Line != 3 || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), "/c/config.toml:3") {
			t.Errorf("%s: %v", c.key, err)
		}
	}
	for _, ok := range []string{"ctrl+alt+shift+meta+hyper+super+a", "f63", "alt+pgdown", "+", "ctrl++", "ü", "?", "space", "shift+tab"} {
		data := "[keys]\nnext = [\"" + ok + "\"]\n"
		var s Settings
		if _, err := applyFile(&s, "/c/config.toml", []byte(data), fileOverrides{}, func(string) string { return "" }); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
}
