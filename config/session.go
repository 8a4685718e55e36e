package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/defaults"
)

// SessionVersion is the version of the session file that [SaveSession] writes.
const SessionVersion = 1

// maxSessionFile bounds what [LoadSession] reads (a queue of 100,000 tracks is
// about 20 MB).
const maxSessionFile = 64 << 20

// Folder is a pCloud folder: its path and id. The UI's last folder is kept
// in the session as this plain value.
type Folder struct {
	Path string // pCloud path such as "/Music/Live"; "" when not known
	ID   uint64 // pCloud folder id (0: the root, or not known)
}

// SessionTrack is one entry of the saved queue: what it takes to play the
// file again and to show it before its tags are read.
type SessionTrack struct {
	FileID  uint64 `json:"fileid"`
	Name    string `json:"name"` // file name
	Title   string `json:"title,omitempty"`
	Artist  string `json:"artist,omitempty"`
	Album   string `json:"album,omitempty"`
	TrackNo int    `json:"trackno,omitempty"`
	// DurationMS is the track's length in milliseconds once the player
	// has known it (0: not known), so that a restored queue shows its
	// total time before every track has played again.
	DurationMS int64 `json:"duration_ms,omitempty"`
}

// Repeat is the saved repeat mode.
type Repeat string

// The repeat modes. The zero [Repeat] ("") is saved as [RepeatOff].
const (
	RepeatOff Repeat = "off"
	RepeatAll Repeat = "all"
	RepeatOne Repeat = "one"
)

// repeatCodes are the repeat modes as the file has them (0, 1, 2), in order.
var repeatCodes = []Repeat{RepeatOff, RepeatAll, RepeatOne}

// code is r as the file writes it; -1 for an unknown mode.
func (r Repeat) code() int {
	if r == "" {
		return 0
	}
	for i, m := range repeatCodes {
		if m == r {
			return i
		}
	}
	return -1
}

// Session is what pcplay restores on start: the last folder, the queue, the
// track and second, and the playback settings.
//
// The file (session.json) keeps the format pcplay has always written:
// Position as seconds (a JSON number with up to millisecond precision, e.g.
// "position": 83.25), the folder as "folder" (path) and "folderid", and
// [Repeat] as a number (0 off, 1 all, 2 one).
type Session struct {
	Version  int
	Folder   Folder // the UI's last folder
	Queue    []SessionTrack
	Index    int           // current track in Queue; -1 when none
	Position time.Duration // in the current track
	Volume   int           // 0..100
	Shuffle  bool
	Repeat   Repeat
	Bitrate  int // kbit/s; 0 when unset
	// Playing says the music was playing (or loading, or waiting for
	// pCloud) when the session was saved, not paused or stopped: with
	// config resume_playing it starts playing again at the next start.
	Playing bool
	// Settings are the settings' bitrate and volume (config file, else
	// the defaults) as they were when the session was saved: at the next
	// start, a setting that changed since wins over the session's value,
	// one that did not leaves the session's. nil: not known (a file saved
	// before this field), the session wins.
	Settings *SessionSettings
}

// SessionSettings are the settings a session was saved under.
type SessionSettings struct {
	Bitrate int `json:"bitrate"`
	Volume  int `json:"volume"`
}

// sessionJSON is [Session] as it is in the file.
type sessionJSON struct {
	Version  int              `json:"version"`
	Folder   string           `json:"folder"`
	FolderID uint64           `json:"folderid"`
	Queue    []SessionTrack   `json:"queue"`
	Index    int              `json:"index"`
	Position float64          `json:"position"`
	Volume   int              `json:"volume"`
	Shuffle  bool             `json:"shuffle"`
	Repeat   int              `json:"repeat"`
	Bitrate  int              `json:"bitrate"`
	Playing  bool             `json:"playing,omitempty"`
	Settings *SessionSettings `json:"settings,omitempty"`
}

// MarshalJSON writes the file's format.
func (s Session) MarshalJSON() ([]byte, error) {
	return json.Marshal(sessionJSON{
		Settings: s.Settings,
		Version:  s.Version,
		Folder:   s.Folder.Path,
		FolderID: s.Folder.ID,
		Queue:    s.Queue,
		Index:    s.Index,
		Position: math.Round(s.Position.Seconds()*1000) / 1000,
		Volume:   s.Volume,
		Shuffle:  s.Shuffle,
		Repeat:   s.Repeat.code(),
		Bitrate:  s.Bitrate,
		Playing:  s.Playing,
	})
}

// UnmarshalJSON reads the file's format.
func (s *Session) UnmarshalJSON(b []byte) error {
	var j sessionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if math.IsNaN(j.Position) || j.Position < 0 || j.Position > 1e6 {
		return errors.New("position out of range")
	}
	if j.Repeat < 0 || j.Repeat >= len(repeatCodes) {
		return fmt.Errorf("repeat %d is not 0 (off), 1 (all) or 2 (one)", j.Repeat)
	}
	*s = Session{
		Version:  j.Version,
		Folder:   Folder{Path: j.Folder, ID: j.FolderID},
		Queue:    j.Queue,
		Index:    j.Index,
		Position: time.Duration(math.Round(j.Position*1000)) * time.Millisecond,
		Volume:   j.Volume,
		Shuffle:  j.Shuffle,
		Repeat:   repeatCodes[j.Repeat],
		Bitrate:  j.Bitrate,
		Playing:  j.Playing,
		Settings: j.Settings,
	}
	return nil
}

// Validate reports a session that cannot be restored as it is.
func (s Session) Validate() error {
	switch {
	case s.Version != SessionVersion:
		return fmt.Errorf("version %d is not %d", s.Version, SessionVersion)
	case s.Folder.Path != "" && !strings.HasPrefix(s.Folder.Path, "/"):
		return errors.New("the folder is not a path starting with /")
	case len(s.Queue) == 0 && s.Index > 0:
		return fmt.Errorf("index %d points into an empty queue", s.Index)
	case len(s.Queue) > 0 && (s.Index < -1 || s.Index >= len(s.Queue)):
		return fmt.Errorf("index %d is outside the queue of %d tracks", s.Index, len(s.Queue))
	case s.Index < -1:
		return fmt.Errorf("index %d is negative", s.Index)
	case s.Position < 0:
		return fmt.Errorf("position %v is negative", s.Position)
	case s.Volume < defaults.MinVolume || s.Volume > defaults.MaxVolume:
		return fmt.Errorf("volume %d is not between %d and %d", s.Volume, defaults.MinVolume, defaults.MaxVolume)
	case s.Repeat.code() < 0:
		return fmt.Errorf("repeat %q is not off, all or one", s.Repeat)
	case s.Bitrate != 0 && !defaults.ValidBitrate(s.Bitrate):
		return fmt.Errorf("bitrate %d is not between %d and %d", s.Bitrate, defaults.MinBitrate, defaults.MaxBitrate)
	}
	for i, t := range s.Queue {
		if t.FileID == 0 {
			return fmt.Errorf("track %d of the queue has no file id", i+1)
		}
		if t.DurationMS < 0 {
			return fmt.Errorf("track %d of the queue has a negative duration", i+1)
		}
	}
	return nil
}

// SaveSession writes s to path atomically (see [WriteFileAtomic]), mode 0600.
// A zero [Session.Version] is written as [SessionVersion], a zero [Repeat] as [RepeatOff]. path's directory is created
// (0700) if missing.
func SaveSession(path string, s Session) error {
	if s.Version == 0 {
		s.Version = SessionVersion
	}
	if s.Repeat == "" {
		s.Repeat = RepeatOff
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("cannot save the session: %v", err)
	}
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("cannot save the session: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cannot save the session: %w", err)
	}
	return WriteFileAtomic(path, append(data, '\n'), 0o600)
}

// LoadSession reads the session saved at path. A missing file is not an
// error: it returns the zero [Session] and nil. A corrupt file (not JSON, an
// unknown version, an index outside the queue, ...) is an error naming the
// file; the caller reports it and starts afresh.
func LoadSession(path string) (Session, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Session{}, nil
	}
	if err != nil {
		return Session{}, fmt.Errorf("cannot read session file %s: %w", path, reason(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSessionFile+1))
	if err != nil {
		return Session{}, fmt.Errorf("cannot read session file %s: %w", path, reason(err))
	}
	if len(data) > maxSessionFile {
		return Session{}, fmt.Errorf("session file %s is too large (over %d MB)", path, maxSessionFile>>20)
	}
	var s Session
	if err := json.Unmarshal(data, &s); err != nil {
		return Session{}, fmt.Errorf("session file %s is not valid; starting afresh", path)
	}
	if err := s.Validate(); err != nil {
		return Session{}, fmt.Errorf("session file %s is not valid (%v); starting afresh", path, err)
	}
	return s, nil
}
