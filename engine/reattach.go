package engine

import (
	"context"
	"errors"

	"github.com/pcplay/pcplay/player"
)

// Lost reports whether the engine went away under this client: the
// connection ended, and not because the client was closed. An attached UI
// then says so and may Reattach.
func (c *Client) Lost() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ended && !c.closed
}

// Reattach connects this client to the running engine again, starting one
// as Ensure does (with the same options) when none runs: a new engine
// restores the saved session. It is for a Client that Ensure made and whose
// engine went away (Lost); the subscriptions of the old connection have
// closed, so callers Subscribe again. A client attached to an engine, or
// closed, is left as it is.
func (c *Client) Reattach(ctx context.Context) error {
	c.mu.Lock()
	o, ended, closed := c.restart, c.ended, c.closed
	c.mu.Unlock()
	switch {
	case closed:
		return errors.New("the connection to the pcplay engine was closed")
	case !ended:
		return nil
	case o == nil:
		return errors.New("this connection cannot start a pcplay engine")
	}
	_, started, err := ensure(ctx, *o, c.redial)
	if err == nil {
		c.mu.Lock()
		c.started = started
		c.mu.Unlock()
		c.MarkUI()
	}
	return err
}

// redial connects to the engine at path and makes it this client's: the
// engine's hello, status and queue replace the old ones, and a reader runs
// on the new connection.
func (c *Client) redial(ctx context.Context, path string) (*Client, error) {
	n, r, err := dial(ctx, path)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.nc, c.engine, c.st, c.q, c.qgen, c.building = n.nc, n.engine, n.st, n.q, n.qgen, nil
	c.hub, c.done = new(player.Hub), n.done
	c.ended, c.why = false, ""
	c.mu.Unlock()
	go c.read(r)
	return c, nil
}
