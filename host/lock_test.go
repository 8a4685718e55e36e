package host

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
)

// Two players never share a session: the second is refused with the first's
// process id, and can have it once the first lets go.
func TestSessionLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	release, err := lockSession(path)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to the open file: a second open in this process
	// conflicts as another process's would. It waits lockPatience (in
	// virtual time) for the first to let go.
	synctest.Test(t, func(t *testing.T) {
		if _, err := lockSession(path); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
			t.Fatalf("a second lock: %v", err)
		}
	})
	release()
	release2, err := lockSession(path)
	if err != nil {
		t.Fatalf("after the release: %v", err)
	}
	release2()
}
