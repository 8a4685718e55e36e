package ui

import (
	tea "charm.land/bubbletea/v2"
)

// addWait is a folder to add (a, E, or A to a playlist) whose recursive
// listing waits for pCloud (retry.go). One waits at a time: a newer one
// replaces it, saying so.
type addWait struct {
	outage
	to addMsg // the add: its folder, name, next and pick
}

// doing is what the add is doing, in words.
func (w *addWait) doing() string {
	if w.to.pick {
		return "Reading " + w.to.name + " for a playlist"
	}
	return "Adding " + w.to.name
}

// gaveUp says that a newer wait replaced this one.
func (w *addWait) gaveUp() string {
	if w.to.pick {
		return "Gave up reading " + w.to.name + " for a playlist (pCloud unreachable); try again later"
	}
	return "Gave up adding " + w.to.name + " (pCloud unreachable); add it again later"
}

// waitAdd starts or goes on with the wait of an add that failed because
// of pCloud or the network.
func (b *browser) waitAdd(msg addMsg) tea.Cmd {
	var gaveUp tea.Cmd
	w := b.adding
	if msg.gen == 0 || w == nil {
		if w != nil {
			gaveUp = notice(w.gaveUp(), true)
		}
		b.waitGen++
		w = &addWait{outage: outage{kind: waitAdd, gen: b.waitGen}, to: addMsg{id: msg.id, name: msg.name, next: msg.next, pick: msg.pick, gen: b.waitGen}}
		b.adding = w
	}
	w.failed(msg.err, b.e.retryBase(), b.now())
	return tea.Batch(gaveUp, w.arm(b.e, b.now()))
}

// onAddTick counts down, and lists the folder again when the wait is over.
func (b *browser) onAddTick(msg retryTickMsg) tea.Cmd {
	w := b.adding
	if w == nil {
		return nil
	}
	again, cmd := w.ticked(msg, b.now(), b.e)
	if !again {
		return cmd
	}
	w.trying()
	return b.listAdd(w.to)
}

// addLine is the waiting line of an add, or "".
func (b *browser) addLine() string {
	if b.adding == nil {
		return ""
	}
	return b.adding.doing() + ": " + b.adding.text(b.now())
}
