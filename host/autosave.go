package host

import (
	"context"
	"time"

	"github.com/pcplay/pcplay/player"
)

// autosave.go is the host's periodic session save: a kill -9 or a power
// cut loses at most saveEvery of the position, and nothing of the queue.

const (
	// saveEvery is how often the session is saved while the position moves.
	saveEvery = 5 * time.Second
	// saveSoon is how soon it is saved after a change of track, queue,
	// state or setting (a burst of volume keys makes one save).
	saveSoon = time.Second
)

// savedState is what of a Status the session keeps, the position in whole
// seconds: two equal ones need no new save.
type savedState struct {
	index    int
	fileID   uint64
	queueGen uint64
	state    player.State
	volume   int
	shuffle  bool
	repeat   player.Repeat
	bitrate  int
	second   int64
}

func savedStateOf(st player.Status) savedState {
	return savedState{
		index: st.Index, fileID: st.Track.FileID, queueGen: st.QueueGen, state: st.State,
		volume: st.Volume, shuffle: st.Shuffle, repeat: st.Repeat, bitrate: st.Bitrate,
		second: int64(st.Position / time.Second),
	}
}

// autosave saves the session (save) while sub reports changes, until ctx
// ends or sub closes: saveSoon after a change other than the position,
// saveEvery while only the position moves. The timer runs only while
// something is unsaved, so a paused or stopped engine never wakes up for
// it. first is the state already on disk (the restored session).
func autosave(ctx context.Context, sub <-chan player.Status, first player.Status, every, soon time.Duration, save func()) {
	saved := savedStateOf(first)
	var (
		timer *time.Timer
		fire  <-chan time.Time
		due   time.Time
		last  = saved
	)
	arm := func(d time.Duration) {
		at := time.Now().Add(d)
		if fire != nil && !at.Before(due) {
			return // an earlier save is already due
		}
		if timer == nil {
			timer = time.NewTimer(d)
		} else {
			timer.Reset(d)
		}
		fire, due = timer.C, at
	}
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case st, ok := <-sub:
			if !ok {
				return
			}
			last = savedStateOf(st)
			switch {
			case last == saved:
			case last.second != saved.second && sameButPosition(last, saved):
				arm(every)
			default:
				arm(soon)
			}
		case <-fire:
			fire = nil
			if last != saved {
				save()
				saved = last
			}
		}
	}
}

// sameButPosition reports whether a and b differ at most in the second.
func sameButPosition(a, b savedState) bool {
	a.second = b.second
	return a == b
}
