package player

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

// A restored session: the track is current and paused at the saved second,
// nothing is streamed until Play, and Play starts there with one start=
// request.
func TestCueRestoresPausedAtSecond(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newHTTPRig(t, 4, "a128", "b128")
		r.p.Enqueue(r.tracks("a128", "b128"))
		r.env.srv.ResetLog()
		r.p.Cue(1, 7*time.Second+400*time.Millisecond)

		st := r.p.Status()
		if st.State != Paused || st.Index != 1 || st.Position != 7*time.Second+400*time.Millisecond {
			t.Fatalf("after Cue: state %v index %d position %v, want paused at 1, 7.4s", st.State, st.Index, st.Position)
		}
		r.p.SeekBy(2 * time.Second) // a seek while cued moves the cue point
		if st := r.p.Status(); st.State != Paused || st.Position != 9*time.Second+400*time.Millisecond {
			t.Fatalf("after SeekBy while cued: state %v position %v, want paused at 9.4s", st.State, st.Position)
		}
		r.mu.Lock()
		opened := len(r.opened)
		r.mu.Unlock()
		if opened != 0 {
			t.Fatalf("Cue opened %d track streams; it must not open the stream", opened)
		}

		r.p.Toggle()
		poll.Until(t, "playing after Toggle", func() bool { return r.p.Status().State == Playing })
		if starts := r.env.starts(); !slices.Equal(starts, []string{"9"}) {
			t.Errorf("stream requests after Play: start=%q, want one start=9", starts)
		}
		n := r.out.Len()
		poll.Until(t, "a second of sound", func() bool { return r.out.Len() > n+44100*3/2 })
		got := seconds(r.track(0).played(), "b128")
		if len(got) == 0 || got[0] != 9 {
			t.Errorf("after Play from the cue heard seconds %v of b128, want from 9", got)
		}
	})
}

func TestCueOutOfRangeAndClearedByStop(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newHTTPRig(t, 4, "a128")
		r.p.Enqueue(r.tracks("a128"))
		r.p.Cue(5, time.Second) // no such track: nothing changes
		if st := r.p.Status(); st.State != Stopped {
			t.Fatalf("Cue out of range: state %v, want stopped", st.State)
		}
		r.p.Cue(0, 3*time.Second)
		r.p.Stop()
		if st := r.p.Status(); st.State != Stopped || st.Position != 0 {
			t.Fatalf("Stop after Cue: state %v position %v, want stopped at 0", st.State, st.Position)
		}
	})
}
