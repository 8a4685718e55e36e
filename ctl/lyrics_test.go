//go:build unix

package ctl

import (
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

// An engine that keeps no lyrics (one from before them, as this rig's
// bare player is) sends no lyrics state: ctl lyrics says so after
// olderWait (5 s), where it waited for lyricsWait (30 s) before.
func TestCtlLyricsFromAnOlderEngine(t *testing.T) {
	r := newRig(t)
	r.p.Enqueue(r.tracks("a128"))
	r.p.PlayIndex(0)
	poll.Until(t, "a128 playing", func() bool { return r.p.Status().State == player.Playing })
	lyricsWait, olderWait = time.Hour, 200*time.Millisecond // the old code waits for the lyrics for ever
	t.Cleanup(func() { lyricsWait, olderWait = 30*time.Second, 5*time.Second })
	_, err := r.ctl(t, nil, "lyrics")
	if err == nil || !strings.Contains(err.Error(), "pcplay stop, then start it again") {
		t.Fatalf("ctl lyrics against an engine without lyrics: %v, want the older-engine sentence", err)
	}
}
