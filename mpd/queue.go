package mpd

import (
	"math/rand/v2"
	"path"
	"strconv"
	"strings"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/player"
)

var queueCommands = map[string]spec{
	"add":            {fn: cmdAdd(false), min: 1, max: 2},
	"addid":          {fn: cmdAdd(true), min: 1, max: 2},
	"delete":         {fn: cmdDelete, min: 1, max: 1},
	"deleteid":       {fn: cmdDeleteID, min: 1, max: 1},
	"move":           {fn: cmdMove, min: 2, max: 2},
	"moveid":         {fn: cmdMoveID, min: 2, max: 2},
	"swap":           {fn: cmdSwap(false), min: 2, max: 2},
	"swapid":         {fn: cmdSwap(true), min: 2, max: 2},
	"clear":          {fn: tableCmd("clear")},
	"shuffle":        {fn: cmdShuffle, max: 1},
	"playlistinfo":   {fn: cmdPlaylistInfo, max: 1},
	"playlistid":     {fn: cmdPlaylistID, max: 1},
	"playlist":       {fn: cmdPlaylist},
	"plchanges":      {fn: cmdPlChanges(false), min: 1, max: 2},
	"plchangesposid": {fn: cmdPlChanges(true), min: 1, max: 2},
	"playlistfind":   {fn: cmdPlaylistFind(false), min: 1, max: -1},
	"playlistsearch": {fn: cmdPlaylistFind(true), min: 1, max: -1},
	"prio":           {fn: refuse(ackSystem, "pcplay has no priorities in its queue"), min: 2, max: -1},
	"prioid":         {fn: refuse(ackSystem, "pcplay has no priorities in its queue"), min: 2, max: -1},
	"rangeid":        {fn: refuse(ackSystem, "pcplay plays whole tracks (no ranges)"), min: 2, max: 2},
	"addtagid":       {fn: refuse(ackSystem, "pcplay's queue takes its tags from pCloud"), min: 3, max: 3},
	"cleartagid":     {fn: refuse(ackSystem, "pcplay's queue takes its tags from pCloud"), min: 1, max: 2},
}

// maxShuffle bounds the queue the shuffle command reorders (one move a
// track).
const maxShuffle = 5000

// parseRange is a position or a START:END range (END exclusive, open when
// left out) within n entries.
func parseRange(s string, n int) (start, end int, err error) {
	a, b, isRange := strings.Cut(s, ":")
	start, err = atoi(a)
	if err != nil {
		return 0, 0, err
	}
	end = start + 1
	if isRange {
		end = n
		if b != "" {
			if end, err = atoi(b); err != nil {
				return 0, 0, err
			}
		}
	}
	if start < 0 || end < start || (end > n && !isRange) || start > n || (!isRange && start >= n) {
		return 0, 0, ackf(ackArg, "Bad song index")
	}
	return start, min(end, n), nil
}

// enqueue appends tracks to the queue, in parts the table takes.
func (c *client) enqueue(tracks []player.Track) error {
	for len(tracks) > 0 {
		n := min(len(tracks), command.MaxRequestTracks)
		if _, err := c.run("enqueue", command.Request{Tracks: tracks[:n]}); err != nil {
			return err
		}
		tracks = tracks[n:]
	}
	return nil
}

// moveRange moves the entries [start, end) so that the first is at to.
func (c *client) moveRange(start, end, to int) error {
	n := end - start
	for k := range n {
		from, dst := start+k, to+k
		if to > start {
			from, dst = start, to+n-1
		}
		if from == dst {
			continue
		}
		if _, err := c.run("move", command.Request{Index: from, To: dst}); err != nil {
			return err
		}
	}
	return nil
}

// insertPos is an add's POS: absolute, or +N/-N from the current entry
// (+0: right after it).
func insertPos(s string, v player.QueueView) (int, error) {
	rel := strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-")
	n, err := atoi(s)
	if err != nil {
		return 0, err
	}
	if rel {
		if v.Current < 0 {
			return 0, ackf(ackArg, "No current song")
		}
		if strings.HasPrefix(s, "+") {
			n = v.Current + 1 + n // +0: right after the current song
		} else {
			n = v.Current + n // -0: right before it
		}
	}
	if n < 0 || n > len(v.Entries) {
		return 0, ackf(ackArg, "Bad song index")
	}
	return n, nil
}

// resolve is the tracks of an MPD URI (a pCloud path without its leading
// slash): a file, or a folder's tracks in the Folders view's order.
func (c *client) resolve(u string) ([]player.Track, error) {
	ctx, cancel := c.callCtx()
	defer cancel()
	p := path.Clean("/" + u)
	tracks, err := c.s.b.Resolve(ctx, p)
	if err != nil {
		return nil, ackf(ackNoExist, "%s", err.Error())
	}
	if len(tracks) == 1 && tracks[0].Name == path.Base(p) {
		c.s.remember(tracks[0].FileID, p)
	}
	return tracks, nil
}

func cmdAdd(withID bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		tracks, err := c.resolve(args[0])
		if err != nil {
			return err
		}
		if len(tracks) == 0 {
			return ackf(ackNoExist, "No playable track in %s", command.Clip(args[0]))
		}
		if withID && len(tracks) != 1 {
			return ackf(ackNoExist, "%s is a folder: addid adds one song (add adds a folder)", command.Clip(args[0]))
		}
		return c.addAt(tracks, args[1:], withID)
	}
}

// addAt appends tracks, moves them to the position in pos (none: they
// stay at the end), and, with withID, answers the first one's id.
func (c *client) addAt(tracks []player.Track, pos []string, withID bool) error {
	before := c.s.b.View()
	to := -1
	if len(pos) > 0 {
		var err error
		if to, err = insertPos(pos[0], before); err != nil {
			return err
		}
	}
	if err := c.enqueue(tracks); err != nil {
		return err
	}
	v := c.s.b.View()
	start := len(v.Entries) - len(tracks)
	if start < 0 {
		return ackf(ackSystem, "the queue changed while adding")
	}
	first := v.Entries[start].ID
	if to >= 0 && to != start {
		if err := c.moveRange(start, len(v.Entries), to); err != nil {
			return err
		}
	}
	if withID {
		c.kv("Id", strconv.FormatUint(first, 10))
	}
	return nil
}

// removeRange removes the entries [start, end), the last first.
func (c *client) removeRange(start, end int) error {
	for i := end - 1; i >= start; i-- {
		if _, err := c.run("remove", command.Request{Index: i}); err != nil {
			return err
		}
	}
	return nil
}

func cmdDelete(c *client, args []string) error {
	start, end, err := parseRange(args[0], len(c.s.b.View().Entries))
	if err != nil {
		return err
	}
	return c.removeRange(start, end)
}

func cmdDeleteID(c *client, args []string) error {
	i, err := byID(c.s.b.View(), args[0])
	if err != nil {
		return err
	}
	return c.removeRange(i, i+1)
}

func cmdMove(c *client, args []string) error {
	n := len(c.s.b.View().Entries)
	start, end, err := parseRange(args[0], n)
	if err != nil {
		return err
	}
	to, err := atoi(args[1])
	if err != nil {
		return err
	}
	if to < 0 || to+(end-start) > n {
		return ackf(ackArg, "Bad song index")
	}
	return c.moveRange(start, end, to)
}

func cmdMoveID(c *client, args []string) error {
	v := c.s.b.View()
	i, err := byID(v, args[0])
	if err != nil {
		return err
	}
	to, err := position(args[1], len(v.Entries))
	if err != nil {
		return err
	}
	return c.moveRange(i, i+1, to)
}

func cmdSwap(ids bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		v := c.s.b.View()
		var a, b int
		var err error
		if ids {
			if a, err = byID(v, args[0]); err == nil {
				b, err = byID(v, args[1])
			}
		} else if a, err = position(args[0], len(v.Entries)); err == nil {
			b, err = position(args[1], len(v.Entries))
		}
		if err != nil || a == b {
			return err
		}
		a, b = min(a, b), max(a, b)
		if err := c.moveRange(a, a+1, b); err != nil {
			return err
		}
		return c.moveRange(b-1, b, a)
	}
}

func cmdShuffle(c *client, args []string) error {
	v := c.s.b.View()
	start, end := 0, len(v.Entries)
	if len(args) == 1 {
		var err error
		if start, end, err = parseRange(args[0], len(v.Entries)); err != nil {
			return err
		}
	}
	if end-start > maxShuffle {
		return ackf(ackSystem, "pcplay shuffles at most %d entries this way: use random 1 (shuffle play) instead", maxShuffle)
	}
	ids := make([]uint64, 0, end-start)
	for _, e := range v.Entries[start:end] {
		ids = append(ids, e.ID)
	}
	want := append([]uint64(nil), ids...)
	rand.Shuffle(len(want), func(i, j int) { want[i], want[j] = want[j], want[i] })
	for k, id := range want {
		i := k
		for ids[i] != id {
			i++
		}
		if i == k {
			continue
		}
		if _, err := c.run("move", command.Request{Index: start + i, To: start + k}); err != nil {
			return err
		}
		copy(ids[k+1:i+1], ids[k:i])
		ids[k] = id
	}
	return nil
}

func cmdPlaylistInfo(c *client, args []string) error {
	v := c.s.b.View()
	start, end := 0, len(v.Entries)
	if len(args) == 1 {
		var err error
		if start, end, err = parseRange(args[0], len(v.Entries)); err != nil {
			return err
		}
	}
	for i := start; i < end; i++ {
		c.song(v.Entries[i].Track, "", i, v.Entries[i].ID)
	}
	return nil
}

func cmdPlaylistID(c *client, args []string) error {
	v := c.s.b.View()
	if len(args) == 0 {
		return cmdPlaylistInfo(c, nil)
	}
	i, err := byID(v, args[0])
	if err != nil {
		return err
	}
	c.song(v.Entries[i].Track, "", i, v.Entries[i].ID)
	return nil
}

func cmdPlaylist(c *client, _ []string) error {
	ctx, cancel := c.callCtx()
	defer cancel()
	for i, e := range c.s.b.View().Entries {
		p := c.s.pathOf(ctx, e.Track.FileID)
		if p == "" {
			p = e.Track.Name
		}
		c.kv(strconv.Itoa(i)+":file", uri(p))
	}
	return nil
}

// cmdPlChanges answers the entries changed since a queue version (see
// versions).
func cmdPlChanges(posid bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		version, err := strconv.ParseUint(args[0], 10, 64)
		if err != nil {
			return ackf(ackArg, "Integer expected: %s", command.Clip(args[0]))
		}
		v := c.s.b.View()
		start, end := 0, len(v.Entries)
		if len(args) == 2 {
			if start, end, err = parseRange(args[1], len(v.Entries)); err != nil {
				return err
			}
		}
		changed := c.s.vers.changedSince(v, version)
		for i := start; i < end; i++ {
			if !changed[i] {
				continue
			}
			e := v.Entries[i]
			if posid {
				c.kvInt("cpos", int64(i))
				c.kv("Id", strconv.FormatUint(e.ID, 10))
				continue
			}
			c.song(e.Track, "", i, e.ID)
		}
		return nil
	}
}

func cmdPlaylistFind(fold bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		f, err := parseFilter(args, fold)
		if err != nil {
			return err
		}
		ctx, cancel := c.callCtx()
		defer cancel()
		v := c.s.b.View()
		for i, e := range v.Entries {
			lt, ok := c.s.lookup(ctx, e.Track.FileID)
			if !ok {
				lt.FileID, lt.Name, lt.Title, lt.Artist, lt.Album, lt.TrackNo = e.Track.FileID, e.Track.Name, e.Track.Title, e.Track.Artist, e.Track.Album, e.Track.TrackNo
				lt.Path = c.s.pathOf(ctx, e.Track.FileID)
			}
			if f.match(&lt) {
				c.song(e.Track, "", i, e.ID)
			}
		}
		return nil
	}
}
