//go:build unix

package ctl

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/player"
)

// `ctl add` of a folder of 100,000 tracks queues them all (the list goes
// in parts), and `ctl queue`, `ctl queue --json` and `ctl status --json`
// see all of them, in order (the queue message of 13 MB used to be over
// the engine's line limit and dropped: an empty queue, queue_length 0).
func TestCtlBigQueue(t *testing.T) {
	r := newRig(t)
	big := make([]player.Track, bigQueueLen)
	for i := range big {
		big[i] = player.Track{FileID: uint64(i + 1), Name: fmt.Sprintf("%07d %s.flac", i, strings.Repeat("Some Fairly Long Track Name ", 3))}
		if i%1000 == 999 {
			big[i].Title = strings.Repeat("t", 4096)
		}
	}
	resolve := func(context.Context, string) ([]player.Track, error) { return big, nil }
	out, err := r.ctl(t, resolve, "add", "/Big")
	if err != nil || !strings.HasPrefix(out, fmt.Sprintf("Added %d tracks from /Big.\n", bigQueueLen)) {
		t.Fatalf("ctl add /Big: %q, %v", out, err)
	}
	if n := len(r.p.Queue()); n != bigQueueLen {
		t.Fatalf("the engine's queue has %d tracks", n)
	}

	out, err = r.ctl(t, nil, "queue", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var entries []QueueEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != bigQueueLen {
		t.Fatalf("ctl queue --json: %d entries, want %d", len(entries), bigQueueLen)
	}
	for i, e := range entries {
		if e.Position != i+1 || e.FileID != big[i].FileID || e.Name != big[i].Name || e.Title != big[i].Title {
			t.Fatalf("entry %d: %+v", i, e)
		}
	}

	out, err = r.ctl(t, nil, "queue")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != bigQueueLen || lines[bigQueueLen-1] != fmt.Sprintf("  %d. %s", bigQueueLen, big[bigQueueLen-1].Title) {
		t.Errorf("ctl queue: %d lines, the last %.60q", len(lines), lines[len(lines)-1])
	}

	out, err = r.ctl(t, nil, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st StatusObject
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.QueueLength != bigQueueLen {
		t.Errorf("ctl status --json: queue_length %d, want %d", st.QueueLength, bigQueueLen)
	}
}
