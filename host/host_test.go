package host

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/config"
)

// A state directory pcplay can't write to is one sentence naming it and the
// fix (it played on with no session, no library and no log, silently).
func TestUnwritableStateDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_STATE_HOME", file)
	h, err := Open(context.Background(), config.Settings{Output: "null", Region: "us"}, Options{})
	if err == nil {
		h.Close()
		t.Fatal("a host without a state directory")
	}
	if msg := err.Error(); !strings.Contains(msg, "state directory") || !strings.Contains(msg, file) || !strings.Contains(msg, "XDG_STATE_HOME") {
		t.Errorf("it said %q", msg)
	}
}
