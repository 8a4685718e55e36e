package engine

// doQueue carries out the queue commands of issue 13 (replace, undo); their
// fields were checked by request.validate.
func (c *conn) doQueue(r request) error {
	p := c.s.p
	switch r.Cmd {
	case "replace":
		p.Replace(r.Tracks, r.Index)
	case "undo":
		p.Undo()
	}
	return nil
}
