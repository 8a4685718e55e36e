package mpd

import (
	"context"
	"errors"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/playlist"
)

// Stored playlists are pcplay's playlists: pCloud's, or those kept on this
// machine when pCloud refuses them.
var playlistCommands = map[string]spec{
	"listplaylists":    {fn: cmdListPlaylists},
	"listplaylist":     {fn: cmdListPlaylist(false), min: 1, max: 2},
	"listplaylistinfo": {fn: cmdListPlaylist(true), min: 1, max: 2},
	"load":             {fn: cmdLoad, min: 1, max: 3},
	"save":             {fn: cmdSave, min: 1, max: 2},
	"playlistadd":      {fn: cmdPlaylistAdd, min: 2, max: 3},
	"playlistdelete":   {fn: cmdPlaylistDelete, min: 2, max: 2},
	"playlistmove":     {fn: cmdPlaylistMove, min: 3, max: 3},
	"playlistclear":    {fn: cmdPlaylistClear, min: 1, max: 1},
	"rename":           {fn: cmdRename, min: 2, max: 2},
	"rm":               {fn: cmdRm, min: 1, max: 1},
}

// store is the playlist store, or an ACK saying there is none.
func (c *client) store() (playlist.Store, error) {
	st := c.s.b.PlaylistStore()
	if st == nil {
		return nil, ackf(ackSystem, "pcplay has no place for playlists here (no state directory)")
	}
	return st, nil
}

// playlistErr is a store's failure as an ACK.
func playlistErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, playlist.ErrNotFound):
		return ackf(ackNoExist, "No such playlist")
	case errors.Is(err, playlist.ErrNameTaken):
		return ackf(ackExist, "Playlist already exists")
	case errors.Is(err, playlist.ErrBadPosition):
		return ackf(ackArg, "Bad song index")
	case errors.Is(err, playlist.ErrReadOnly):
		return ackf(ackPermission, "%s", playlist.Sentence(err))
	}
	var ae *ackError
	if errors.As(err, &ae) {
		return ae
	}
	return ackf(ackSystem, "%s", playlist.Sentence(err))
}

// find is the playlist called name.
func (c *client) find(ctx context.Context, name string) (playlist.Store, playlist.Playlist, error) {
	st, err := c.store()
	if err != nil {
		return nil, playlist.Playlist{}, err
	}
	pl, err := playlist.Find(ctx, st, name)
	return st, pl, playlistErr(err)
}

func (c *client) storedChanged() { c.s.notify(subStoredPlaylist) }

// change finds the stored playlist name and changes it with do; a change
// pCloud refused is said as MPD says it, a change made wakes the clients
// idle on stored_playlist.
func (c *client) change(name string, do func(ctx context.Context, st playlist.Store, pl playlist.Playlist) error) error {
	ctx, cancel := c.callCtx()
	defer cancel()
	st, pl, err := c.find(ctx, name)
	if err != nil {
		return err
	}
	return c.saved(do(ctx, st, pl))
}

// saved says a change's err as MPD says it, or wakes the clients idle on
// stored_playlist.
func (c *client) saved(err error) error {
	if err != nil {
		return playlistErr(err)
	}
	c.storedChanged()
	return nil
}

func cmdListPlaylists(c *client, _ []string) error {
	st, err := c.store()
	if err != nil {
		return err
	}
	ctx, cancel := c.callCtx()
	defer cancel()
	list, err := st.List(ctx)
	if err != nil {
		return playlistErr(err)
	}
	c.playlists(list)
	return nil
}

func (c *client) playlists(list []playlist.Playlist) {
	for _, p := range list {
		c.kv("playlist", p.Name)
		m := p.Modified
		if m.IsZero() {
			m = c.s.start
		}
		c.kv("Last-Modified", m.UTC().Format(time.RFC3339))
	}
}

// open is the tracks of the playlist called name.
func (c *client) open(ctx context.Context, name string) (playlist.Store, playlist.Playlist, []playlist.Track, error) {
	st, pl, err := c.find(ctx, name)
	if err != nil {
		return nil, pl, nil, err
	}
	ts, err := st.Open(ctx, pl.ID)
	return st, pl, ts, playlistErr(err)
}

func cmdListPlaylist(info bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		ctx, cancel := c.callCtx()
		defer cancel()
		_, _, ts, err := c.open(ctx, args[0])
		if err != nil {
			return err
		}
		start, end := 0, len(ts)
		if len(args) == 2 {
			if start, end, err = parseRange(args[1], len(ts)); err != nil {
				return err
			}
		}
		for _, t := range ts[start:end] {
			p := t.Path
			if p == "" {
				p = c.s.pathOf(ctx, t.FileID)
			}
			if !info {
				if p == "" {
					p = t.Name
				}
				c.kv("file", uri(p))
				continue
			}
			c.song(playlist.Queued([]playlist.Track{t})[0], p, -1, 0)
		}
		return nil
	}
}

func cmdLoad(c *client, args []string) error {
	ctx, cancel := c.callCtx()
	defer cancel()
	_, _, ts, err := c.open(ctx, args[0])
	if err != nil {
		return err
	}
	start, end := 0, len(ts)
	if len(args) >= 2 {
		if start, end, err = parseRange(args[1], len(ts)); err != nil {
			return err
		}
	}
	tracks := playlist.Queued(ts[start:end])
	for _, t := range ts[start:end] {
		if t.Path != "" {
			c.s.remember(t.FileID, t.Path)
		}
	}
	if len(tracks) == 0 {
		return nil
	}
	return c.addAt(tracks, args[min(2, len(args)):], false)
}

// queueTracks is the queue as playlist tracks.
func (c *client) queueTracks(ctx context.Context) []playlist.Track {
	v := c.s.b.View()
	out := make([]playlist.Track, 0, len(v.Entries))
	for _, e := range v.Entries {
		t := e.Track
		out = append(out, playlist.Track{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album,
			Path: c.s.pathOf(ctx, t.FileID)})
	}
	return out
}

func cmdSave(c *client, args []string) error {
	if len(args) == 2 && args[1] != "create" {
		return ackf(ackArg, "pcplay saves a new playlist only (mode create); add to one with playlistadd")
	}
	st, err := c.store()
	if err != nil {
		return err
	}
	ctx, cancel := c.callCtx()
	defer cancel()
	if _, err := playlist.Find(ctx, st, args[0]); err == nil {
		return ackf(ackExist, "Playlist already exists")
	}
	_, _, err = st.Create(ctx, args[0], c.queueTracks(ctx))
	return c.saved(err)
}

func cmdPlaylistAdd(c *client, args []string) error {
	if len(args) == 3 {
		return ackf(ackArg, "pcplay's playlists take new songs at their end only")
	}
	tracks, err := c.resolve(args[1])
	if err != nil {
		return err
	}
	ctx, cancel := c.callCtx()
	defer cancel()
	pts := make([]playlist.Track, len(tracks))
	for i, t := range tracks {
		pts[i] = playlist.Track{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album, Path: c.s.pathOf(ctx, t.FileID)}
	}
	st, pl, err := c.find(ctx, args[0])
	var ae *ackError
	switch {
	case errors.As(err, &ae) && ae.code == ackNoExist:
		_, _, err = st.Create(ctx, args[0], pts)
	case err != nil:
		return err
	default:
		_, err = st.Add(ctx, pl.ID, pts)
	}
	return c.saved(err)
}

func cmdPlaylistDelete(c *client, args []string) error {
	start, end, err := parseRange(args[1], 1<<30)
	if err != nil {
		return err
	}
	var pos []int
	for i := start; i < end && i < start+command.MaxRequestTracks; i++ {
		pos = append(pos, i)
	}
	return c.change(args[0], func(ctx context.Context, st playlist.Store, pl playlist.Playlist) error {
		return st.Remove(ctx, pl.ID, pos)
	})
}

func cmdPlaylistMove(c *client, args []string) error {
	from, err := atoi(args[1])
	if err != nil {
		return err
	}
	to, err := atoi(args[2])
	if err != nil {
		return err
	}
	return c.change(args[0], func(ctx context.Context, st playlist.Store, pl playlist.Playlist) error {
		return st.Move(ctx, pl.ID, from, to)
	})
}

func cmdPlaylistClear(c *client, args []string) error {
	ctx, cancel := c.callCtx()
	defer cancel()
	st, pl, ts, err := c.open(ctx, args[0])
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		return nil
	}
	pos := make([]int, len(ts))
	for i := range pos {
		pos[i] = i
	}
	return c.saved(st.Remove(ctx, pl.ID, pos))
}

func cmdRename(c *client, args []string) error {
	return c.change(args[0], func(ctx context.Context, st playlist.Store, pl playlist.Playlist) error {
		return st.Rename(ctx, pl.ID, args[1])
	})
}

func cmdRm(c *client, args []string) error {
	return c.change(args[0], func(ctx context.Context, st playlist.Store, pl playlist.Playlist) error {
		return st.Delete(ctx, pl.ID)
	})
}
