package scrobble_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
)

// TestDamagedQueueIsSetAside: a scrobble.db that is not a database (or
// fails its check) is kept as .damaged, a new queue works, and the
// notice says so in one sentence. Before, the engine logged "no queue"
// and scrobbled nothing until the file was removed by hand.
func TestDamagedQueueIsSetAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scrobble.db")
	junk := []byte(strings.Repeat("not a database ", 400))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	q, err := scrobble.OpenQueue(path)
	if err != nil {
		t.Fatalf("OpenQueue on a damaged file: %v", err)
	}
	defer q.Close()
	n := q.Notice()
	if n == "" || strings.Contains(n, "\n") || !strings.HasSuffix(n, ".") || !strings.Contains(n, "scrobble.db.damaged") {
		t.Fatalf("notice %q", n)
	}
	if kept, err := os.ReadFile(path + ".damaged"); err != nil || string(kept) != string(junk) {
		t.Fatalf("the damaged file was not kept as it was: %v", err)
	}
	ctx := context.Background()
	l := scrobble.Listen{Started: time.Unix(1_700_000_000, 0), Duration: time.Minute, Track: player.Track{FileID: 7, Artist: "A", Title: "T"}}
	if err := q.Add(ctx, l, "listenbrainz"); err != nil {
		t.Fatal(err)
	}
	if c, err := q.Count(ctx, "listenbrainz"); err != nil || c != 1 {
		t.Fatalf("the new queue holds %d listens (%v), want 1", c, err)
	}
	q.Close()
	q2, err := scrobble.OpenQueue(path) // a sound queue opens without a notice
	if err != nil || q2.Notice() != "" {
		t.Fatalf("reopen: %v, notice %q", err, q2.Notice())
	}
	q2.Close()
}
