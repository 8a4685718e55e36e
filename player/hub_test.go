package player

import (
	"context"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

func TestEventsLatestWins(t *testing.T) {
	var h Hub
	ctx, cancel := context.WithCancel(context.Background())
	ch := h.Subscribe(ctx, Status{Volume: 1})
	for v := 2; v <= 50; v++ {
		h.Publish(Status{Volume: v})
	}
	if s := <-ch; s.Volume != 50 {
		t.Errorf("slow reader got volume %d, want the latest, 50", s.Volume)
	}
	cancel()
	poll.Until(t, "the channel to close", func() bool {
		select {
		case _, ok := <-ch:
			return !ok
		default:
			return false
		}
	})

	if !visible(Status{Position: 900 * time.Millisecond}, Status{Position: time.Second}) {
		t.Error("a new whole second is not visible")
	}
	if visible(Status{Position: 100 * time.Millisecond}, Status{Position: 900 * time.Millisecond}) {
		t.Error("a change within one second is visible")
	}
}

func TestCloseClosesSubscribers(t *testing.T) {
	lib := toneLib(map[uint64]float64{1: 60})
	p := newTestPlayer(t, lib, newCapture(rate, 1))
	ch := p.Subscribe(context.Background())
	p.PlayNow(tracks(1))
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "the channel to close", func() bool {
		select {
		case _, ok := <-ch:
			return !ok
		default:
			return false
		}
	})

	p.Play() // after Close: no panic
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
