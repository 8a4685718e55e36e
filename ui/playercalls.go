package ui

import (
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

// playerCalls makes the calls on player.Controller from tea.Cmds, so that
// Update never waits (attached to the engine, each call is a socket write
// with a deadline). bubbletea runs Cmds concurrently, so Update only queues
// a call and returns drain: whichever drain runs first makes every queued
// call, one at a time, in the order Update queued them. A burst of keys (a
// run of seeks, volume steps) reaches the player in the order it was typed.
type playerCalls struct {
	p       player.Controller
	mu      sync.Mutex // guards pending
	pending []func(player.Controller)
	run     sync.Mutex // one drain at a time
}

// call queues f and returns the Cmd that makes it; nil without a player.
func (c *playerCalls) call(f func(player.Controller)) tea.Cmd {
	if c == nil || c.p == nil {
		return nil
	}
	c.mu.Lock()
	c.pending = append(c.pending, f)
	c.mu.Unlock()
	return c.drain
}

// drain makes the queued calls in order. The Controller reports failures
// through its Status, so there is no message to return.
func (c *playerCalls) drain() tea.Msg {
	c.run.Lock()
	defer c.run.Unlock()
	for {
		c.mu.Lock()
		if len(c.pending) == 0 {
			c.mu.Unlock()
			return nil
		}
		f := c.pending[0]
		c.pending[0] = nil
		c.pending = c.pending[1:]
		c.mu.Unlock()
		f(c.p)
	}
}
