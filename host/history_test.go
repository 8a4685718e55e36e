package host

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
)

// The host keeps the listening history with no scrobble service set up,
// in scrobble.db, across runs; the demo keeps it in memory and writes no
// scrobble.db.
func TestHostHistory(t *testing.T) {
	dir := t.TempDir()
	h := openAt(t, dir, config.Settings{})
	ctx := context.Background()
	if ls, err := h.History(ctx, 10); err != nil || ls == nil || len(ls) != 0 {
		t.Fatalf("a new history: %v, %v", ls, err)
	}
	n0, next := h.HistoryState()
	l := scrobble.Listen{Started: time.Unix(1_800_000_000, 0), Duration: time.Minute, Track: player.Track{FileID: 5, Name: "x.mp3"}}
	if err := h.hist.q.Remember(ctx, l); err != nil {
		t.Fatal(err)
	}
	h.hist.listened(l) // as scrobble.Run tells it
	select {
	case <-next:
	default:
		t.Fatal("a listen did not wake the history's watchers")
	}
	if n, _ := h.HistoryState(); n != n0+1 {
		t.Fatalf("the count of listens is %d, want %d", n, n0+1)
	}
	h.Close()
	h = openAt(t, dir, config.Settings{})
	ls, err := h.History(ctx, 10)
	h.Close()
	if err != nil || len(ls) != 1 || ls[0].Track.FileID != 5 {
		t.Fatalf("after a restart: %v, %v", ls, err)
	}

	demoDir := t.TempDir()
	d := openAt(t, demoDir, config.Settings{Demo: true})
	defer d.Close()
	if err := d.hist.q.Remember(ctx, l); err != nil {
		t.Fatal(err)
	}
	if ls, err := d.History(ctx, 10); err != nil || len(ls) != 1 {
		t.Fatalf("the demo's history: %v, %v", ls, err)
	}
	filepath.WalkDir(demoDir, func(p string, e os.DirEntry, err error) error {
		if err == nil && filepath.Base(p) == "scrobble.db" {
			t.Errorf("the demo wrote %s", p)
		}
		return nil
	})
}
