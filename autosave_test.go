package main

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

// autosave saves after a change, and only after one: identical reports
// make no save, a moving position makes one per period.
func TestAutosave(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub := make(chan player.Status)
	var saves atomic.Int32
	first := player.Status{State: player.Paused, Index: 0, Track: player.Track{FileID: 7}, Volume: 50}
	done := make(chan struct{})
	go func() {
		defer close(done)
		autosave(ctx, sub, first, 500*time.Millisecond, 10*time.Millisecond, func() { saves.Add(1) })
	}()
	waitSaves := func(n int32) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for saves.Load() < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d saves, want %d", saves.Load(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	// The restored state again: nothing to save.
	sub <- first
	// Playing: a change of state, saved soon.
	st := first
	st.State = player.Playing
	sub <- st
	waitSaves(1)
	// The position moves: saved within a period, once for many reports.
	for ms := 1000; ms <= 3000; ms += 250 {
		st.Position = time.Duration(ms) * time.Millisecond
		sub <- st
	}
	waitSaves(2)
	// Repeating the saved state saves nothing; the next change is the
	// third save, not a fourth.
	for range 5 {
		sub <- st
	}
	st.QueueGen++
	sub <- st
	waitSaves(3)
	cancel()
	<-done
	if n := saves.Load(); n != 3 {
		t.Errorf("%d saves, want 3", n)
	}
}
