package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/art"
	"github.com/pcplay/pcplay/config"
)

// Covers: a track's cover picture, found and fetched by the process that
// holds the account's client (a thumbnail link is bound to the address
// that asked for it, so the one that asks fetches). The UI asks for a file
// id's cover in a tea.Cmd, through its own client, as the Folders view
// lists folders: that works the same attached to the engine or in one
// process, and no picture crosses the engine's socket.

// CoverAPI is what [Covers] asks of pCloud; [*api.Client] satisfies it.
type CoverAPI interface {
	Stat(ctx context.Context, fileID uint64) (*api.Metadata, error)
	ListFolder(ctx context.Context, folderID uint64, recursive bool) (*api.Metadata, error)
	ThumbLink(ctx context.Context, fileID uint64, w, h int, png bool) (api.Link, error)
	Fetch(ctx context.Context, l api.Link, rng string, limit int64) ([]byte, error)
}

// Limits of the cover cache and of one cover.
const (
	CoverCacheBytes = 32 << 20 // the cache directory is trimmed to this, oldest first
	coverMaxBytes   = 4 << 20  // a thumbnail larger than this is refused
	coverNoneTTL    = time.Hour
)

// CoverNames are the base names of a folder's cover image, by preference;
// case does not matter. CoverExts are the picture types read.
var (
	CoverNames = []string{"cover", "folder", "front", "album"}
	CoverExts  = []string{".jpg", ".jpeg", ".png", ".webp"}
)

// Covers finds covers and keeps them on disk. Safe for concurrent use.
type Covers struct {
	c   func() CoverAPI
	dir string // "" : no disk cache
	cap int64
	now func() time.Time

	mu   sync.Mutex
	none map[uint64]time.Time // tracks without a cover, until then
	// Fetched counts the bytes read from pCloud's file hosts (thumbnails),
	// for the figures.
	fetched int64
}

// NewCovers makes a cover finder using the client client returns (called
// for each cover: a login may change it), caching in dir ("" the default
// <state dir>/covers, "-" no cache).
func NewCovers(client func() CoverAPI, dir string) *Covers {
	if dir == "" {
		if st, err := config.StatePath(); err == nil {
			dir = filepath.Join(st, "covers")
		}
	}
	if dir == "-" {
		dir = ""
	}
	return &Covers{c: client, dir: dir, cap: CoverCacheBytes, now: time.Now, none: map[uint64]time.Time{}}
}

// ErrNoCover is [Covers.Cover]'s answer for a track without a cover.
var ErrNoCover = errors.New("no cover found (looked for pCloud's thumbnail of the track and a cover, folder, front or album picture in its folder)")

// Fetched is how many bytes of pictures were read from pCloud.
func (cv *Covers) Fetched() int64 {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	return cv.fetched
}

// Cover returns the picture bytes (JPEG, PNG or WebP) of a track's cover
// at about px x px pixels: from the disk cache (keyed by the track's file
// id and hash, and px), else pCloud's thumbnail of the track when its
// metadata says thumb, else a cover image in its folder through
// getthumblink. ErrNoCover when there is none.
func (cv *Covers) Cover(ctx context.Context, fileID uint64, px int) ([]byte, error) {
	cv.mu.Lock()
	until, none := cv.none[fileID]
	cv.mu.Unlock()
	if none && cv.now().Before(until) {
		return nil, ErrNoCover
	}
	c := cv.c()
	if c == nil {
		return nil, errors.New("not logged in to pCloud")
	}
	m, err := c.Stat(ctx, fileID)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%d-%016x-%d", fileID, m.Hash, px)
	if b := cv.cached(key); b != nil {
		return b, nil
	}
	src := uint64(0)
	switch {
	case m.Thumb:
		src = fileID
	default:
		// The embedded picture (ID3 APIC) is not read yet: the folder's
		// image comes next.
		dir, err := c.ListFolder(ctx, m.ParentFolderID, false)
		if err != nil {
			return nil, err
		}
		if f := FolderCover(dir.Contents); f != nil {
			src = f.FileID
		}
	}
	if src == 0 {
		cv.mu.Lock()
		cv.none[fileID] = cv.now().Add(coverNoneTTL)
		cv.mu.Unlock()
		return nil, ErrNoCover
	}
	l, err := c.ThumbLink(ctx, src, px, px, false)
	if err != nil {
		return nil, err
	}
	b, err := c.Fetch(ctx, l, "", coverMaxBytes)
	if err != nil {
		return nil, err
	}
	cv.mu.Lock()
	cv.fetched += int64(len(b))
	cv.mu.Unlock()
	if _, err := art.Decode(b); err != nil {
		return nil, err
	}
	cv.store(key, b)
	return b, nil
}

// FolderCover picks a folder's cover image among its entries: the first
// of [CoverNames] (in that order) with one of [CoverExts], case
// insensitive; nil when there is none.
func FolderCover(entries []*api.Metadata) *api.Metadata {
	best, rank := (*api.Metadata)(nil), len(CoverNames)
	for _, e := range entries {
		if e == nil || e.IsFolder {
			continue
		}
		name := strings.ToLower(e.Name)
		ext := path.Ext(name)
		if !slices.Contains(CoverExts, ext) {
			continue
		}
		if i := slices.Index(CoverNames, strings.TrimSuffix(name, ext)); i >= 0 && i < rank {
			best, rank = e, i
		}
	}
	return best
}

func (cv *Covers) cached(key string) []byte {
	if cv.dir == "" {
		return nil
	}
	p := filepath.Join(cv.dir, key)
	b, err := os.ReadFile(p)
	if err != nil || len(b) == 0 {
		return nil
	}
	now := cv.now()
	_ = os.Chtimes(p, now, now) // recently used: trimmed last
	return b
}

// store writes a cover to the cache, then trims the cache to its cap,
// the least recently used first. A cache that cannot be written is no
// error: the cover is fetched again next time.
func (cv *Covers) store(key string, b []byte) {
	if cv.dir == "" {
		return
	}
	if err := os.MkdirAll(cv.dir, 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(cv.dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(cv.dir, key)) != nil {
		_ = os.Remove(tmp.Name())
		return
	}
	cv.trim()
}

func (cv *Covers) trim() {
	ents, err := os.ReadDir(cv.dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		size int64
		mod  time.Time
	}
	var files []file
	var total int64
	for _, e := range ents {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			files = append(files, file{e.Name(), info.Size(), info.ModTime()})
			total += info.Size()
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
	for _, f := range files {
		if total <= cv.cap {
			break
		}
		if os.Remove(filepath.Join(cv.dir, f.name)) == nil {
			total -= f.size
		}
	}
}
