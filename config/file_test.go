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
