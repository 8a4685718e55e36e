package player

import (
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

// waitDeadline is how long a test waits for a condition before it fails:
// generous, for a loaded machine and -race. No test asserts a duration.
const waitDeadline = poll.Patience

// waitStatus reads status events from ev until cond holds for one; the test
// fails when ev closes or at waitDeadline. cond sees every event read, so it
// may also collect what passes (errors, states).
func waitStatus(t testing.TB, ev <-chan Status, what string, cond func(Status) bool) Status {
	t.Helper()
	deadline := time.NewTimer(waitDeadline)
	defer deadline.Stop()
	var last Status
	for {
		select {
		case st, ok := <-ev:
			if !ok {
				t.Fatalf("the events ended before %s; last status %+v", what, last)
			}
			last = st
			if cond(st) {
				return st
			}
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; last status %+v", what, last)
		}
	}
}
