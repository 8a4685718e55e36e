package engine

import (
	"errors"

	"github.com/pcplay/pcplay/player"
)

// CheckCtl reports a mistake in a ctl command line (a *CtlError) without
// an engine: usage errors are found before looking for one.
func CheckCtl(args []string) error {
	if known, _, _, err := queueCtl(args); known {
		return err
	}
	_, _, err := parseCtl(args, player.Status{})
	var ce *CtlError
	if errors.As(err, &ce) {
		return err
	}
	return nil
}

// NotYoursError is Find's error when an engine's socket is there but this
// user may not use it (it belongs to another user, or its directory can't
// be read): not "no engine".
type NotYoursError struct{ Path string }

func (e *NotYoursError) Error() string {
	return "the pcplay engine's socket " + e.Path + " belongs to another user (or this user may not open it); run pcplay as the user who started the engine"
}
