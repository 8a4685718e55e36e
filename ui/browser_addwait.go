package ui

import (
	tea "charm.land/bubbletea/v2"
)

// addWait is a folder to add (a, E) whose recursive listing waits for
// pCloud (retry.go). One waits at a time: a newer one replaces it, saying
// so.
type addWait struct {
	outage
	id   uint64
	name string
	next bool
}

// waitAdd starts or goes on with the wait of an add that failed because
// of pCloud or the network.
func (b *browser) waitAdd(msg addMsg) tea.Cmd {
	var gaveUp tea.Cmd
	w := b.adding
	if msg.gen == 0 || w == nil {
		if w != nil {
			gaveUp = notice("Gave up adding "+w.name+" (pCloud unreachable); add it again later", true)
		}
		b.waitGen++
		w = &addWait{outage: outage{kind: waitAdd, gen: b.waitGen}, id: msg.id, name: msg.name, next: msg.next}
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
	return b.listAdd(w.id, w.name, w.next, w.gen)
}

// addLine is the waiting line of an add, or "".
func (b *browser) addLine() string {
	if b.adding == nil {
		return ""
	}
	return "Adding " + b.adding.name + ": " + b.adding.text(b.now())
}
