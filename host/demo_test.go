package host

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/demo"
)

// Each demo world (--demo=WORLD) starts, and is what it says: the big one
// 10,000 tracks, the hostile one its names exactly; an unknown one is a
// sentence naming the worlds.
func TestDemoWorlds(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	for _, w := range demo.Worlds {
		d, err := startDemo(w.Name, logger)
		if err != nil {
			t.Fatalf("%s: %v", w.Name, err)
		}
		root, err := d.client.ListPath(context.Background(), "/", false)
		d.Close()
		if err != nil || len(root.Contents) == 0 {
			t.Fatalf("%s: the root lists %v, %v", w.Name, root, err)
		}
	}
	if n := audioFiles(demoWorld("big")); n != 10_000 {
		t.Errorf("the big world has %d tracks", n)
	}

	d, err := startDemo("hostile", logger)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	m, err := d.client.ListPath(context.Background(), "/Hostile names", false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range m.Contents {
		names = append(names, strings.TrimSuffix(c.Name, ".mp3"))
	}
	for _, n := range demo.HostileNames {
		if !slices.Contains(names, n) {
			t.Errorf("the hostile world lacks %q: %q", n, names)
		}
	}

	if _, err := startDemo("moon", logger); err == nil || !strings.Contains(err.Error(), "small, big, outage or hostile") {
		t.Errorf("an unknown world: %v", err)
	}
}

func audioFiles(n *pcloudtest.Node) int {
	if !n.Folder {
		if n.Category == 3 {
			return 1
		}
		return 0
	}
	sum := 0
	for _, c := range n.Children {
		sum += audioFiles(c)
	}
	return sum
}

// downUp records what the outage world does to its pCloud.
type downUp struct {
	mu  sync.Mutex
	log []string
}

func (d *downUp) Down() {
	d.mu.Lock()
	d.log = append(d.log, "down@"+time.Now().Format("04:05"))
	d.mu.Unlock()
}
func (d *downUp) Up() {
	d.mu.Lock()
	d.log = append(d.log, "up@"+time.Now().Format("04:05"))
	d.mu.Unlock()
}

// The outage world takes pCloud away for 20 s of every minute, and gives it
// back when it closes.
func TestDemoOutages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		rec := &downUp{}
		stop := outages(rec, 40*time.Second, 20*time.Second)
		time.Sleep(2*time.Minute + 50*time.Second)
		stop()
		synctest.Wait()
		at := func(d time.Duration) string { return start.Add(d).Format("04:05") }
		want := []string{"down@" + at(40*time.Second), "up@" + at(time.Minute), "down@" + at(100*time.Second), "up@" + at(2*time.Minute), "down@" + at(160*time.Second), "up@" + at(170*time.Second)}
		if !slices.Equal(rec.log, want) {
			t.Errorf("%q, want %q", rec.log, want)
		}
	})
}
