package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// The Playlists view's list waits for pCloud as the browser's listings do
// (retry.go): when pCloud can't be reached the lists shown stay (or, at
// first, the local ones come alone), one line counts down to the next try,
// and the list is read again by itself; R tries at once. An open playlist
// waits the same way: its tracks (if any were read) stay, the line counts
// down, they are read again by itself; R tries at once, leaving it (back)
// ends its wait. A whole playlist to queue (a, E) or to add to another
// (A) waits as a folder does in the browser (browser_addwait.go): one line
// counts down, it is read again by itself and queued (or the picker opens
// with it); R tries at once, a newer one replaces it, saying so.

// waitFor starts or goes on with the wait of a listing that failed because
// of pCloud or the network.
func (v *playlistsView) waitFor(msg plListMsg) tea.Cmd {
	if v.wait == nil {
		v.waitGen++
		v.wait = &outage{kind: waitPlaylists, gen: v.waitGen}
		if !v.loaded { // at first: what could be read (the local ones)
			v.onList(plListMsg{lists: msg.lists, notice: msg.notice})
		}
	}
	v.loading = false
	return v.wait.again(msg.err, v.e, v.now())
}

// waitOpen starts or goes on with the wait of the open playlist's reading
// that failed because of pCloud or the network.
func (v *playlistsView) waitOpen(msg plOpenMsg) tea.Cmd {
	o := v.open
	if o.wait == nil {
		v.waitGen++
		o.wait = &outage{kind: waitOpen, gen: v.waitGen}
	}
	o.err = ""
	return o.wait.again(msg.err, v.e, v.now())
}

// waitAdd starts or goes on with the wait of a whole playlist's reading
// for a, E or A that failed because of pCloud or the network.
func (v *playlistsView) waitAdd(msg plQueueMsg) tea.Cmd {
	var gaveUp tea.Cmd
	if msg.gen == 0 || v.adding == nil {
		v.waitGen++
		to := plQueueMsg{pl: msg.pl, next: msg.next, pick: msg.pick, gen: v.waitGen}
		gaveUp = startAdd(&v.adding, waitPlAdd, v.waitGen, "“"+msg.pl.Name+"”", msg.pick, func() tea.Cmd { return v.readAll(to) })
	}
	return tea.Batch(gaveUp, v.adding.again(msg.err, v.e, v.now()))
}

// onTick counts down, and reads the list (or the open playlist, or the
// playlist to add) again when its wait is over.
func (v *playlistsView) onTick(msg retryTickMsg) tea.Cmd {
	switch {
	case msg.kind == waitPlaylists && v.wait != nil:
		again, cmd := v.wait.ticked(msg, v.now(), v.e)
		if !again {
			return cmd
		}
		return v.reload()
	case msg.kind == waitOpen && v.open != nil && v.open.wait != nil:
		again, cmd := v.open.wait.ticked(msg, v.now(), v.e)
		if !again {
			return cmd
		}
		return v.read(v.open.pl.ID)
	case msg.kind == waitPlAdd && v.adding != nil:
		return v.adding.onTick(msg, v.e, v.now())
	}
	return nil
}

func (v *playlistsView) now() time.Time { return time.Now() }
