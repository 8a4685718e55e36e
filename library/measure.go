package library

import (
	"context"
	"sync"
	"time"
)

// Measurer finds a track's duration from the first bytes of its stream
// (the Xing/Info header, or the stream's length at its bitrate).
type Measurer func(ctx context.Context, fileID uint64) (time.Duration, error)

// measureInFlight is the most streams measured at once.
const measureInFlight = 2

// measurer is the keeper's background measuring of durations: the tracks
// asked for, each tried once per run, a few at a time.
type measurer struct {
	mu    sync.Mutex
	tried map[uint64]bool
	queue []uint64
}

// Measure asks for the durations of tracks not measured yet (the album on
// screen); they are measured in the background with
// [KeeperOptions.Measure], a few at a time, and recorded as if played. A
// track already measured or tried in this run is skipped. Without a
// [Measurer] it does nothing.
func (k *Keeper) Measure(fileIDs []uint64) {
	if k.o.Measure == nil {
		return
	}
	m := &k.meas
	m.mu.Lock()
	if m.tried == nil {
		m.tried = map[uint64]bool{}
	}
	for _, id := range fileIDs {
		if id != 0 && !m.tried[id] {
			m.tried[id] = true
			m.queue = append(m.queue, id)
		}
	}
	m.mu.Unlock()
	select {
	case k.measWake <- struct{}{}:
	default:
	}
}

func (k *Keeper) nextToMeasure() (uint64, bool) {
	m := &k.meas
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.queue) == 0 {
		return 0, false
	}
	id := m.queue[0]
	m.queue = m.queue[1:]
	if len(m.queue) > 0 { // another worker may take the next
		select {
		case k.measWake <- struct{}{}:
		default:
		}
	}
	return id, true
}

// measuring runs a measuring worker until ctx ends.
func (k *Keeper) measuring(ctx context.Context) {
	for {
		id, ok := k.nextToMeasure()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-k.measWake:
				continue
			}
		}
		if t, found, err := k.lib.Track(ctx, id); err != nil || !found || t.Duration > 0 {
			continue
		}
		mctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		d, err := k.o.Measure(mctx, id)
		cancel()
		if err == nil && d > 0 {
			k.Played(id, d)
		}
	}
}
