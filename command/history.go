package command

import (
	"context"
	"fmt"
	"strconv"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
)

// The listening history: the listens the scrobbler's rule counted
// (scrobble.Rules), kept by the host whether or not a service takes them.

// History counts: the history command answers HistoryDefault listens
// unless told how many, at most scrobble.HistoryMax.
const (
	HistoryDefault = 50
	HistoryMax     = scrobble.HistoryMax
)

// What ctl prints after history (apart from the other Shows: a number of
// their own, so that a Show added there does not collide).
const (
	ShowHistory     Show = 100 + iota // the listening history, a line a listen
	ShowHistoryJSON                   // the listening history, a JSON array
)

// HistoryTarget is a Target that keeps the listening history (the host).
type HistoryTarget interface {
	// History is the last n listens, newest first.
	History(ctx context.Context, n int) ([]scrobble.Listen, error)
}

// HistoryCount is how many listens a history request asks for (its
// Value; 0: HistoryDefault).
func HistoryCount(r Request) int {
	if r.Value <= 0 {
		return HistoryDefault
	}
	return r.Value
}

func checkHistory(_ string, r Request) error {
	if r.Value < 0 || r.Value > HistoryMax {
		return fmt.Errorf("history %d: the count is 1 to %d (0: %d)", r.Value, HistoryMax, HistoryDefault)
	}
	return nil
}

func doHistory(t Target, r Request) (Result, error) {
	ht, ok := t.(HistoryTarget)
	if !ok {
		return Result{History: []scrobble.Listen{}}, nil
	}
	ls, err := ht.History(context.Background(), HistoryCount(r))
	if err != nil {
		return Result{}, err
	}
	if ls == nil {
		ls = []scrobble.Listen{}
	}
	return Result{History: ls}, nil
}

// parseHistory reads `ctl history [N] [--json]`.
func parseHistory(line []string, _ player.Status) (CtlCall, error) {
	cc := CtlCall{Call: Call{Cmd: "history"}, Show: ShowHistory}
	seenN := false
	for _, a := range line[1:] {
		switch {
		case a == "--json" || a == "-json":
			cc.Show = ShowHistoryJSON
		case !seenN:
			n, err := strconv.ParseUint(a, 10, 31)
			if err != nil || n == 0 || n > HistoryMax {
				return CtlCall{}, usagef("ctl history %s: give how many listens to show, 1 to %d", Clip(a), HistoryMax)
			}
			cc.Value, seenN = int(n), true
		default:
			return CtlCall{}, usagef("ctl history takes a count and --json")
		}
	}
	return cc, nil
}
