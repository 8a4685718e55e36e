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
	return tea.Batch(notice("Adding "+it.Name+"…", false), b.listAdd(it.FolderID, it.Name, next, 0))
}

// listAdd lists a folder to add, recursively (a try of wait gen, or 0).
func (b *browser) listAdd(id uint64, name string, next bool, gen uint64) tea.Cmd {
	lib := b.e.o.Library
	ctx := b.e.ctx
	return func() tea.Msg {
		tracks, err := listTracks(ctx, lib, id)
		return addMsg{id: id, name: name, tracks: tracks, err: err, next: next, gen: gen}
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
	ctx, id, name := b.e.ctx, it.FolderID, it.Name
	return tea.Batch(notice("Reading "+name+"…", false), func() tea.Msg {
		tracks, err := listTracks(ctx, lib, id)
		return pickPlaylistMsg{what: name, tracks: playlist.FromQueueAll(tracks), err: err}
	})
}
