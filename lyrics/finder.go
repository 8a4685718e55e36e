package lyrics

import (
	"container/list"
	"context"
	"errors"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/internal/filetag"
)

// Track is what the finder knows of a track.
type Track struct {
	FileID, Hash uint64
	// FolderID is the track's folder; FolderKnown false when the library
	// does not know it (yet): the sidecar is not looked for then.
	FolderID    uint64
	FolderKnown bool
	Name        string // the file name: Song.mp3 -> Song.lrc, Song.txt
	Artist      string
	Title       string
	Album       string
	Duration    time.Duration // 0: unknown
}

// Cloud is what the finder asks of pCloud; *api.Client satisfies it.
type Cloud interface {
	ListFolder(ctx context.Context, folderID uint64, recursive bool) (*api.Metadata, error)
	FileLink(ctx context.Context, fileID uint64) (api.Link, error)
	ReadRange(ctx context.Context, l api.Link, off, n int64) ([]byte, int64, error)
}

var _ Cloud = (*api.Client)(nil)

// Result is what a search found.
type Result struct {
	Lyrics *Lyrics // nil: none found
	// Looked names the places looked in, in order, for "No lyrics found
	// (looked in ...)".
	Looked []string
	// Err says why a place could not be looked in (pCloud unreachable):
	// such a result is not cached, and is tried again next time.
	Err string
	// Fetched is the bytes read of the file's tag.
	Fetched int64
}

// Finder finds a track's lyrics: a sidecar .lrc or .txt in its folder,
// its tag, LRCLIB when Online is set. It keeps the last results (an LRU
// of CacheSize) by file id and content hash. It is safe for concurrent
// use.
type Finder struct {
	// Cloud is the pCloud client to use now (the login may change); nil:
	// no pCloud (only the cache and LRCLIB).
	Cloud  func() Cloud
	Online *LRCLIB // nil: no online lookup

	mu    sync.Mutex
	cache *lru
}

// CacheSize is how many tracks' results a Finder keeps.
const CacheSize = 128

type cacheKey struct{ fileID, hash uint64 }

// Cached is the kept result of t, if any.
func (f *Finder) Cached(t Track) (Result, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cache == nil {
		return Result{}, false
	}
	return f.cache.get(cacheKey{t.FileID, t.Hash})
}

// Find looks for t's lyrics, in the cache first.
func (f *Finder) Find(ctx context.Context, t Track) Result {
	if r, ok := f.Cached(t); ok {
		return r
	}
	r := f.find(ctx, t)
	// Not kept: a failure, and "none" while the folder is not known (the
	// library may know it next time).
	if r.Err == "" && ctx.Err() == nil && (t.FolderKnown || r.Lyrics != nil) {
		f.mu.Lock()
		if f.cache == nil {
			f.cache = newLRU(CacheSize)
		}
		f.cache.put(cacheKey{t.FileID, t.Hash}, r)
		f.mu.Unlock()
	}
	return r
}

func (f *Finder) find(ctx context.Context, t Track) Result {
	var r Result
	fail := func(err error) {
		if r.Err == "" && err != nil {
			r.Err = api.Sentence(err)
		}
	}
	var c Cloud
	if f.Cloud != nil {
		c = f.Cloud()
	}
	base := strings.TrimSuffix(t.Name, path.Ext(t.Name))
	if c != nil && base != "" {
		if t.FolderKnown {
			r.Looked = append(r.Looked, base+".lrc and "+base+".txt in the track's folder")
			l, err := sidecar(ctx, c, t.FolderID, base)
			if l != nil {
				r.Lyrics = l
				return r
			}
			fail(err)
		} else {
			r.Looked = append(r.Looked, "not the track's folder (the library does not know it yet)")
		}
	}
	if c != nil && t.FileID != 0 {
		r.Looked = append(r.Looked, "the file's tags")
		l, n, err := embedded(ctx, c, t.FileID)
		r.Fetched = n
		if l != nil {
			r.Lyrics = l
			return r
		}
		if !errors.Is(err, ErrNoTag) && !isTagProblem(err) {
			fail(err)
		}
	}
	if f.Online != nil {
		if t.Title == "" || t.Artist == "" {
			r.Looked = append(r.Looked, "not LRCLIB (the track has no artist and title tags)")
		} else {
			r.Looked = append(r.Looked, "LRCLIB")
			l, err := f.Online.Get(ctx, t)
			if l != nil {
				r.Lyrics = l
				return r
			}
			fail(err)
		}
	}
	return r
}

// isTagProblem: a tag that can't be read is no lyrics, not a failure to
// try again.
func isTagProblem(err error) bool {
	return errors.Is(err, filetag.ErrUnreadable)
}

// sidecar finds base.lrc, else base.txt (any case) in the folder.
func sidecar(ctx context.Context, c Cloud, folderID uint64, base string) (*Lyrics, error) {
	md, err := c.ListFolder(ctx, folderID, false)
	if err != nil {
		return nil, err
	}
	for _, ext := range []string{".lrc", ".txt"} {
		for _, e := range md.Contents {
			if e == nil || e.IsFolder || !strings.EqualFold(e.Name, base+ext) {
				continue
			}
			if e.Size > MaxBytes {
				continue
			}
			l, err := c.FileLink(ctx, e.FileID)
			if err != nil {
				return nil, err
			}
			data, _, err := c.ReadRange(ctx, l, 0, MaxBytes)
			if err != nil {
				return nil, err
			}
			var ly *Lyrics
			if ext == ".lrc" {
				ly = ParseLRC(data)
			} else {
				ly = ParsePlain(data)
			}
			if !ly.Empty() {
				ly.Source = e.Name + " in the track's folder"
				return ly, nil
			}
		}
	}
	return nil, nil
}

// embedded reads the file's tag; an expired link is asked again once.
func embedded(ctx context.Context, c Cloud, fileID uint64) (*Lyrics, int64, error) {
	var total int64
	for try := 0; ; try++ {
		l, err := c.FileLink(ctx, fileID)
		if err != nil {
			return nil, total, err
		}
		ly, n, err := Embedded(ctx, func(ctx context.Context, off, n int64) ([]byte, int64, error) {
			return c.ReadRange(ctx, l, off, n)
		})
		total += n
		if errors.Is(err, api.ErrLinkExpired) && try == 0 {
			continue
		}
		return ly, total, err
	}
}

// lru is a small least-recently-used map.
type lru struct {
	max   int
	order *list.List // front: most recent; values *lruEntry
	items map[cacheKey]*list.Element
}

type lruEntry struct {
	key cacheKey
	val Result
}

func newLRU(n int) *lru {
	return &lru{max: n, order: list.New(), items: map[cacheKey]*list.Element{}}
}

func (c *lru) get(k cacheKey) (Result, bool) {
	e, ok := c.items[k]
	if !ok {
		return Result{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry).val, true
}

func (c *lru) put(k cacheKey, v Result) {
	if e, ok := c.items[k]; ok {
		e.Value.(*lruEntry).val = v
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&lruEntry{k, v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*lruEntry).key)
	}
}
