package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// The Playlists view's list waits for pCloud as the browser's listings do
// (retry.go): when pCloud can't be reached the lists shown stay (or, at
// first, the local ones come alone), one line counts down to the next try,
// and the list is read again by itself; R tries at once.

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
	v.wait.failed(msg.err, v.e.retryBase(), v.now())
	return v.wait.arm(v.e, v.now())
}

// onTick counts down, and reads the list again when the wait is over.
func (v *playlistsView) onTick(msg retryTickMsg) tea.Cmd {
	if msg.kind != waitPlaylists || v.wait == nil {
		return nil
	}
	again, cmd := v.wait.ticked(msg, v.now(), v.e)
	if !again {
		return cmd
	}
	return v.reload()
}

func (v *playlistsView) now() time.Time { return time.Now() }
