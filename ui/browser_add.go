package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// add queues the file under the cursor, or the whole folder recursively:
// at the end, or after the playing track (next, E).
func (b *browser) add(next bool) tea.Cmd {
	it := b.selected()
	if it == nil {
		return nil
	}
	if !it.IsFolder {
		if !it.Playable() {
			return notice(it.Name+" is not audio or video; it can't be queued", true)
		}
		return b.onAdd(addMsg{name: itemText(it), tracks: []player.Track{player.TrackOf(it)}, next: next})
	}
	lib := b.e.o.Library
	if lib == nil {
		return nil
	}
	return tea.Batch(notice("Adding "+it.Name+"…", false), b.listAdd(addMsg{id: it.FolderID, name: it.Name, next: next}))
}

// listAdd lists the folder of an add (to: its id, name, next, pick and
// the wait it is a try of, or 0), recursively.
func (b *browser) listAdd(to addMsg) tea.Cmd {
	lib := b.e.o.Library
	ctx := b.e.ctx
	return func() tea.Msg {
		msg := to
		msg.tracks, msg.err = listTracks(ctx, lib, to.id)
		return msg
	}
}

// listTracks lists a folder's playable files, recursively, in browser order.
func listTracks(ctx context.Context, lib Library, id uint64) ([]player.Track, error) {
	m, err := lib.ListFolder(ctx, id, true)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("empty answer")
	}
	return player.TracksOf(m), nil
}

func (b *browser) onAdd(msg addMsg) tea.Cmd {
	if msg.gen != 0 {
		if b.adding == nil || msg.gen != b.adding.gen {
			return nil // a wait that was given up
		}
		if msg.err == nil || !transient(msg.err) {
			b.adding = nil
		}
	}
	if msg.err != nil && transient(msg.err) {
		return b.waitAdd(msg)
	}
	if msg.pick {
		pick := pickPlaylistMsg{what: msg.name, tracks: playlist.FromQueueAll(msg.tracks), err: msg.err}
		return func() tea.Msg { return pick }
	}
	if msg.err != nil {
		return notice("Couldn't add "+msg.name+": "+sentence(msg.err), true)
	}
	if len(msg.tracks) == 0 {
		return notice(msg.name+" has nothing playable", false)
	}
	tracks, what := msg.tracks, msg.name
	if len(tracks) > 1 {
		what = fmt.Sprintf("%d tracks from %s", len(tracks), msg.name)
	}
	if msg.next {
		return tea.Batch(
			b.e.player.call(func(p player.Controller) { p.InsertNext(tracks) }),
			notice(what+" will play next", false))
	}
	return tea.Batch(
		b.e.player.call(func(p player.Controller) { p.Enqueue(tracks) }),
		notice("Added "+what+" to the queue", false))
}

// pickPlaylist adds the file under the cursor, or the folder recursively,
// to a playlist the person picks (A).
func (b *browser) pickPlaylist() tea.Cmd {
	it := b.selected()
	switch {
	case it == nil:
		return nil
	case !it.IsFolder && !it.Playable():
		return notice(it.Name+" is not audio or video; it can't go in a playlist", true)
	case !it.IsFolder:
		t := playlist.TrackOf(it)
		what := itemText(it)
		return func() tea.Msg { return pickPlaylistMsg{what: what, tracks: []playlist.Track{t}} }
	}
	lib := b.e.o.Library
	if lib == nil {
		return nil
	}
	// Read as a and E read a folder, waiting for pCloud the same way
	// (browser_addwait.go); onAdd then opens the picker.
	return tea.Batch(notice("Reading "+it.Name+"…", false), b.listAdd(addMsg{id: it.FolderID, name: it.Name, pick: true}))
}
