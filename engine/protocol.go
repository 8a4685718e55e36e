package engine

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/defaults"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

// Protocol is the version of the socket protocol. A client and an engine of
// different protocols refuse each other.
const Protocol = 2

// Line limits.
const (
	MaxClientLine = 1 << 20 // a command (a long PlayNow list fits)
	MaxServerLine = 8 << 20 // a queue message
)

// Timeouts.
const (
	// HandshakeTimeout bounds the hello exchange and the first snapshot on
	// both sides.
	HandshakeTimeout = 5 * time.Second
	// WriteTimeout bounds one write on either side; a peer that does not
	// read for that long is dropped.
	WriteTimeout = 5 * time.Second
	// commandWriteTimeout bounds a client's command write: commands are
	// fire-and-forget and never hold up the UI for long.
	commandWriteTimeout = 2 * time.Second
)

// Version is this program's version, sent in the hello. main sets it.
var Version = "dev"

type hello struct {
	Protocol int    `json:"protocol"`
	Version  string `json:"version"`
	PID      int    `json:"pid,omitempty"` // the engine's process id
}

// request is a line from a client.
type request struct {
	Hello *hello `json:"hello,omitempty"`

	Cmd    string         `json:"cmd,omitempty"`
	Index  int            `json:"index,omitempty"`  // play_index, remove; move's from; replace's start
	To     int            `json:"to,omitempty"`     // move
	Ms     int64          `json:"ms,omitempty"`     // seek, seek_by
	Value  int            `json:"value,omitempty"`  // volume, bitrate, repeat
	On     bool           `json:"on,omitempty"`     // shuffle
	Tracks []player.Track `json:"tracks,omitempty"` // play_now, enqueue, insert_next, replace
	Seq    uint64         `json:"seq,omitempty"`    // sync
	Files  []uint64       `json:"files,omitempty"`  // measure: file ids

	Path     string `json:"path,omitempty"`     // folder
	FolderID uint64 `json:"folderid,omitempty"` // folder

	Token  string `json:"token,omitempty"` // login
	Kind   string `json:"kind,omitempty"`
	Region string `json:"region,omitempty"`
}

// queueMsg is the queue as of generation Gen.
type queueMsg struct {
	Gen    uint64         `json:"gen"`
	Tracks []player.Track `json:"tracks"`
}

// message is a line from the engine.
type message struct {
	Hello   *hello         `json:"hello,omitempty"`
	Refused string         `json:"refused,omitempty"` // the hello was refused: a sentence
	Queue   *queueMsg      `json:"queue,omitempty"`
	Status  *player.Status `json:"status,omitempty"`
	Sync    uint64         `json:"sync,omitempty"`
	Error   string         `json:"error,omitempty"` // the last line was refused; the engine closes
	Bye     string         `json:"bye,omitempty"`   // the engine is going away: why
	// Library is the music library's state (scan progress, generation),
	// sent after the first status and whenever it changes.
	Library *library.State `json:"library,omitempty"`
}

// errLineTooLong is a line over the limit.
var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most max bytes (without the newline). A
// longer line is errLineTooLong; the rest of it is not read.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		frag, err := r.ReadSlice('\n')
		if len(line)+len(frag) > max+1 { // +1: the newline
			return nil, errLineTooLong
		}
		line = append(line, frag...)
		switch {
		case err == nil:
			return bytes.TrimRight(line[:len(line)-1], "\r"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// decodeLine parses one JSON object; anything else is an error.
func decodeLine(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("not a JSON object: %s", shortErr(err))
	}
	if d.More() {
		return errors.New("more than one JSON value on a line")
	}
	return nil
}

// shortErr keeps an error's text short (JSON errors may quote the input).
func shortErr(err error) string {
	s := err.Error()
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// encodeLine is v as one line, or an error when it is over max.
func encodeLine(v any, max int) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if len(b)+1 > max {
		return nil, fmt.Errorf("a %d-byte message is over the %d-byte limit", len(b), max)
	}
	return append(b, '\n'), nil
}

// Bounds of a command's fields (request.validate).
const (
	// MaxRequestTracks is the most tracks one play_now, enqueue or
	// insert_next carries; Client splits longer lists.
	MaxRequestTracks = 10_000
	// MaxTrackText is the most bytes of a track's name, title, artist or
	// album.
	MaxTrackText = 4096
	// MaxSeek bounds a seek's target and a seek_by's step either way.
	MaxSeek = 100 * time.Hour
)

// validate checks every field the command uses, before anything is done:
// a command that fails is refused whole (an error line naming the field, or
// the entry of a list, and the connection closes) and changes nothing. A
// list with one bad entry is refused whole rather than played without it,
// so that what a client asked is either done or said to be refused.
//
// An index (play_index, remove, move) must not be negative; one past the
// queue's end is the player's to answer ("There is no track N in the
// queue." in its status), since a client's view of the queue may lag
// another client's change. Fields a command does not use are ignored, as is
// a track's trackno (shown only).
func (r *request) validate() error {
	switch r.Cmd {
	case "play_index", "remove":
		if r.Index < 0 {
			return fmt.Errorf("%s %d: a queue index is 0 or more", r.Cmd, r.Index)
		}
	case "move":
		if r.Index < 0 || r.To < 0 {
			return fmt.Errorf("move %d to %d: queue indexes are 0 or more", r.Index, r.To)
		}
	case "seek":
		if r.Ms < 0 || r.Ms > MaxSeek.Milliseconds() {
			return fmt.Errorf("seek to %d ms: a position is 0 to %d ms (%v)", r.Ms, MaxSeek.Milliseconds(), MaxSeek)
		}
	case "seek_by":
		if r.Ms < -MaxSeek.Milliseconds() || r.Ms > MaxSeek.Milliseconds() {
			return fmt.Errorf("seek by %d ms: a step is at most %d ms (%v) either way", r.Ms, MaxSeek.Milliseconds(), MaxSeek)
		}
	case "volume":
		if r.Value < defaults.MinVolume || r.Value > defaults.MaxVolume {
			return fmt.Errorf("volume %d: the volume is %d to %d", r.Value, defaults.MinVolume, defaults.MaxVolume)
		}
	case "bitrate":
		if !defaults.ValidBitrate(r.Value) {
			return fmt.Errorf("bitrate %d: the bitrate is %d to %d kbit/s", r.Value, defaults.MinBitrate, defaults.MaxBitrate)
		}
	case "repeat":
		if r.Value < int(player.RepeatOff) || r.Value > int(player.RepeatOne) {
			return fmt.Errorf("repeat %d: the repeat mode is 0 (off), 1 (all) or 2 (one)", r.Value)
		}
	case "play_now", "enqueue", "insert_next":
		return validateTracks(r.Cmd, r.Tracks)
	case "replace":
		switch {
		case len(r.Tracks) == 0:
			return errors.New("replace without tracks")
		case r.Index < -1 || r.Index >= len(r.Tracks):
			return fmt.Errorf("replace: start %d is outside the %d tracks", r.Index, len(r.Tracks))
		}
		return validateTracks(r.Cmd, r.Tracks)
	case "login":
		return validateLogin(r.Token, r.Kind, r.Region)
	}
	return nil
}

// validateTracks checks a list of tracks; the error names the first bad
// entry (counted from 1).
func validateTracks(cmd string, ts []player.Track) error {
	if len(ts) > MaxRequestTracks {
		return fmt.Errorf("%s of %d tracks: at most %d go in one command (send the rest in another); nothing was added", cmd, len(ts), MaxRequestTracks)
	}
	for i, t := range ts {
		if t.FileID == 0 {
			return fmt.Errorf("%s: entry %d of %d has no file id (0), and every entry needs the file id of a pCloud file; nothing was added", cmd, i+1, len(ts))
		}
		for _, f := range []struct{ name, v string }{{"name", t.Name}, {"title", t.Title}, {"artist", t.Artist}, {"album", t.Album}} {
			if len(f.v) > MaxTrackText {
				return fmt.Errorf("%s: entry %d of %d (file id %d) has a %s of %d bytes, over %d; nothing was added", cmd, i+1, len(ts), t.FileID, f.name, len(f.v), MaxTrackText)
			}
		}
	}
	return nil
}

// validateLogin checks a login; the error never quotes the token.
func validateLogin(token, kind, region string) error {
	switch kind {
	case config.KindAuth, config.KindBearer, "": // "": either (PCLOUD_TOKEN)
	default:
		return fmt.Errorf("login of kind %q: the kind is %q, %q or empty; the engine keeps its login", clip(kind), config.KindAuth, config.KindBearer)
	}
	switch region {
	case "us", "eu", "auto", "": // auto, "": the engine keeps its region
	default:
		return fmt.Errorf("login for region %q: the region is us, eu, auto or empty; the engine keeps its login", clip(region))
	}
	if token == "" {
		return errors.New("login without a token: the engine keeps its login")
	}
	// The shape of a token is config's to say (a saved login's rules).
	if (config.SavedLogin{Token: token, Kind: config.KindAuth}).Validate() != nil {
		return errors.New("login with a malformed token (too long, or with spaces or URL characters): the engine keeps its login")
	}
	return nil
}
