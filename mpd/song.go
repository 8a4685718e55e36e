package mpd

import (
	"context"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

// tagTypes are the tags the server knows, in MPD's spelling.
var tagTypes = []string{"Artist", "AlbumArtist", "Album", "Title", "Track", "Genre", "Disc"}

// tagMask is a set of tagTypes (bit i: tagTypes[i]).
type tagMask uint16

const allTags = tagMask(1<<7 - 1)

func tagIndex(name string) int {
	for i, t := range tagTypes {
		if strings.EqualFold(t, name) {
			return i
		}
	}
	return -1
}

func cmdTagTypes(c *client, args []string) error {
	if len(args) == 0 {
		for i, t := range tagTypes {
			if c.tags&(1<<i) != 0 {
				c.kv("tagtype", t)
			}
		}
		return nil
	}
	var m tagMask
	for _, a := range args[1:] {
		i := tagIndex(a)
		if i < 0 {
			// A tag pcplay does not know: there is nothing to send of it.
			continue
		}
		m |= 1 << i
	}
	switch args[0] {
	case "enable":
		c.tags |= m
	case "disable":
		c.tags &^= m
	case "clear":
		c.tags = 0
	case "all":
		c.tags = allTags
	default:
		return ackf(ackArg, "Unknown sub command")
	}
	return nil
}

// infoCache keeps what the index says of the files the clients see, for
// as long as the index does not change; and the paths of files added by
// path that the index does not know (yet).
type infoCache struct {
	mu    sync.Mutex
	gen   uint64
	known map[uint64]library.Track // FileID 0: not in the index
	paths map[uint64]string        // pCloud paths, from the top
}

// maxPaths bounds the paths remembered of files not indexed.
const maxPaths = 100_000

// lookup is the index's track of a file (ok false: not indexed).
func (s *Server) lookup(ctx context.Context, fileID uint64) (library.Track, bool) {
	lib := s.b.Library()
	if lib == nil || fileID == 0 {
		return library.Track{}, false
	}
	st, _ := s.b.LibraryState()
	s.info.mu.Lock()
	if s.info.known == nil || s.info.gen != st.Gen || len(s.info.known) > maxPaths {
		s.info.known, s.info.gen = map[uint64]library.Track{}, st.Gen
	}
	t, ok := s.info.known[fileID]
	s.info.mu.Unlock()
	if ok {
		return t, t.FileID != 0
	}
	t, found, err := lib.Track(ctx, fileID)
	if err != nil {
		return library.Track{}, false
	}
	if !found {
		t = library.Track{}
	}
	s.info.mu.Lock()
	s.info.known[fileID] = t
	s.info.mu.Unlock()
	return t, found
}

// remember keeps the path of a file added by its path.
func (s *Server) remember(fileID uint64, p string) {
	s.info.mu.Lock()
	defer s.info.mu.Unlock()
	if len(s.info.paths) >= maxPaths {
		clear(s.info.paths)
	}
	s.info.paths[fileID] = p
}

// pathOf is a file's pCloud path (from the top, with its leading slash),
// "" when unknown.
func (s *Server) pathOf(ctx context.Context, fileID uint64) string {
	if t, ok := s.lookup(ctx, fileID); ok {
		return t.Path
	}
	s.info.mu.Lock()
	defer s.info.mu.Unlock()
	return s.info.paths[fileID]
}

// uri is a pCloud path as an MPD URI: without the leading slash.
func uri(p string) string { return strings.TrimPrefix(p, "/") }

// song writes the song record of a queue's (or a playlist's) track: pos
// and id when it is in the queue (pos -1: not). hint is its path when the
// caller knows it.
func (c *client) song(t player.Track, hint string, pos int, id uint64) {
	ctx, cancel := c.callCtx()
	defer cancel()
	lt, ok := c.s.lookup(ctx, t.FileID)
	switch {
	case ok:
	case hint != "":
		lt.Path = hint
	default:
		lt.Path = c.s.pathOf(ctx, t.FileID)
		if lt.Path == "" {
			lt.Path = t.Name
		}
	}
	if !ok {
		lt.Name, lt.Title, lt.Artist, lt.Album, lt.TrackNo = t.Name, t.Title, t.Artist, t.Album, t.TrackNo
	}
	if t.Duration > 0 {
		lt.Duration = t.Duration
	}
	c.libSong(lt, time.Time{}, ok)
	if pos >= 0 {
		c.kvInt("Pos", int64(pos))
		c.kv("Id", strconv.FormatUint(id, 10))
	}
}

// libSong writes a song record of an index's track; full: its album
// artist and disc are the index's.
func (c *client) libSong(t library.Track, modified time.Time, full bool) {
	c.kv("file", uri(t.Path))
	if !modified.IsZero() {
		c.kv("Last-Modified", modified.UTC().Format(time.RFC3339))
	}
	title := t.Title
	if title == "" {
		title = strings.TrimSuffix(t.Name, path.Ext(t.Name))
	}
	c.tag(3, title)
	c.tag(0, t.Artist)
	if full {
		c.tag(1, t.AlbumArtist)
	}
	c.tag(2, t.Album)
	if t.TrackNo > 0 {
		c.tag(4, strconv.Itoa(t.TrackNo))
	}
	c.tag(5, t.Genre)
	if full && t.Disc > 0 {
		c.tag(6, strconv.Itoa(t.Disc))
	}
	if t.Duration > 0 {
		c.kvInt("Time", int64((t.Duration+time.Second/2)/time.Second))
		c.kv("duration", seconds(t.Duration))
	}
}

// tag writes tag i when it has a value and the client wants it.
func (c *client) tag(i int, v string) {
	if v != "" && c.tags&(1<<i) != 0 {
		c.kv(tagTypes[i], v)
	}
}
