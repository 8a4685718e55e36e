package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/playlist"
)

// The picker's list (A) waits for pCloud as the Playlists view's does
// (retry.go): when pCloud can't be reached the playlists that could be
// read (the local ones) are offered, one line counts down to the next
// try, and the list is read again by itself; R tries at once, closing the
// picker ends the wait.

// waitFor starts or goes on with the wait of a list that failed because of
// pCloud or the network.
func (p *playlistPicker) waitFor(msg pickerListMsg) tea.Cmd {
	if p.wait == nil {
		p.waitGen++
		p.wait = &outage{kind: waitPicker, gen: p.waitGen}
	}
	p.err = ""
	return p.wait.again(msg.err, p.e, p.now())
}

// onTick counts down, and lists the playlists again when the wait is over.
func (p *playlistPicker) onTick(msg retryTickMsg) tea.Cmd {
	if !p.open || p.wait == nil {
		return nil
	}
	again, cmd := p.wait.ticked(msg, p.now(), p.e)
	if !again {
		return cmd
	}
	return p.list()
}

// close closes the picker, ending its wait.
func (p *playlistPicker) close() {
	p.open, p.wait = false, nil
}

func (p *playlistPicker) now() time.Time { return time.Now() }

// addAgain is the picker to open again after adding tracks (what) to pl
// failed with err, or nil when err is not pCloud's outage.
func addAgain(err error, pl playlist.Playlist, tracks []playlist.Track, what string) *pickPlaylistMsg {
	if !transient(err) {
		return nil
	}
	return &pickPlaylistMsg{what: what, tracks: tracks, at: pl.ID,
		note: "“" + pl.Name + "” may have none or only some of them", why: playlist.Sentence(err)}
}

// createAgain is the picker to open again after making the playlist name
// of tracks (from) failed with err (pl: as far as it got), or nil when err
// is not pCloud's outage.
func createAgain(err error, pl playlist.Playlist, name string, tracks []playlist.Track, from string) *pickPlaylistMsg {
	if !transient(err) {
		return nil
	}
	again := &pickPlaylistMsg{what: from, tracks: tracks, name: name, why: playlist.Sentence(err),
		note: "“" + name + "” may not have been made"}
	if pl.Name != "" { // made, then linking the rest failed: add to it
		again.at, again.name = pl.ID, ""
		again.note = "“" + name + "” was made but may have only some of them"
	}
	return again
}

// noteLines say why the picker opened again (the reason when no waiting
// line says it), and what enter does on the row of the write.
func (p *playlistPicker) noteLines(w int) []string {
	a := p.again
	if a == nil {
		return nil
	}
	note := a.note + "."
	if p.wait == nil {
		note = a.note + ": " + a.why
	}
	var out []string
	lines := wrap("✗ "+shown(note), w-4)
	for _, l := range lines[:min(len(lines), 3)] {
		out = append(out, stErr.Render(fit("  "+l, w)))
	}
	onIt := p.at == 0 && a.at == ""
	if p.at > 0 && p.at <= len(p.rows) {
		onIt = p.rows[p.at-1].ID == a.at
	}
	if onIt {
		out = append(out, stDim.Render(fit("  "+keyName(p.keys.Pick)+" tries again; no track goes in a playlist twice", w)))
	}
	return out
}
