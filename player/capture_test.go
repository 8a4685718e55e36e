package player

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/pcplay/pcplay/internal/poll"
)

// capture is the tests' output: it pulls at speed× real time (0: as fast as
// it can) and keeps every sample in memory.
type capture struct {
	*pacer
	mu      sync.Mutex
	samples [][2]float64
	grew    chan struct{}
	pulls   atomic.Int64 // Stream calls begun on the mixer
	chunks  int64        // chunks captured (under mu)
	// discard (set before the player starts) keeps no samples, only the
	// count of chunks: for a test that reads nothing of the output and
	// plays minutes of virtual time (minutes of kept silence cost hundreds
	// of MB and most of the test's real time).
	discard bool
}

// Start pulls mix, counting the pulls begun.
func (c *capture) Start(mix beep.Streamer) error {
	return c.pacer.Start(countedPulls{mix, c})
}

type countedPulls struct {
	beep.Streamer
	c *capture
}

func (p countedPulls) Stream(s [][2]float64) (int, bool) {
	p.c.pulls.Add(1)
	return p.Streamer.Stream(s)
}

// waitPulled waits until every pull begun so far is in the capture. Called
// once the last track has ended (the player says Stopped), it makes sure the
// capture holds the track's last samples: the pull that took them from the
// mixer had begun, and pulls land in order.
func (c *capture) waitPulled(t testing.TB) {
	t.Helper()
	begun := c.pulls.Load()
	poll.Until(t, "the output's pulls to land", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.chunks >= begun
	})

}

// newCapture makes a capture output.
func newCapture(rate int, speed float64) *capture {
	c := &capture{grew: make(chan struct{})}
	c.pacer = newPacer(rate, speed, 10*time.Millisecond, c.add)
	return c
}

func (c *capture) add(s [][2]float64) error {
	c.mu.Lock()
	if !c.discard {
		c.samples = append(c.samples, s...)
	}
	c.chunks++
	close(c.grew)
	c.grew = make(chan struct{})
	c.mu.Unlock()
	return nil
}

// Samples is a copy of everything captured so far.
func (c *capture) Samples() [][2]float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][2]float64(nil), c.samples...)
}

// SamplesFrom is a copy of the samples captured from index i on.
func (c *capture) SamplesFrom(i int) [][2]float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	i = max(0, min(i, len(c.samples)))
	return append([][2]float64(nil), c.samples[i:]...)
}

// Len is the number of samples captured so far.
func (c *capture) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.samples)
}

// WaitSamples waits until at least n samples were captured; false on timeout.
func (c *capture) WaitSamples(n int, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		have, grew := len(c.samples), c.grew
		c.mu.Unlock()
		if have >= n {
			return true
		}
		select {
		case <-grew:
		case <-deadline.C:
			return false
		}
	}
}

// Latency is zero: what is pulled is what is captured.
func (c *capture) Latency() time.Duration { return 0 }

// Close stops pulling.
func (c *capture) Close() error { return c.stop() }
