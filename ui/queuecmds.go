package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// undo takes back the last change to the queue (u), from any pane.
func (m *model) undo() tea.Cmd {
	if !m.e.hasPlayer() {
		return nil
	}
	if m.bar.st.Undos == 0 {
		return notice("Nothing to undo in the queue.", false)
	}
	m.bar.st.Undos-- // a second u before the player reports steps further
	return tea.Batch(m.e.player.call(player.Controller.Undo),
		notice("Undone: the queue is as it was before.", false))
}

// saveQueue asks for a name and saves the queue as a new playlist (S).
func (m *model) saveQueue() tea.Cmd {
	if len(m.queue.tracks) == 0 {
		return notice("The queue is empty: nothing to save.", false)
	}
	if m.e.o.Playlists == nil {
		return notice("There are no playlists here (no playlist store).", true)
	}
	tracks := playlist.FromQueueAll(m.queue.tracks)
	e := m.e
	return ask("Save the queue ("+plural(len(tracks), "track")+") as the playlist", "", func(name string) tea.Cmd {
		return createPlaylist(e, name, tracks, "the queue")
	})
}

// playlistDone shows the end of a playlist change in the status line.
func (m *model) playlistDone(msg playlistDoneMsg) tea.Cmd {
	switch {
	case msg.again != nil: // the picker says why (plpicker_wait.go)
		return m.plPick.show(*msg.again)
	case msg.err != nil:
		return notice(playlist.Sentence(msg.err), true)
	case msg.text != "":
		return notice(msg.text, false)
	}
	return nil
}
