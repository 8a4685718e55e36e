//go:build unix

package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/ctl"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
)

// The real binary: the engine answers `ctl history` from scrobble.db in
// the state directory (no scrobble service set up). The listens are put
// there beforehand: a track must play 15 s and more to count, too long
// for a test (ctl/history_test.go plays the rule through the socket).
func TestCtlHistoryThroughTheBinary(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t)
	q, err := scrobble.OpenQueue(w.path("state", "pcplay", "scrobble.db"))
	if err != nil {
		t.Fatal(err)
	}
	began := time.Date(2026, 11, 2, 14, 3, 0, 0, time.Local)
	for i, title := range []string{"Older", "Newer"} {
		l := scrobble.Listen{Started: began.Add(time.Duration(i) * time.Hour), Duration: time.Minute,
			Track: player.Track{FileID: uint64(10 + i), Name: title + ".mp3", Artist: "Artist", Title: title}}
		if err := q.Remember(context.Background(), l); err != nil {
			t.Fatal(err)
		}
	}
	q.Close()
	w.startEngine()
	if out, want := w.ctl("history"), "2026-11-02 15:03  Artist – Newer\n2026-11-02 14:03  Artist – Older\n"; out != want {
		t.Fatalf("ctl history: %q, want %q", out, want)
	}
	var got []ctl.HistoryEntry
	out := w.ctl("history", "1", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 || got[0].FileID != 11 || !strings.HasPrefix(got[0].Started, "2026-11-02T15:03:00") {
		t.Fatalf("ctl history 1 --json: %q (%v)", out, err)
	}
}
