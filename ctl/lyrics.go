package ctl

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/lyrics"
	"github.com/pcplay/pcplay/player"
)

// How long ctl waits for the engine's lyrics: for `ctl lyrics`, the search
// (pCloud, then LRCLIB), and the state an engine with lyrics sends right
// after the status (else it is an older one); for `status --json`, that
// state.
var (
	lyricsWait = 30 * time.Second
	olderWait  = 5 * time.Second
	stateWait  = time.Second
)

// errOldEngine says that the engine running is from before lyrics.
var errOldEngine = errors.New("the running engine does not look lyrics up (an older pcplay: pcplay stop, then start it again)")

// lyricsFor is the engine's lyrics state for what ctl shows: for `ctl
// lyrics` once the playing track's are found (or known to be missing), for
// `status --json` as the engine sent it; none for the rest.
func lyricsFor(ctx context.Context, c *engine.Client, what command.Show) (lyrics.State, error) {
	switch what {
	case command.ShowStatusJSON:
		wctx, cancel := context.WithTimeout(ctx, stateWait)
		defer cancel()
		st, _ := c.WaitLyrics(wctx, func(_ lyrics.State, seen bool) bool { return seen })
		if !st.Following && c.Status().Index >= 0 {
			// The engine looks lyrics up once asked: a script polling
			// status --json asks, and has lyrics_line from the state
			// the engine sends (this time when the lookup is quick).
			c.Call("lyrics", command.Request{})
			st, _ = c.WaitLyrics(wctx, func(st lyrics.State, _ bool) bool {
				return st.Settled(c.Status().Track.FileID)
			})
		}
		return st, nil
	case command.ShowLyrics:
		now := c.Status()
		if now.Index < 0 {
			return lyrics.State{}, errors.New("nothing is playing")
		}
		// An engine that keeps lyrics sends their state right after the
		// status; one from before lyrics sends none.
		sctx, scancel := context.WithTimeout(ctx, olderWait)
		_, err := c.WaitLyrics(sctx, func(_ lyrics.State, seen bool) bool { return seen })
		scancel()
		if errors.Is(err, context.DeadlineExceeded) {
			return lyrics.State{}, errOldEngine
		}
		wctx, cancel := context.WithTimeout(ctx, lyricsWait)
		defer cancel()
		st, err := c.WaitLyrics(wctx, func(st lyrics.State, _ bool) bool {
			return st.Settled(c.Status().Track.FileID)
		})
		switch {
		case err == nil:
		case errors.Is(err, context.DeadlineExceeded) && !st.Following:
			return st, errOldEngine
		case errors.Is(err, context.DeadlineExceeded):
			return st, errors.New("the lyrics did not come within " + lyricsWait.String() + " (pCloud slow or unreachable); try again")
		default:
			return st, err
		}
		if st.Lyrics.Empty() {
			return st, errors.New(textsafe.Line(st.Missing()))
		}
		return st, nil
	}
	return lyrics.State{}, nil
}

// lyricsText is `ctl lyrics`: the text, a line a line, each made safe for
// a terminal.
func lyricsText(ly lyrics.State) string {
	var b strings.Builder
	for _, l := range ly.Lyrics.TextLines() {
		b.WriteString(textsafe.Line(l))
		b.WriteByte('\n')
	}
	return b.String()
}

// LyricsLine is `lyrics_line` of `ctl status --json`: the synced line at
// the position of the playing track; nil without synced lyrics of it.
func LyricsLine(st player.Status, ly lyrics.State) *string {
	if st.Index < 0 {
		return nil
	}
	text, _, ok := ly.Line(st.Track.FileID, st.Position)
	if !ok {
		return nil
	}
	return &text
}
