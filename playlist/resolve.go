package playlist

import (
	"context"
	"errors"
	"path"
	"sync"

	"github.com/pcplay/pcplay/api"
)

// APIResolver resolves paths with listfolder, one call a folder (cached).
// A library index can stand in for it ([Resolver]).
type APIResolver struct {
	c *api.Client

	mu      sync.Mutex
	byPath  map[string]*api.Metadata // folder path → its listing
	folders map[uint64]folderInfo    // folderid → name and parent
	missing map[string]error         // folder path → pCloud's "no such folder"
}

type folderInfo struct {
	path string // "" until known
	name string
	up   uint64
}

// NewAPIResolver uses c's login.
func NewAPIResolver(c *api.Client) *APIResolver {
	return &APIResolver{c: c, byPath: map[string]*api.Metadata{}, folders: map[uint64]folderInfo{0: {path: "/"}}, missing: map[string]error{}}
}

// ResolvePath finds the file at p.
func (r *APIResolver) ResolvePath(ctx context.Context, p string) (Track, error) {
	dir, base := path.Split(p)
	if base == "" {
		return Track{}, failure(ErrNotFound, nil, "That is a folder, not a file.")
	}
	dir = path.Clean(dir)
	r.mu.Lock()
	md, ok := r.byPath[dir]
	gone := r.missingLocked(dir)
	r.mu.Unlock()
	if gone != nil {
		return Track{}, gone
	}
	if !ok {
		var err error
		md, err = r.c.ListPath(ctx, dir, false)
		if err != nil {
			if noSuchFolder(err) {
				// Asked once: the other lines in it (or below it) get the
				// same answer (an import of 100,000 lines under 1,000
				// missing folders made 100,000 calls).
				r.mu.Lock()
				r.missing[dir] = err
				r.mu.Unlock()
			}
			return Track{}, err
		}
		r.mu.Lock()
		r.byPath[dir] = md
		r.folders[md.FolderID] = folderInfo{path: dir, name: md.Name, up: md.ParentFolderID}
		r.mu.Unlock()
	}
	for _, m := range md.Contents {
		if m.Name != base {
			continue
		}
		if m.IsFolder {
			return Track{}, failure(ErrNotFound, nil, "That is a folder, not a file.")
		}
		t := TrackOf(m)
		t.Path = p
		return t, nil
	}
	return Track{}, failure(ErrNotFound, nil, "There is no such file in your pCloud.")
}

// missingLocked is pCloud's answer for dir when dir or a folder above it
// is known not to exist; nil otherwise.
func (r *APIResolver) missingLocked(dir string) error {
	for d := dir; ; d = path.Dir(d) {
		if err, ok := r.missing[d]; ok {
			return err
		}
		if d == "/" || d == "." {
			return nil
		}
	}
}

// noSuchFolder reports pCloud's answer for a folder that does not exist
// (2005), or one on the way to it (2002).
func noSuchFolder(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && (e.Code == 2005 || e.Code == 2002)
}

// TrackPath finds the path of a track from its folder (walking up the
// folders, each listed once).
func (r *APIResolver) TrackPath(ctx context.Context, t Track) (string, error) {
	if t.Path != "" {
		return t.Path, nil
	}
	if t.FileID == 0 || t.Name == "" {
		return "", failure(ErrNotFound, nil, "That track has no pCloud file.")
	}
	dir, err := r.folderPath(ctx, t.FolderID, 0)
	if err != nil {
		return "", err
	}
	return path.Join(dir, t.Name), nil
}

func (r *APIResolver) folderPath(ctx context.Context, id uint64, depth int) (string, error) {
	r.mu.Lock()
	fi, ok := r.folders[id]
	r.mu.Unlock()
	if ok && fi.path != "" {
		return fi.path, nil
	}
	if depth > 64 {
		return "", failure(ErrNotFound, nil, "The folders above that track go too deep to follow.")
	}
	if !ok {
		md, err := r.c.ListFolder(ctx, id, false)
		if err != nil {
			return "", err
		}
		fi = folderInfo{name: md.Name, up: md.ParentFolderID}
	}
	up, err := r.folderPath(ctx, fi.up, depth+1)
	if err != nil {
		return "", err
	}
	fi.path = path.Join(up, fi.name)
	r.mu.Lock()
	r.folders[id] = fi
	r.mu.Unlock()
	return fi.path, nil
}
