package engine

import (
	"errors"
	"fmt"
)

// doQueue carries out the queue commands of issue 13 (replace, undo),
// checking their fields first: a line that makes no sense is an error.
func (c *conn) doQueue(r request) error {
	p := c.s.p
	switch r.Cmd {
	case "replace":
		if len(r.Tracks) == 0 {
			return errors.New("replace without tracks")
		}
		if r.Index < -1 || r.Index >= len(r.Tracks) {
			return fmt.Errorf("replace: start %d is outside the %d tracks", r.Index, len(r.Tracks))
		}
		p.Replace(r.Tracks, r.Index)
	case "undo":
		p.Undo()
	}
	return nil
}
