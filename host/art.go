package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
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
	"github.com/pcplay/pcplay/internal/filetag"
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
	FileLink(ctx context.Context, fileID uint64) (api.Link, error)
	Fetch(ctx context.Context, l api.Link, rng string, limit int64) ([]byte, error)
	ReadRange(ctx context.Context, l api.Link, off, n int64) ([]byte, int64, error)
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
var ErrNoCover = errors.New("no cover found (looked for pCloud's thumbnail of the track, a picture in its tag, and a cover, folder, front or album picture in its folder)")

// Fetched is how many bytes of pictures were read from pCloud.
func (cv *Covers) Fetched() int64 {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	return cv.fetched
}

// Cover returns the picture bytes (JPEG, PNG or WebP) of a track's cover
// at about px x px pixels: from the disk cache (keyed by the track's file
// id and hash, and px), else pCloud's thumbnail of the track when its
// metadata says thumb, else the picture embedded in the file's ID3v2 tag,
// else a cover image in its folder through getthumblink. ErrNoCover when
// there is none.
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
		if b, err := cv.embedded(ctx, c, fileID, px); err == nil {
			cv.store(key, b)
			return b, nil
		} else if ctx.Err() != nil {
			return nil, err
		}
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
	cv.count(len(b))
	if _, err := art.Decode(b); err != nil {
		return nil, err
	}
	cv.store(key, b)
	return b, nil
}

// embedded reads the picture in a file's tag (ID3v2 APIC, FLAC PICTURE,
// MP4 covr) with ranged requests on a getfilelink of the original
// ([filetag.Read]: never the audio after the tag). The picture is scaled
// to px and kept as a JPEG. An error: no tag, no picture, or one that
// cannot be read.
func (cv *Covers) embedded(ctx context.Context, c CoverAPI, fileID uint64, px int) ([]byte, error) {
	l, err := c.FileLink(ctx, fileID)
	if err != nil {
		return nil, err
	}
	t, fetched, err := filetag.Read(ctx, func(ctx context.Context, off, n int64) ([]byte, int64, error) {
		return c.ReadRange(ctx, l, off, n)
	})
	cv.count(int(fetched))
	if err != nil {
		if errors.Is(err, filetag.ErrNoTag) || errors.Is(err, filetag.ErrUnreadable) {
			return nil, errNoTag
		}
		return nil, err
	}
	if t.Meta == nil || t.Meta.Picture() == nil {
		return nil, errNoTag
	}
	img, err := art.Decode(t.Meta.Picture().Data)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, art.Scale(img, px, px), &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var errNoTag = errors.New("no picture in the file's tag")

func (cv *Covers) count(n int) {
	cv.mu.Lock()
	cv.fetched += int64(n)
	cv.mu.Unlock()
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
