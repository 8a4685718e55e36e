package command

import (
	"errors"
	"fmt"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/defaults"
	"github.com/pcplay/pcplay/player"
)

// Bounds of a command's fields (the table's checks).
const (
	// MaxRequestTracks is the most tracks one play_now, enqueue,
	// insert_next or replace carries; a client splits longer lists.
	MaxRequestTracks = 10_000
	// MaxTrackText is the most bytes of a track's name, title, artist or
	// album.
	MaxTrackText = 4096
	// MaxSeek bounds a seek's target and a seek_by's step either way.
	MaxSeek = 100 * time.Hour
	// MaxMeasure is the most tracks one measure names; a longer one is
	// ignored.
	MaxMeasure = 500
)

// The checks run before anything is done: a command that fails one is
// refused whole and changes nothing. A list with one bad entry is refused
// whole rather than played without it, so that what a client asked is
// either done or said to be refused.
//
// An index (play_index, remove, move) must not be negative; one past the
// queue's end is the player's to answer ("There is no track N in the
// queue." in its status), since a client's view of the queue may lag
// another client's change. A track's trackno is not checked (shown only).

// checkIndex: a queue index is not negative.
func checkIndex(name string, r Request) error {
	if r.Index < 0 {
		return fmt.Errorf("%s %d: a queue index is 0 or more", name, r.Index)
	}
	return nil
}

func checkMove(_ string, r Request) error {
	if r.Index < 0 || r.To < 0 {
		return fmt.Errorf("move %d to %d: queue indexes are 0 or more", r.Index, r.To)
	}
	return nil
}

func checkSeek(_ string, r Request) error {
	if r.Ms < 0 || r.Ms > MaxSeek.Milliseconds() {
		return fmt.Errorf("seek to %d ms: a position is 0 to %d ms (%v)", r.Ms, MaxSeek.Milliseconds(), MaxSeek)
	}
	return nil
}

func checkSeekBy(_ string, r Request) error {
	if r.Ms < -MaxSeek.Milliseconds() || r.Ms > MaxSeek.Milliseconds() {
		return fmt.Errorf("seek by %d ms: a step is at most %d ms (%v) either way", r.Ms, MaxSeek.Milliseconds(), MaxSeek)
	}
	return nil
}

func checkVolume(_ string, r Request) error {
	if r.Value < defaults.MinVolume || r.Value > defaults.MaxVolume {
		return fmt.Errorf("volume %d: the volume is %d to %d", r.Value, defaults.MinVolume, defaults.MaxVolume)
	}
	return nil
}

func checkBitrate(_ string, r Request) error {
	if !defaults.ValidBitrate(r.Value) {
		return fmt.Errorf("bitrate %d: the bitrate is %d to %d kbit/s", r.Value, defaults.MinBitrate, defaults.MaxBitrate)
	}
	return nil
}

func checkRepeat(_ string, r Request) error {
	if r.Value < int(player.RepeatOff) || r.Value > int(player.RepeatOne) {
		return fmt.Errorf("repeat %d: the repeat mode is 0 (off), 1 (all) or 2 (one)", r.Value)
	}
	return nil
}

func checkReplace(name string, r Request) error {
	switch {
	case len(r.Tracks) == 0:
		return errors.New("replace without tracks")
	case r.Index < -1 || r.Index >= len(r.Tracks):
		return fmt.Errorf("replace: start %d is outside the %d tracks", r.Index, len(r.Tracks))
	}
	return checkTracks(name, r)
}

// checkTracks checks a list of tracks; the error names the first bad
// entry (counted from 1).
func checkTracks(name string, r Request) error {
	ts := r.Tracks
	if len(ts) > MaxRequestTracks {
		return fmt.Errorf("%s of %d tracks: at most %d go in one command (send the rest in another); nothing was added", name, len(ts), MaxRequestTracks)
	}
	for i, t := range ts {
		if t.FileID == 0 {
			return fmt.Errorf("%s: entry %d of %d has no file id (0), and every entry needs the file id of a pCloud file; nothing was added", name, i+1, len(ts))
		}
		for _, f := range []struct{ name, v string }{{"name", t.Name}, {"title", t.Title}, {"artist", t.Artist}, {"album", t.Album}} {
			if len(f.v) > MaxTrackText {
				return fmt.Errorf("%s: entry %d of %d (file id %d) has a %s of %d bytes, over %d; nothing was added", name, i+1, len(ts), t.FileID, f.name, len(f.v), MaxTrackText)
			}
		}
	}
	return nil
}

// checkLogin checks a login; the error never quotes the token.
func checkLogin(_ string, r Request) error {
	switch r.Kind {
	case config.KindAuth, config.KindBearer, "": // "": either (PCLOUD_TOKEN)
	default:
		return fmt.Errorf("login of kind %q: the kind is %q, %q or empty; the engine keeps its login", Clip(r.Kind), config.KindAuth, config.KindBearer)
	}
	switch r.Region {
	case "us", "eu", "auto", "": // auto, "": the engine keeps its region
	default:
		return fmt.Errorf("login for region %q: the region is us, eu, auto or empty; the engine keeps its login", Clip(r.Region))
	}
	if r.Token == "" {
		return errors.New("login without a token: the engine keeps its login")
	}
	// The shape of a token is config's to say (a saved login's rules).
	if (config.SavedLogin{Token: r.Token, Kind: config.KindAuth}).Validate() != nil {
		return errors.New("login with a malformed token (too long, or with spaces or URL characters): the engine keeps its login")
	}
	return nil
}
