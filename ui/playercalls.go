package ui

import (
	"context"
	"strings"
	"sync"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

// playerCalls makes the calls on [player.Controller] from tea.Cmds, so that
// [Model.Update] never waits (attached to the engine, each call is a socket write
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

// Reattacher is optionally implemented by a [Options.Player] that lives in another
// process (the background engine's client). Lost reports that the process
// went away under the UI (not that the UI left it); [Reattacher.Reattach] finds or
// starts one and attaches to it (the new one restores the saved session).
// Reattach may take seconds: the UI calls it from a Cmd.
type Reattacher interface {
	Lost() bool
	Reattach(ctx context.Context) error
}

// reattachedMsg is the end of a [Reattacher.Reattach]; err nil: attached again.
type reattachedMsg struct{ err error }

// isLost reports whether the player is a [Reattacher] whose process went
// away (from a Cmd: it takes the client's lock).
func isLost(p player.Controller) bool {
	r, ok := p.(Reattacher)
	return ok && r.Lost()
}

// reattach starts the Reattach of the player's process (a key pressed
// while it is lost) and says so.
func (m *model) reattach() tea.Cmd {
	r, ok := m.e.o.Player.(Reattacher)
	if !ok {
		return nil
	}
	m.bar.engine = engineStarting
	ctx := m.e.ctx
	return tea.Batch(m.bar.hold("Starting the pcplay engine…", false), func() tea.Msg {
		return reattachedMsg{r.Reattach(ctx)}
	})
}

// onReattached takes the end of a Reattach: attached again, the player is
// subscribed to afresh (the lost connection's subscription has closed);
// else the reason is shown, and the next key tries again.
func (m *model) onReattached(msg reattachedMsg) tea.Cmd {
	if msg.err != nil {
		m.bar.engine = engineLost
		why := []rune(strings.TrimSuffix(msg.err.Error(), "."))
		if len(why) > 0 {
			why[0] = unicode.ToUpper(why[0])
		}
		return m.bar.hold(string(why)+"; press any key to try again.", true)
	}
	m.bar.engine = engineUp
	return tea.Batch(m.subscribe(), m.bar.show("The pcplay engine runs again.", false))
}

// engineState is whether the player's process (the background engine) is
// there: see [Reattacher].
type engineState int

const (
	engineUp       engineState = iota
	engineLost                 // it went away; the next key starts one
	engineStarting             // a Reattach runs
)

// engineLostText is said once when the engine goes away under the UI.
const engineLostText = "The pcplay engine stopped; press any key to start it again."

// engineGone takes the last Status of a player whose process went away
// (closed: the subscription ended without one): nothing plays, and the
// status line says so once, until the next key.
func (b *statusBar) engineGone(st player.Status, closed bool) tea.Cmd {
	if !closed {
		b.st = st
		b.lastErr = st.Err
	}
	b.st.State = player.Stopped
	if b.engine != engineUp {
		return nil
	}
	b.engine = engineLost
	return b.hold(engineLostText, true)
}
