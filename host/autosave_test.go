package host

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/player"
)

// autosave saves after a change, and only after one: identical reports
// make no save, a moving position makes one per period, a change of
// anything else one save soon. In virtual time: the periods are the real
// ones.
func TestAutosave(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		sub := make(chan player.Status)
		var saves atomic.Int32
		first := player.Status{State: player.Paused, Index: 0, Track: player.Track{FileID: 7}, Volume: 50}
		done := make(chan struct{})
		go func() {
			defer close(done)
			autosave(ctx, sub, first, saveEvery, saveSoon, func() { saves.Add(1) })
		}()
		want := func(n int32, when string) {
			t.Helper()
			synctest.Wait()
			if got := saves.Load(); got != n {
				t.Fatalf("%s: %d saves, want %d", when, got, n)
			}
		}

		// The restored state again: nothing to save, ever.
		sub <- first
		time.Sleep(time.Hour)
		want(0, "the restored state reported again")

		// Playing: a change of state, saved saveSoon later, not before.
		st := first
		st.State = player.Playing
		sub <- st
		time.Sleep(saveSoon - time.Millisecond)
		want(0, "just before saveSoon")
		time.Sleep(time.Millisecond)
		want(1, "at saveSoon")

		// The position moves: saved once a period, once for many reports.
		start := time.Now()
		for ms := 1000; ms <= 3000; ms += 250 {
			st.Position = time.Duration(ms) * time.Millisecond
			sub <- st
			time.Sleep(250 * time.Millisecond)
		}
		time.Sleep(saveEvery - time.Since(start) - time.Millisecond)
		want(1, "within the first period of moving")
		time.Sleep(time.Millisecond)
		want(2, "one period after the position first moved")

		// Repeating the saved state saves nothing; the next change is the
		// third save.
		for range 5 {
			sub <- st
		}
		time.Sleep(time.Hour)
		want(2, "the saved state repeated")
		st.QueueGen++
		sub <- st
		time.Sleep(saveSoon)
		want(3, "a change of the queue")

		// A burst of changes makes one save.
		for v := range 10 {
			st.Volume = v
			sub <- st
		}
		time.Sleep(saveSoon)
		want(4, "a burst of volume changes")
		cancel()
		<-done
	})
}
