// Package playlist owns playlists: pCloud's own (collections, [PCloud]) and
// local ones kept as JSON files in a directory the caller gives ([Local]),
// for a login pCloud refuses them to or when there is no login at all.
// [Store] is what the UI, the engine and `pcplay playlist` use; [Auto] is
// the Store of both: it lists pCloud's playlists then the local ones,
// routes each call by the playlist's id, makes new playlists in pCloud
// unless pCloud refuses, and pushes a local playlist to pCloud
// ([Auto.Push]) when the login allows it. [Find] looks one up by name.
//
// m3u8 files of pCloud paths are read and written here too ([ReadM3U],
// [WriteM3U]); their paths are resolved to files by a [Resolver]
// ([APIResolver] lists folders; a library index can stand in for it).
//
// Positions in [Store] are 0-based (the first track is 0); pCloud's 1-based
// positions stay inside the pCloud store.
package playlist

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Track is one entry of a playlist: what the queue needs to play and show
// it.
type Track struct {
	FileID   uint64 `json:"fileid"`
	Name     string `json:"name"`
	Path     string `json:"path,omitempty"`     // the pCloud path, when known
	FolderID uint64 `json:"folderid,omitempty"` // the parent folder, when known
	Title    string `json:"title,omitempty"`
	Artist   string `json:"artist,omitempty"`
	Album    string `json:"album,omitempty"`
	// Duration is the track's length when known (the queue's, or the
	// library's); an m3u8 export writes it.
	Duration time.Duration `json:"duration,omitempty"`
}

// Display is "Artist - Title", the title alone, or the file name.
func (t Track) Display() string {
	title := t.Title
	if title == "" {
		title = strings.TrimSuffix(t.Name, extOf(t.Name))
	}
	if t.Artist != "" {
		return t.Artist + " - " + title
	}
	return title
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 5 {
		return name[i:]
	}
	return ""
}

// Playlist describes a playlist in a list.
type Playlist struct {
	ID       string // "pcloud:123" or "local:…"; opaque to callers
	Name     string
	Tracks   int
	ReadOnly bool // pCloud's own (e.g. "Most Listened"): can't be changed
	Local    bool // kept on this machine
	Modified time.Time
	// Problem is set for a local playlist whose file can't be read: one
	// sentence saying so ([Store.Open] answers it as its error).
	Problem string
}

// Store is a set of playlists. Every method may do network or disk work:
// call it off the UI's goroutine.
type Store interface {
	List(ctx context.Context) ([]Playlist, error)
	// Open returns the tracks in order.
	Open(ctx context.Context, id string) ([]Track, error)
	// Create makes a playlist of these tracks (tracks without a file id
	// are skipped and counted as failed).
	Create(ctx context.Context, name string, tracks []Track) (Playlist, AddResult, error)
	// Add appends tracks; a track already in the playlist is not added
	// again (pCloud allows no duplicates) but counted.
	Add(ctx context.Context, id string, tracks []Track) (AddResult, error)
	// Remove removes the tracks at these positions (0-based).
	Remove(ctx context.Context, id string, positions []int) error
	// Move moves the track at position from to position to (0-based).
	Move(ctx context.Context, id string, from, to int) error
	Rename(ctx context.Context, id, name string) error
	Delete(ctx context.Context, id string) error
}

// AddResult counts what adding tracks did.
type AddResult struct {
	Added      int
	Duplicates int // already in the playlist: not added again
	Failed     int // not added: no file id, or no longer in pCloud
}

// Sentence says it in one line: "Added 3 tracks; 2 were already in the
// playlist.".
func (r AddResult) Sentence() string {
	s := "Added " + plural(r.Added, "track", "tracks")
	if r.Duplicates > 0 {
		if r.Duplicates == 1 {
			s += "; 1 was already in the playlist"
		} else {
			s += fmt.Sprintf("; %d were already in the playlist", r.Duplicates)
		}
	}
	if r.Failed > 0 {
		s += fmt.Sprintf("; %s could not be added (no longer in your pCloud?)", plural(r.Failed, "track", "tracks"))
	}
	return s + "."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// The kinds of failure a [Store] reports (match them with [errors.Is]; show
// them with [Sentence]).
var (
	ErrNotFound    = errors.New("no such playlist")
	ErrNameTaken   = errors.New("playlist name taken")
	ErrReadOnly    = errors.New("read-only playlist")
	ErrBadPosition = errors.New("no such position in the playlist")
	ErrUnreadable  = errors.New("playlist file unreadable")
	ErrRefused     = errors.New("pCloud refuses playlists for this login")
)

// sentenceError is a failure with its sentence for a person.
type sentenceError struct {
	kind  error
	msg   string
	cause error
}

func (e *sentenceError) Error() string   { return e.msg }
func (e *sentenceError) Unwrap() []error { return []error{e.kind, e.cause} }

func failure(kind error, cause error, format string, args ...any) error {
	return &sentenceError{kind: kind, msg: fmt.Sprintf(format, args...), cause: cause}
}

func nameTaken(name string, cause error) error {
	return failure(ErrNameTaken, cause, "You already have a playlist called %q: choose another name.", name)
}

func notFound(id string) error {
	return failure(ErrNotFound, nil, "That playlist no longer exists (%s).", id)
}

func badPosition(p, n int) error {
	return failure(ErrBadPosition, nil, "There is no track %d in that playlist (it has %d).", p+1, n)
}

// Sentence explains any error of this package (or of api) to a person in
// one line.
func Sentence(err error) string {
	if err == nil {
		return ""
	}
	var se *sentenceError
	if errors.As(err, &se) {
		return se.msg
	}
	return apiSentence(err)
}
