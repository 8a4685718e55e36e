package player

import (
	"math"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

func fileIDs(q []Track) []uint64 {
	out := make([]uint64, len(q))
	for i, t := range q {
		out[i] = t.FileID
	}
	return out
}

func playingFile(p *Player, id uint64) func() bool {
	return func() bool {
		st := p.Status()
		return st.State == Playing && st.Track.FileID == id
	}
}

func TestQueueReplaceAndUndo(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60, 4: 60, 5: 60, 6: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.Enqueue(tracks(1, 2, 3))
		p.PlayIndex(1)
		poll.Until(t, "track 2 playing", playingFile(p, 2))
		p.SeekBy(4 * time.Second)
		poll.Until(t, "track 2 past 4 s", func() bool { return p.Status().Position >= 4*time.Second })

		p.Replace(tracks(4, 5, 6), 1)
		if q := fileIDs(p.Queue()); !slices.Equal(q, []uint64{4, 5, 6}) {
			t.Fatalf("queue after Replace: %v, want the whole list [4 5 6]", q)
		}
		poll.Until(t, "track 5 playing (the start of Replace)", playingFile(p, 5))
		if st := p.Status(); st.Index != 1 || st.Undos != 1 {
			t.Fatalf("after Replace: index %d, undos %d; want 1 and 1", st.Index, st.Undos)
		}

		p.Undo()
		if q := fileIDs(p.Queue()); !slices.Equal(q, []uint64{1, 2, 3}) {
			t.Fatalf("queue after Undo: %v, want [1 2 3]", q)
		}
		poll.Until(t, "track 2 playing again", playingFile(p, 2))
		st := p.Status()
		if st.Index != 1 || st.Position < 4*time.Second || st.Undos != 0 {
			t.Fatalf("after Undo: index %d at %v, undos %d; want index 1 from 4 s on, 0 undos", st.Index, st.Position, st.Undos)
		}
		p.Undo()
		if p.Status().Err == "" {
			t.Error("Undo with nothing to undo gave no sentence")
		}
	})
}

func TestQueueUndoClearAndRemove(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.Enqueue(tracks(1, 2, 3))
		p.PlayIndex(0)
		poll.Until(t, "track 1 playing", playingFile(p, 1))

		p.Remove(2) // not the playing one: playback untouched
		p.Undo()
		if q := fileIDs(p.Queue()); !slices.Equal(q, []uint64{1, 2, 3}) {
			t.Fatalf("queue after Remove(2), Undo: %v", q)
		}
		if st := p.Status(); st.State == Stopped || st.Track.FileID != 1 {
			t.Fatalf("undoing a remove disturbed playback: %+v", st)
		}

		p.Clear()
		if st := p.Status(); st.State != Stopped || len(p.Queue()) != 0 || st.Undos != 1 {
			t.Fatalf("after Clear: %+v, queue %v", st, p.Queue())
		}
		p.Undo()
		st := p.Status()
		if q := fileIDs(p.Queue()); !slices.Equal(q, []uint64{1, 2, 3}) {
			t.Fatalf("queue after Clear, Undo: %v", q)
		}
		if st.State != Paused || st.Index != 0 {
			t.Fatalf("after undoing Clear: %v at index %d, want paused at track 1", st.State, st.Index)
		}
		p.Play()
		poll.Until(t, "track 1 playing after Play", playingFile(p, 1))

		for range maxUndo + 3 {
			p.Remove(0)
			p.Undo()
			p.Remove(1)
		}
		if n := p.Status().Undos; n > maxUndo {
			t.Errorf("the undo stack holds %d, over %d", n, maxUndo)
		}
	})
}

func TestQueueRemovePlayingGoesOn(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.Replace(tracks(1, 2, 3), 0)
		poll.Until(t, "track 1 playing", playingFile(p, 1))
		p.Remove(0)
		poll.Until(t, "track 2 playing after removing track 1", playingFile(p, 2))
		if st := p.Status(); st.Index != 0 {
			t.Errorf("index after Remove: %d, want 0", st.Index)
		}

		p.Pause()
		p.Remove(0) // paused: the follower waits, paused, at its start
		st := p.Status()
		if st.State != Paused || st.Track.FileID != 3 || st.Position != 0 {
			t.Fatalf("removing the paused track: %v, file %d at %v; want paused at file 3, 0:00", st.State, st.Track.FileID, st.Position)
		}
		p.Toggle()
		poll.Until(t, "track 3 playing after resume", playingFile(p, 3))

		p.Remove(0) // the last one: stops
		if st := p.Status(); st.State != Stopped || len(p.Queue()) != 0 {
			t.Fatalf("removing the last track: %+v", st)
		}
		p.Undo() // it comes back, paused where it was
		if st := p.Status(); st.State != Paused || st.Track.FileID != 3 {
			t.Fatalf("undo of removing the last track: %v file %d", st.State, st.Track.FileID)
		}
	})
}

func TestQueueReplaceWithShuffle(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		secs := map[uint64]float64{}
		var ids []uint64
		for id := uint64(1); id <= 6; id++ {
			secs[id] = 60
			ids = append(ids, id)
		}
		lib := toneLib(secs)
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.SetShuffle(true)
		p.Replace(tracks(ids...), 4)
		poll.Until(t, "the start track (5) playing first with shuffle on", playingFile(p, 5))
		if q := fileIDs(p.Queue()); !slices.Equal(q, ids) {
			t.Fatalf("shuffle changed the displayed queue: %v", q)
		}
		seen := map[uint64]bool{5: true}
		for range 5 {
			p.Next()
			id := p.Status().Track.FileID
			if seen[id] {
				t.Fatalf("shuffle played file %d twice (seen %v)", id, seen)
			}
			seen[id] = true
		}
		p.Undo() // the queue before was empty: nothing to undo
		if len(p.Queue()) != len(ids) {
			t.Errorf("Undo of a Replace over an empty queue changed it: %v", fileIDs(p.Queue()))
		}
	})
}

func TestQueueReplaceRepeat(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 0.3, 2: 0.3, 3: 0.3})
		p := newTestPlayer(t, lib, newCapture(rate, 4))
		p.SetRepeat(RepeatAll)
		p.Replace(tracks(1, 2, 3), 2)
		poll.Until(t, "five tracks opened", func() bool { return len(lib.openedIDs()) >= 5 })
		if got := lib.openedIDs()[:5]; !slices.Equal(got, []uint64{3, 1, 2, 3, 1}) {
			t.Errorf("repeat all from the third track opened %v, want [3 1 2 3 1]", got)
		}
		p.SetRepeat(RepeatOne)
		n := len(lib.openedIDs())
		poll.Until(t, "two more", func() bool { return len(lib.openedIDs()) >= n+2 })
		if got := lib.openedIDs()[n:]; got[0] != got[1] {
			t.Errorf("repeat one opened %v", got)
		}
	})
}

func TestQueueNotesDurations(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 3, 2: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.Replace(tracks(1, 2), 0)
		poll.Until(t, "track 1's duration in the queue", func() bool { return p.Queue()[0].Duration == 3*time.Second })
		if d := p.Queue()[1].Duration; d != 0 {
			t.Errorf("track 2 has a duration (%v) before it played", d)
		}
	})
}

func TestQueueMoveKeepsPlaying(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.Replace(tracks(1, 2, 3), 0)
		poll.Until(t, "track 1 playing", playingFile(p, 1))
		p.Move(0, 2)
		if q := fileIDs(p.Queue()); !slices.Equal(q, []uint64{2, 3, 1}) {
			t.Fatalf("after Move(0,2): %v", q)
		}
		if st := p.Status(); st.Index != 2 || st.Track.FileID != 1 || st.State == Stopped {
			t.Fatalf("the playing track did not move with its entry: %+v", st)
		}
		p.Next() // at the end now: stops (repeat off)
		poll.Until(t, "stopped after the last", func() bool { return p.Status().State == Stopped })
	})
}

// A move or jump to the largest index a client can send is refused with
// the position as a person counts it, not an overflowed negative one.
func TestQueueMovePastTheEndSaysThePosition(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.Replace(tracks(1, 2), 0)
		p.Move(0, math.MaxInt)
		if got, want := p.Status().Err, "Cannot move track 1 to 9223372036854775808: the queue has 2 tracks."; got != want {
			t.Errorf("move to MaxInt: %q, want %q", got, want)
		}
		p.PlayIndex(math.MaxInt)
		if got, want := p.Status().Err, "There is no track 9223372036854775808 in the queue."; got != want {
			t.Errorf("play MaxInt: %q, want %q", got, want)
		}
	})
}

// unknownLater is a track stream that does not know its duration (a
// stream reopened at a second, as a bitrate change does, may never learn
// it).
type unknownLater struct{ *fakeTrack }

func (unknownLater) Duration() time.Duration { return 0 }

// The duration known once stays shown: after a bitrate change mid-track
// (the reopened stream knows none; the progress bar was gone until the
// next track), and for a track cued from the session (it showed 0:00 and
// no duration).
func TestDurationKeptAcrossReopen(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60})
		p, err := newPlayer(Config{Links: noLinks{}, Output: newCapture(rate, 1), Volume: 100},
			func(id uint64, start time.Duration, o StreamOptions) trackStream {
				ts := lib.open(id, start, o)
				if start > 0 {
					return unknownLater{ts.(*fakeTrack)}
				}
				return ts
			})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		p.Replace(tracks(1, 2), 0)
		poll.Until(t, "track 1 playing past 2 s", func() bool { st := p.Status(); return st.State == Playing && st.Position > 2*time.Second })
		p.SetBitrate(96)
		poll.Until(t, "track 1 reopened", func() bool { st := p.Status(); return st.Bitrate == 96 && st.State == Playing })
		if d := p.Status().Duration; d != 60*time.Second {
			t.Errorf("after a bitrate change the duration is %v, want 60s", d)
		}

		q := p.Queue()
		c, err := newPlayer(Config{Links: noLinks{}, Output: newCapture(rate, 1), Volume: 100}, lib.open)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Enqueue(q)
		c.Cue(0, 20*time.Second)
		if st := c.Status(); st.State != Paused || st.Position != 20*time.Second || st.Duration != 60*time.Second {
			t.Errorf("a cued track: %v at %v of %v, want paused at 20s of 1m0s", st.State, st.Position, st.Duration)
		}
	})
}

// TestUndoHoldsBoundedTracks: ten Replaces of a 100,000-track queue keep
// at most maxUndoEntries tracks in the undo snapshots (they held 1,000,000
// before, ~100 MB), and Undo still takes back the latest change.
func TestUndoHoldsBoundedTracks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := newTestPlayer(t, toneLib(map[uint64]float64{1: 60}), newCapture(rate, 1))
		big := make([]Track, 100_000)
		for i := range big {
			big[i] = Track{FileID: uint64(i + 1), Name: "t.mp3"}
		}
		for i := range 11 {
			big[0].FileID = uint64(1_000_000 + i) // tell the queues apart
			p.Replace(big, -1)
		}
		held := 0
		p.mu.Lock()
		for _, s := range p.q.undo {
			held += len(s.items)
		}
		p.mu.Unlock()
		if held > maxUndoEntries {
			t.Fatalf("the undo snapshots hold %d tracks, more than %d", held, maxUndoEntries)
		}
		if st := p.Status(); st.Undos != maxUndoEntries/len(big) {
			t.Fatalf("%d undos, want %d", st.Undos, maxUndoEntries/len(big))
		}
		p.Undo()
		if q := p.Queue(); len(q) != len(big) || q[0].FileID != 1_000_000+9 {
			t.Fatalf("after Undo: %d tracks, the first %d; want the queue before the last Replace", len(q), q[0].FileID)
		}
		p.Replace(tracks(1), 0) // a small queue: a snapshot of the big one, the older go
		p.Undo()
		if q := p.Queue(); len(q) != len(big) {
			t.Fatalf("Undo after a small Replace: %d tracks", len(q))
		}
	})
}
