package player

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

func TestRepeatOneAndAll(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 0.3, 2: 0.3})
		p := newTestPlayer(t, lib, newCapture(rate, 4))
		p.SetRepeat(RepeatOne)
		p.PlayNow(tracks(1, 2))
		poll.Until(t, "three plays of track 1", func() bool { return len(lib.openedIDs()) >= 3 })
		if ids := lib.openedIDs()[:3]; !slices.Equal(ids, []uint64{1, 1, 1}) {
			t.Errorf("repeat one opened %v", ids)
		}
		p.SetRepeat(RepeatAll)
		n := len(lib.openedIDs())
		poll.Until(t, "four more plays", func() bool { return len(lib.openedIDs()) >= n+4 })
		ids := lib.openedIDs()[n:]
		for i := 1; i < 4; i++ {
			if ids[i] == ids[i-1] {
				t.Fatalf("repeat all opened %v (after %d repeat-one plays)", ids, n)
			}
		}
	})
}

func TestShuffleKeepsCurrentAndDisplayOrder(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		secs := map[uint64]float64{}
		var ids []uint64
		for id := uint64(1); id <= 8; id++ {
			secs[id] = 60
			ids = append(ids, id)
		}
		lib := toneLib(secs)
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.Enqueue(tracks(ids...))
		p.PlayIndex(3)
		before := p.Queue()
		p.SetShuffle(true)
		if st := p.Status(); !st.Shuffle || st.Index != 3 {
			t.Fatalf("after shuffle on: %+v", st)
		}
		if !slices.Equal(before, p.Queue()) {
			t.Error("shuffle changed the displayed queue")
		}
		seen := map[int]bool{3: true}
		for range 7 {
			p.Next()
			i := p.Status().Index
			if seen[i] {
				t.Fatalf("shuffle played index %d twice (seen %v)", i, seen)
			}
			seen[i] = true
		}
		p.Next()
		poll.Until(t, "stop after the shuffled queue", func() bool { return p.Status().State == Stopped })
	})
}

func TestQueueEditsWhilePlaying(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60, 4: 60, 5: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 2))
		p.Enqueue(tracks(1, 2, 3))
		gen := p.Status().QueueGen
		p.PlayIndex(1)
		poll.Until(t, "track 2", func() bool { return p.Status().State == Playing })
		p.InsertNext(tracks(4))
		if q := p.Queue(); len(q) != 4 || q[2].FileID != 4 {
			t.Fatalf("queue after InsertNext: %v", q)
		}
		if g := p.Status().QueueGen; g == gen {
			t.Error("QueueGen did not change")
		}
		p.Move(1, 3) // the current track moves to the end
		if st := p.Status(); st.Index != 3 || st.Track.FileID != 2 {
			t.Errorf("after Move(1,3): index %d file %d, want 3 and file 2", st.Index, st.Track.FileID)
		}
		p.Move(3, 0)
		p.Remove(0) // the current one: the following plays
		poll.Until(t, "the follower", func() bool {
			st := p.Status()
			return st.State == Playing && st.Track.FileID == 1
		})

		if q := p.Queue(); len(q) != 3 {
			t.Errorf("queue after Remove: %v", q)
		}
		p.Remove(2)
		p.Remove(9)
		if p.Status().Err == "" {
			t.Error("Remove(9) gave no error sentence")
		}
		p.Move(0, 5)
		p.Clear()
		st := p.Status()
		if st.State != Stopped || st.Index != -1 || len(p.Queue()) != 0 {
			t.Errorf("after Clear: %+v queue %v", st, p.Queue())
		}
		p.Play() // nothing to play: no panic
		p.Next()
		p.Prev()
		p.SeekBy(time.Second)
	})
}
