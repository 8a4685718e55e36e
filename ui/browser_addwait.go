package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// addWait is a folder or a whole playlist to add (a, E, or A to a
// playlist) whose reading waits for pCloud (retry.go). One waits at a time
// in a view: a newer one replaces it, saying so. The browser's wait for a
// folder and the Playlists view's for a playlist (playlists_wait.go) are
// this one; try is how each reads again.
type addWait struct {
	outage
	name string         // what is added, as said
	pick bool           // A: for a playlist, not the queue
	try  func() tea.Cmd // the next try, in this wait (its gen)
}

// startAdd makes the wait (kind, gen) of the add of name (pick: for A),
// which try reads again, the one in *cur; it says so when it replaces one.
func startAdd(cur **addWait, kind waitKind, gen uint64, name string, pick bool, try func() tea.Cmd) tea.Cmd {
	var gaveUp tea.Cmd
	if *cur != nil {
		gaveUp = notice((*cur).gaveUp(), true)
	}
	*cur = &addWait{outage: outage{kind: kind, gen: gen}, name: name, pick: pick, try: try}
	return gaveUp
}

// doing is what the add is doing, in words.
func (w *addWait) doing() string {
	if w.pick {
		return "Reading " + w.name + " for a playlist"
	}
	return "Adding " + w.name
}

// gaveUp says that a newer wait replaced this one.
func (w *addWait) gaveUp() string {
	if w.pick {
		return "Gave up reading " + w.name + " for a playlist (pCloud unreachable); try again later"
	}
	return "Gave up adding " + w.name + " (pCloud unreachable); add it again later"
}

// onTick counts down, and reads again when the wait is over.
func (w *addWait) onTick(msg retryTickMsg, e *env, now time.Time) tea.Cmd {
	again, cmd := w.ticked(msg, now, e)
	if !again {
		return cmd
	}
	return w.retry()
}

// retry reads again at once (R), unless a try is under way.
func (w *addWait) retry() tea.Cmd {
	if w == nil || w.inFlight {
		return nil
	}
	w.trying()
	return w.try()
}

// line is the waiting line of an add, or "" (w nil).
func (w *addWait) line(now time.Time) string {
	if w == nil {
		return ""
	}
	return w.doing() + ": " + w.text(now)
}

// waitAdd starts or goes on with the wait of an add that failed because
// of pCloud or the network.
func (b *browser) waitAdd(msg addMsg) tea.Cmd {
	var gaveUp tea.Cmd
	if msg.gen == 0 || b.adding == nil {
		b.waitGen++
		to := addMsg{id: msg.id, name: msg.name, next: msg.next, pick: msg.pick, gen: b.waitGen}
		gaveUp = startAdd(&b.adding, waitAdd, b.waitGen, msg.name, msg.pick, func() tea.Cmd { return b.listAdd(to) })
	}
	return tea.Batch(gaveUp, b.adding.again(msg.err, b.e, b.now()))
}

// onAddTick counts down, and lists the folder again when the wait is over.
func (b *browser) onAddTick(msg retryTickMsg) tea.Cmd {
	if b.adding == nil {
		return nil
	}
	return b.adding.onTick(msg, b.e, b.now())
}

// addLine is the waiting line of an add, or "".
func (b *browser) addLine() string { return b.adding.line(b.now()) }
