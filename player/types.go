package player

import (
	"context"
	"fmt"
	"time"

	"github.com/pcplay/pcplay/internal/trackname"
)

// Track is one entry of the queue. The player knows a track by its pCloud file
// id; the other fields are for display.
type Track struct {
	FileID  uint64 `json:"fileid"`
	Name    string `json:"name"` // file name
	Title   string `json:"title,omitempty"`
	Artist  string `json:"artist,omitempty"`
	Album   string `json:"album,omitempty"`
	TrackNo int    `json:"trackno,omitempty"`
	// Duration is the track's length once the player has known it (it
	// fills it in while the track plays); 0: not known yet.
	Duration time.Duration `json:"duration,omitempty"`
}

// Label is how a track reads in the UI and in `pcplay ctl`: "Artist –
// Title" when tagged, the title alone; untagged, what its file name says
// as the library reads it ("01 - Nina Simone - Feeling Good.mp3": "Nina
// Simone – Feeling Good"; the Songs view showed that title, the queue the
// file name), else the file name.
func (t Track) Label() string {
	title, artist := t.Title, t.Artist
	if title == "" {
		fn := trackname.Parse(t.Name)
		title = fn.Title
		if artist == "" {
			artist = fn.Artist
		}
	}
	switch {
	case title != "" && artist != "":
		return artist + " – " + title
	case title != "":
		return title
	}
	return t.Name
}

// Link is a stream link: one URL per host, best first, valid until Expires
// (zero: unknown).
type Link struct {
	URLs    []string
	Expires time.Time
}

// LinkSource gets stream links; the api client behind a small adapter. To
// start a stream later in the track the player adds `start=SECONDS` to a URL
// itself.
type LinkSource interface {
	AudioLink(ctx context.Context, fileID uint64, bitrate int) (Link, error)
}

// State is what the player is doing.
type State int

// Player states.
const (
	Stopped State = iota
	Loading
	Buffering
	Playing
	Paused
	Reconnecting
	Errored
	// Waiting: pCloud can't be reached (or limits requests); the track
	// holds where it is and the player tries again at Status.RetryAt.
	Waiting
)

var stateNames = [...]string{
	Stopped:      "stopped",
	Loading:      "loading",
	Buffering:    "buffering",
	Playing:      "playing",
	Paused:       "paused",
	Reconnecting: "reconnecting",
	Errored:      "error",
	Waiting:      "waiting",
}

// String is the state in one lower-case word, as the UI and ctl show it.
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "unknown"
	}
	return stateNames[s]
}

// Repeat is the repeat mode.
type Repeat int

// Repeat modes.
const (
	RepeatOff Repeat = iota
	RepeatAll
	RepeatOne
)

// String is "off", "all" or "one".
func (r Repeat) String() string {
	switch r {
	case RepeatAll:
		return "all"
	case RepeatOne:
		return "one"
	}
	return "off"
}

// Status is a snapshot of the playback state, sent with every event.
type Status struct {
	State    State
	Index    int           // index of the current track in the queue; -1 when none
	Track    Track         // the current track (zero when Index is -1)
	Position time.Duration // elapsed in the current track
	Duration time.Duration // 0 when unknown
	Volume   int           // 0..100, on a logarithmic scale underneath
	Muted    bool
	Shuffle  bool
	Repeat   Repeat
	Bitrate  int    // kbit/s asked of getaudiolink
	Err      string // last error as a sentence for a person; "" when none
	QueueGen uint64 // changes whenever the queue changes; call Queue() then
	Undos    int    // queue changes Undo can take back (0: nothing to undo)

	// While State is Waiting: when the player tries pCloud again, how long
	// that is from the snapshot (whole seconds, rounded up: the countdown,
	// which changes once a second while waiting), and why it waits, in
	// words.
	RetryAt time.Time     `json:",omitempty"`
	RetryIn time.Duration `json:",omitempty"`
	Reason  string        `json:",omitempty"`
	// NeedLogin: Err is pCloud refusing the login or the token; playback
	// stopped and the person has to log in again.
	NeedLogin bool `json:",omitempty"`

	// The sleep timer (SetSleep): when the music pauses (zero: no sleep
	// set), and how long that is from the snapshot (whole seconds,
	// rounded up: the countdown, which changes once a second while a
	// sleep is set).
	SleepAt time.Time     `json:",omitzero"`
	SleepIn time.Duration `json:",omitempty"`
}

// Controller is everything a user interface can ask of a player. *Player
// implements it in-process; a client of the background engine implements it
// over a socket. Methods never block on the network: failures come back as
// Status.Err in a later event.
type Controller interface {
	// Status is the current snapshot; Queue a copy of the queue.
	Status() Status
	Queue() []Track
	// Subscribe returns a channel that receives a Status whenever something
	// visible changes (state, track, queue, volume, modes, error) and once a
	// second while playing. Slow readers miss intermediate snapshots, never
	// the latest. The channel closes when ctx ends or the player closes.
	Subscribe(ctx context.Context) <-chan Status

	Play()
	Pause()
	Toggle()
	Stop()
	Next()
	Prev()
	PlayIndex(i int)
	Seek(to time.Duration)
	SeekBy(d time.Duration)

	SetVolume(v int) // 0..100
	ToggleMute()
	SetBitrate(kbps int)
	SetShuffle(on bool)
	SetRepeat(r Repeat)
	// SetSleep fades the music out and pauses it d from now (SleepFade
	// before, the fade starts); 0 or less: no sleep timer.
	SetSleep(d time.Duration)

	// PlayNow inserts tracks after the current one and starts the first.
	PlayNow(tracks []Track)
	Enqueue(tracks []Track)    // append to the queue
	InsertNext(tracks []Track) // after the current track
	// Replace makes tracks the queue and plays tracks[start] (start out of
	// range: nothing starts, the old track stops). The queue it replaced
	// can be brought back with Undo.
	Replace(tracks []Track, start int)
	Remove(i int) // the playing track: the next one plays
	Move(from, to int)
	Clear()
	// Undo takes back the last Replace, Remove or Clear (a few deep): the
	// queue as it was, and the track that played then, where it was, unless
	// the playing track is in that queue (it plays on).
	Undo()

	Close() error
}

// Clock shows a position in whole seconds, m:ss or h:mm:ss, as the UI and
// ctl print it.
func Clock(d time.Duration) string {
	sec := int64(max(d, 0) / time.Second)
	h, m, ss := sec/3600, sec/60%60, sec%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, ss)
	}
	return fmt.Sprintf("%d:%02d", m, ss)
}
