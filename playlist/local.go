package playlist

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/order"
	"golang.org/x/sys/unix"
)

// LocalPrefix starts the id of every local playlist.
const LocalPrefix = "local:"

// localVersion is the file format's version.
const localVersion = 1

// Local keeps playlists as JSON files, one a playlist, in a directory
// (created 0700; files 0600, replaced atomically: temp file, fsync,
// rename). It is safe for concurrent use in one process; another process
// sees each file whole, old or new.
type Local struct {
	dir string
	mu  sync.Mutex
	now func() time.Time
}

// localFile is a playlist file.
type localFile struct {
	Version  int       `json:"version"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	Tracks   []Track   `json:"tracks"`
}

// NewLocal opens (and creates) the directory of local playlists.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("no directory for local playlists")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("can't make the playlists directory %s: %w", dir, err)
	}
	return &Local{dir: dir, now: time.Now}, nil
}

// Dir is the directory the playlists are kept in.
func (l *Local) Dir() string { return l.dir }

func (l *Local) path(id string) (string, bool) {
	key, ok := strings.CutPrefix(id, LocalPrefix)
	if !ok || key == "" || strings.ContainsAny(key, `/\.`) {
		return "", false
	}
	return filepath.Join(l.dir, key+".json"), true
}

// read loads one playlist file.
func (l *Local) read(id string) (*localFile, error) {
	p, ok := l.path(id)
	if !ok {
		return nil, notFound(id)
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, failure(ErrUnreadable, err, "Can't read the playlist file %s: %v.", p, unwrapPath(err))
	}
	var f localFile
	if err := json.Unmarshal(data, &f); err != nil || f.Version < 1 || f.Version > localVersion || f.Name == "" {
		why := "it is not a pcplay playlist"
		if err != nil {
			why = "it is damaged (" + err.Error() + ")"
		} else if f.Version > localVersion {
			why = "it was written by a newer pcplay"
		}
		return nil, failure(ErrUnreadable, err, "The playlist file %s can't be read: %s; it was left as it is (fix or delete it).", p, why)
	}
	return &f, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (l *Local) write(id string, f *localFile) error {
	p, _ := l.path(id)
	f.Version = localVersion
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := config.WriteFileAtomic(p, append(data, '\n'), 0o600); err != nil {
		return failure(ErrUnreadable, err, "Can't save the playlist: %v.", err)
	}
	return nil
}

// List returns every playlist, by name in [order.Compare]'s order;
// unreadable files are listed with their [Playlist.Problem].
func (l *Local) List(context.Context) ([]Playlist, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.listLocked()
}

func (l *Local) listLocked() ([]Playlist, error) {
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return nil, failure(ErrUnreadable, err, "Can't read the playlists directory %s: %v.", l.dir, unwrapPath(err))
	}
	var out []Playlist
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") || e.IsDir() {
			continue
		}
		id := LocalPrefix + strings.TrimSuffix(name, ".json")
		f, err := l.read(id)
		if err != nil {
			out = append(out, Playlist{ID: id, Name: strings.TrimSuffix(name, ".json"), Local: true, Problem: Sentence(err)})
			continue
		}
		out = append(out, Playlist{ID: id, Name: f.Name, Tracks: len(f.Tracks), Local: true, Modified: f.Modified})
	}
	slices.SortFunc(out, func(a, b Playlist) int { return order.Compare(a.Name, b.Name) })
	return out, nil
}

// Open returns the tracks of a playlist.
func (l *Local) Open(_ context.Context, id string) ([]Track, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := l.read(id)
	if err != nil {
		return nil, err
	}
	return f.Tracks, nil
}

// lock takes the playlists for a change: the mutex against this process's
// other goroutines, and a lock on the directory's lock file against other
// processes (two processes adding 200 tracks each kept 212 before: each
// read, changed and wrote the file over the other's change).
func (l *Local) lock() (unlock func(), err error) {
	l.mu.Lock()
	f, err := os.OpenFile(filepath.Join(l.dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err == nil {
		for {
			err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
			if !errors.Is(err, unix.EINTR) {
				break
			}
		}
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		l.mu.Unlock()
		return nil, failure(ErrUnreadable, err, "Can't lock the playlists in %s: %v.", l.dir, unwrapPath(err))
	}
	return func() {
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
		l.mu.Unlock()
	}, nil
}

// Create makes a playlist; the name must be new.
func (l *Local) Create(_ context.Context, name string, tracks []Track) (Playlist, AddResult, error) {
	if strings.TrimSpace(name) == "" {
		return Playlist{}, AddResult{}, failure(ErrNameTaken, nil, "A playlist needs a name.")
	}
	unlock, err := l.lock()
	if err != nil {
		return Playlist{}, AddResult{}, err
	}
	defer unlock()
	list, err := l.listLocked()
	if err != nil {
		return Playlist{}, AddResult{}, err
	}
	for _, p := range list {
		if p.Name == name && p.Problem == "" {
			return Playlist{}, AddResult{}, nameTaken(name, nil)
		}
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	id := LocalPrefix + hex.EncodeToString(b)
	now := l.now().UTC()
	f := &localFile{Name: name, Created: now, Modified: now}
	res := appendTracks(f, tracks)
	if err := l.write(id, f); err != nil {
		return Playlist{}, AddResult{}, err
	}
	return Playlist{ID: id, Name: name, Tracks: len(f.Tracks), Local: true, Modified: now}, res, nil
}

// appendTracks adds tracks that have a file id and are not there yet.
func appendTracks(f *localFile, tracks []Track) AddResult {
	in := map[uint64]bool{}
	for _, t := range f.Tracks {
		in[t.FileID] = true
	}
	var r AddResult
	for _, t := range tracks {
		switch {
		case t.FileID == 0:
			r.Failed++
		case in[t.FileID]:
			r.Duplicates++
		default:
			in[t.FileID] = true
			f.Tracks = append(f.Tracks, t)
			r.Added++
		}
	}
	return r
}

// update runs change on a playlist's file and saves it.
func (l *Local) update(id string, change func(f *localFile) error) error {
	unlock, err := l.lock()
	if err != nil {
		return err
	}
	defer unlock()
	f, err := l.read(id)
	if err != nil {
		return err
	}
	if err := change(f); err != nil {
		return err
	}
	f.Modified = l.now().UTC()
	return l.write(id, f)
}

// Add appends tracks.
func (l *Local) Add(_ context.Context, id string, tracks []Track) (AddResult, error) {
	var r AddResult
	err := l.update(id, func(f *localFile) error {
		r = appendTracks(f, tracks)
		return nil
	})
	return r, err
}

// Remove removes the tracks at these positions.
func (l *Local) Remove(_ context.Context, id string, positions []int) error {
	return l.update(id, func(f *localFile) error {
		drop := map[int]bool{}
		for _, p := range positions {
			if p < 0 || p >= len(f.Tracks) {
				return badPosition(p, len(f.Tracks))
			}
			drop[p] = true
		}
		keep := f.Tracks[:0]
		for i, t := range f.Tracks {
			if !drop[i] {
				keep = append(keep, t)
			}
		}
		f.Tracks = keep
		return nil
	})
}

// Move moves one track.
func (l *Local) Move(_ context.Context, id string, from, to int) error {
	return l.update(id, func(f *localFile) error {
		n := len(f.Tracks)
		if from < 0 || from >= n {
			return badPosition(from, n)
		}
		if to < 0 || to >= n {
			return badPosition(to, n)
		}
		t := f.Tracks[from]
		f.Tracks = slices.Delete(f.Tracks, from, from+1)
		f.Tracks = slices.Insert(f.Tracks, to, t)
		return nil
	})
}

// Rename renames a playlist; the name must be new.
func (l *Local) Rename(_ context.Context, id, name string) error {
	if strings.TrimSpace(name) == "" {
		return failure(ErrNameTaken, nil, "A playlist needs a name.")
	}
	return l.update(id, func(f *localFile) error {
		list, err := l.listLocked()
		if err != nil {
			return err
		}
		for _, p := range list {
			if p.Name == name && p.ID != id && p.Problem == "" {
				return nameTaken(name, nil)
			}
		}
		f.Name = name
		return nil
	})
}

// Delete removes a playlist's file.
func (l *Local) Delete(_ context.Context, id string) error {
	unlock, err := l.lock()
	if err != nil {
		return err
	}
	defer unlock()
	p, ok := l.path(id)
	if !ok {
		return notFound(id)
	}
	if err := os.Remove(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return notFound(id)
		}
		return failure(ErrUnreadable, err, "Can't delete the playlist file %s: %v.", p, unwrapPath(err))
	}
	return nil
}
