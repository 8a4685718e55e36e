package player

import (
	"sync"
	"time"
)

// capture is the tests' output: it pulls at speed× real time (0: as fast as
// it can) and keeps every sample in memory.
type capture struct {
	*pacer
	mu      sync.Mutex
	samples [][2]float64
	grew    chan struct{}
}

// newCapture makes a capture output.
func newCapture(rate int, speed float64) *capture {
	c := &capture{grew: make(chan struct{})}
	c.pacer = newPacer(rate, speed, 10*time.Millisecond, c.add)
	return c
}

func (c *capture) add(s [][2]float64) error {
	c.mu.Lock()
	c.samples = append(c.samples, s...)
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
