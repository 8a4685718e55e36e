package mpd

import (
	"context"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/internal/order"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

var libraryCommands = map[string]spec{
	"lsinfo":      {fn: cmdLsInfo, max: 1},
	"listfiles":   {fn: cmdListFiles, max: 1},
	"listall":     {fn: cmdListAll(false), max: 1},
	"listallinfo": {fn: cmdListAll(true), max: 1},
	"find":        {fn: cmdFind(false), min: 1, max: -1},
	"search":      {fn: cmdFind(true), min: 1, max: -1},
	"findadd":     {fn: cmdFindAdd(false), min: 1, max: -1},
	"searchadd":   {fn: cmdFindAdd(true), min: 1, max: -1},
	"count":       {fn: cmdCount(false), min: 1, max: -1},
	"searchcount": {fn: cmdCount(true), min: 1, max: -1},
	"list":        {fn: cmdList, min: 1, max: -1},
	"update":      {fn: cmdUpdate, max: 1},
	"rescan":      {fn: cmdUpdate, max: 1},
}

// pageSize is how many tracks a pass over the index reads at once: few
// queries (each skips the pages before it), bounded memory.
const pageSize = 10_000

// library is the index, or an ACK saying there is none.
func (c *client) library() (*library.Library, error) {
	lib := c.s.b.Library()
	if lib == nil {
		return nil, ackf(ackSystem, "pcplay has no music library here (see the engine's log)")
	}
	return lib, nil
}

// eachTrack calls fn with the index's tracks (under base when not "")
// until it returns false.
func eachTrack(ctx context.Context, lib *library.Library, base string, fn func(t *library.Track) bool) error {
	if base != "" {
		ts, err := lib.TracksUnder(ctx, "/"+strings.TrimSuffix(base, "/"))
		if err != nil {
			return err
		}
		for i := range ts {
			if !fn(&ts[i]) {
				return nil
			}
		}
		return nil
	}
	return eachPage(func(off int) ([]library.Track, error) { return lib.Songs(ctx, off, pageSize) }, fn)
}

// eachPage calls fn with the tracks of the pages read gives (from offset
// off, pageSize at most), until it returns false or a page is short.
func eachPage(read func(off int) ([]library.Track, error), fn func(t *library.Track) bool) error {
	for off := 0; ; off += pageSize {
		ts, err := read(off)
		if err != nil {
			return err
		}
		for i := range ts {
			if !fn(&ts[i]) {
				return nil
			}
		}
		if len(ts) < pageSize {
			return nil
		}
	}
}

// eachCandidate calls fn with the tracks that may match f, in the order
// eachTrack gives them, until it returns false: those f's index
// conditions select (the index runs them), else every track (under
// f.base). fn still tests f.match.
func eachCandidate(ctx context.Context, lib *library.Library, f *filter, fn func(t *library.Track) bool) error {
	if f.base != "" || len(f.conds) == 0 {
		return eachTrack(ctx, lib, f.base, fn)
	}
	return eachPage(func(off int) ([]library.Track, error) { return lib.Where(ctx, f.conds, f.fold, off, pageSize) }, fn)
}

func indexErr(err error) error {
	if err == nil {
		return nil
	}
	if ae, ok := err.(*ackError); ok {
		return ae
	}
	return ackf(ackSystem, "the music library could not be read: %v", err)
}

// matches is the tracks f matches, sorted and cut as it asks; at most
// limit of them (more: an ACK saying so).
func (c *client) matches(f *filter, limit int) ([]library.Track, error) {
	lib, err := c.library()
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.callCtx()
	defer cancel()
	var out []library.Track
	over := false
	stopAt := limit
	if f.window[1] > 0 && f.sort == "" {
		stopAt = min(limit, f.window[1])
	}
	err = eachCandidate(ctx, lib, f, func(t *library.Track) bool {
		if !f.match(t) {
			return true
		}
		if len(out) >= stopAt {
			over = stopAt == limit
			return false
		}
		out = append(out, *t)
		return true
	})
	if err != nil {
		return nil, indexErr(err)
	}
	if over {
		return nil, ackf(ackSystem, "more than %d songs match: ask for fewer (a filter, or a window START:END)", limit)
	}
	if f.sort != "" {
		slices.SortStableFunc(out, func(a, b library.Track) int {
			r := order.Compare(tagValue(&a, f.sort), tagValue(&b, f.sort))
			if f.desc {
				r = -r
			}
			return r
		})
	}
	if f.window[1] > 0 {
		s, e := min(f.window[0], len(out)), min(f.window[1], len(out))
		out = out[s:e]
	}
	return out, nil
}

func cmdFind(fold bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		f, err := parseFilter(args, fold)
		if err != nil {
			return err
		}
		ts, err := c.matches(f, c.s.o.ListCap)
		if err != nil {
			return err
		}
		for _, t := range ts {
			c.libSong(t, time.Time{}, true)
		}
		return nil
	}
}

func cmdFindAdd(fold bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		f, err := parseFilter(args, fold)
		if err != nil {
			return err
		}
		ts, err := c.matches(f, command.MaxRequestTracks)
		if err != nil {
			return err
		}
		return c.enqueue(library.Queued(ts))
	}
}

func cmdCount(fold bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		f, err := parseFilter(args, fold)
		if err != nil {
			return err
		}
		lib, err := c.library()
		if err != nil {
			return err
		}
		ctx, cancel := c.callCtx()
		defer cancel()
		type sum struct {
			n int
			d time.Duration
		}
		groups := map[string]*sum{}
		var keys []string
		err = eachCandidate(ctx, lib, f, func(t *library.Track) bool {
			if f.match(t) {
				k := ""
				if len(f.group) > 0 {
					k = tagValue(t, f.group[0])
				}
				s := groups[k]
				if s == nil {
					s = &sum{}
					groups[k] = s
					keys = append(keys, k)
				}
				s.n++
				s.d += t.Duration
			}
			return true
		})
		if err != nil {
			return indexErr(err)
		}
		if len(f.group) == 0 {
			s := groups[""]
			if s == nil {
				s = &sum{}
			}
			c.kvInt("songs", int64(s.n))
			c.kvInt("playtime", int64(s.d/time.Second))
			return nil
		}
		slices.SortFunc(keys, order.Compare)
		for _, k := range keys {
			c.kv(tagName(f.group[0]), k)
			c.kvInt("songs", int64(groups[k].n))
			c.kvInt("playtime", int64(groups[k].d/time.Second))
		}
		return nil
	}
}

// tagName is a tag in MPD's spelling.
func tagName(tag string) string {
	if i := tagIndex(tag); i >= 0 {
		return tagTypes[i]
	}
	if tag == "file" {
		return "file"
	}
	return strings.ToUpper(tag[:1]) + tag[1:]
}

// maxListValues bounds list's distinct rows.
const maxListValues = 200_000

func cmdList(c *client, args []string) error {
	tag, err := knownTag(args[0])
	if err != nil || tag == "any" {
		return ackf(ackArg, "Unknown tag type: %s", command.Clip(args[0]))
	}
	rest := args[1:]
	if len(rest) == 1 && !strings.HasPrefix(strings.TrimSpace(rest[0]), "(") {
		if tag != "album" {
			return ackf(ackArg, "should be \"Album\" for 3 arguments")
		}
		rest = []string{"artist", rest[0]}
	}
	f, err := parseFilter(rest, false)
	if err != nil {
		return err
	}
	lib, err := c.library()
	if err != nil {
		return err
	}
	ctx, cancel := c.callCtx()
	defer cancel()
	cols := append(slices.Clone(f.group), tag)
	seen := map[string]bool{}
	var rows [][]string
	add := func(row []string) {
		if k := strings.Join(row, "\x00"); !seen[k] {
			seen[k] = true
			rows = append(rows, row)
		}
	}
	// The lists the index keeps (cached): what clients browse by.
	fast := f.all && (slices.Equal(cols, []string{"albumartist"}) || slices.Equal(cols, []string{"album"}) ||
		slices.Equal(cols, []string{"albumartist", "album"}))
	if fast {
		albums, err := lib.Albums(ctx, "")
		if err != nil {
			return indexErr(err)
		}
		for _, a := range albums {
			row := []string{a.Artist, a.Name}
			switch {
			case len(cols) == 1 && cols[0] == "album":
				row = row[1:]
			case len(cols) == 1:
				row = row[:1]
			}
			add(row)
		}
	}
	if !fast {
		err = eachCandidate(ctx, lib, f, func(t *library.Track) bool {
			if !f.match(t) {
				return true
			}
			row := make([]string, len(cols))
			for i, cl := range cols {
				row[i] = tagValue(t, cl)
			}
			add(row)
			return len(rows) < maxListValues
		})
		if err != nil {
			return indexErr(err)
		}
	}
	slices.SortFunc(rows, func(a, b []string) int {
		for i := range a {
			if r := order.Compare(a[i], b[i]); r != 0 {
				return r
			}
		}
		return 0
	})
	var last []string
	for _, row := range rows {
		for i, cl := range cols {
			if i < len(cols)-1 && last != nil && last[i] == row[i] && slices.Equal(last[:i], row[:i]) {
				continue
			}
			if i == len(cols)-1 && row[i] == "" && len(cols) == 1 {
				continue // MPD leaves out the empty value
			}
			c.kv(tagName(cl), row[i])
		}
		last = row
	}
	return nil
}

func cmdUpdate(c *client, _ []string) error {
	if _, err := c.library(); err != nil {
		return err
	}
	if _, err := c.run("rescan", command.Request{}); err != nil {
		return err
	}
	c.kv("updating_db", "1")
	return nil
}

// cmdListAll lists the index (under a folder), bounded by ListCap songs.
func cmdListAll(info bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		lib, err := c.library()
		if err != nil {
			return err
		}
		base := ""
		if len(args) == 1 {
			base = strings.Trim(args[0], "/")
		}
		ctx, cancel := c.callCtx()
		defer cancel()
		dirs := map[string]bool{"": true}
		n, over := 0, false
		err = eachTrack(ctx, lib, base, func(t *library.Track) bool {
			if n >= c.s.o.ListCap {
				over = true
				return false
			}
			n++
			p := uri(t.Path)
			for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
				dirs[d] = true
				if strings.HasPrefix(d, base) {
					c.kv("directory", d)
				}
			}
			if info {
				c.libSong(*t, time.Time{}, true)
			} else {
				c.kv("file", p)
			}
			return true
		})
		if err != nil {
			return indexErr(err)
		}
		if over {
			return ackf(ackSystem, "more than %d songs: ask for a folder (listall \"Music/Some Folder\") or browse with lsinfo", c.s.o.ListCap)
		}
		return nil
	}
}

// listing lists a folder of the pCloud tree: the MPD URI's folder, or
// the file it names (then md is its parent's listing and file the entry).
func (c *client) listing(ctx context.Context, u string) (md *api.Metadata, file *api.Metadata, err error) {
	cl := c.s.b.Client()
	if cl == nil {
		return nil, nil, ackf(ackSystem, "pcplay is not logged in to pCloud: log in first (pcplay login)")
	}
	p := path.Clean("/" + u)
	md, err = cl.ListPath(ctx, p, false)
	if err == nil {
		return md, nil, nil
	}
	if p == "/" {
		return nil, nil, ackf(ackSystem, "pCloud: %v", err)
	}
	dir, base := path.Split(p)
	parent, perr := cl.ListPath(ctx, path.Clean(dir), false)
	if perr == nil {
		for _, m := range parent.Contents {
			if m != nil && !m.IsFolder && m.Name == base {
				return parent, m, nil
			}
		}
	}
	if api.IsAuth(err) {
		return nil, nil, ackf(ackSystem, "pCloud refused the login: log in again (pcplay login)")
	}
	return nil, nil, ackf(ackNoExist, "No such directory")
}

func cmdLsInfo(c *client, args []string) error {
	u := ""
	if len(args) == 1 {
		u = args[0]
	}
	ctx, cancel := c.callCtx()
	defer cancel()
	md, file, err := c.listing(ctx, u)
	if err != nil {
		return err
	}
	dir := strings.Trim(path.Clean("/"+u), "/")
	if file != nil {
		c.fileSong(ctx, path.Dir("/"+dir), file)
		return nil
	}
	items := slices.DeleteFunc(slices.Clone(md.Contents), func(m *api.Metadata) bool { return m == nil })
	player.SortListing(items)
	for _, m := range items {
		p := path.Join(dir, m.Name)
		switch {
		case m.IsFolder:
			c.kv("directory", p)
			if !m.Modified.IsZero() {
				c.kv("Last-Modified", m.Modified.UTC().Format(time.RFC3339))
			}
		case m.Playable():
			c.fileSong(ctx, "/"+dir, m)
		}
	}
	if dir == "" {
		// MPD lists the stored playlists at the top too (mpc
		// lsplaylists reads them there).
		if st := c.s.b.PlaylistStore(); st != nil {
			list, _ := st.List(ctx)
			c.playlists(list)
		}
	}
	return nil
}

// fileSong writes the song record of a listed file in the folder dir.
func (c *client) fileSong(ctx context.Context, dir string, m *api.Metadata) {
	lt, ok := c.s.lookup(ctx, m.FileID)
	if !ok {
		t := player.TrackOf(m)
		lt = library.Track{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album, TrackNo: t.TrackNo, Genre: m.Genre}
	}
	lt.Path = path.Join(dir, m.Name)
	c.libSong(lt, m.Modified, ok)
}

func cmdListFiles(c *client, args []string) error {
	u := ""
	if len(args) == 1 {
		u = args[0]
	}
	ctx, cancel := c.callCtx()
	defer cancel()
	md, file, err := c.listing(ctx, u)
	if err != nil {
		return err
	}
	items := md.Contents
	if file != nil {
		items = []*api.Metadata{file}
	}
	for _, m := range items {
		if m == nil {
			continue
		}
		if m.IsFolder {
			c.kv("directory", m.Name)
		} else {
			c.kv("file", m.Name)
			c.kvInt("size", m.Size)
		}
		if !m.Modified.IsZero() {
			c.kv("Last-Modified", m.Modified.UTC().Format(time.RFC3339))
		}
	}
	return nil
}
