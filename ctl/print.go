package ctl

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/lyrics"
	"github.com/pcplay/pcplay/player"
)

// show prints what a ctl command shows after it.
func show(out io.Writer, what command.Show, st player.Status, q []player.Track, ly lyrics.State) error {
	var v any
	switch what {
	case command.ShowStatusJSON:
		o := StatusJSON(st, len(q))
		o.LyricsLine = LyricsLine(st, ly)
		v = o
	case command.ShowLyrics:
		_, err := io.WriteString(out, lyricsText(ly))
		return err
	case command.ShowQueue:
		_, err := io.WriteString(out, queueText(q, st.Index))
		return err
	case command.ShowQueueJSON:
		v = QueueJSON(q, st.Index)
	case command.ShowSleep:
		_, err := fmt.Fprintln(out, SleepLine(st))
		return err
	default:
		_, err := fmt.Fprintln(out, StatusLine(st))
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	// Names are escaped, not passed: the data stays exact for a program,
	// inert in a terminal (json.Marshal passes C1 controls and bidi
	// overrides).
	_, err = fmt.Fprintf(out, "%s\n", textsafe.JSON(b))
	return err
}

// StatusLine is the status as one line, as the README's `pcplay ctl` table
// shows it (a test holds the two together): the state, the track
// (TrackLabel) and the clock, two spaces apart:
// "playing  Title – Artist  1:23 / 4:56".
func StatusLine(st player.Status) string {
	parts := []string{st.State.String()}
	if st.Index >= 0 {
		parts = append(parts, textsafe.Line(TrackLabel(st.Track)))
		pos := player.Clock(st.Position)
		if st.Duration > 0 {
			pos += " / " + player.Clock(st.Duration)
		}
		parts = append(parts, pos)
	}
	if w := waitText(st); w != "" {
		parts = append(parts, "("+w+")")
	}
	if !st.SleepAt.IsZero() {
		parts = append(parts, "sleep "+player.Clock(st.SleepIn))
	}
	if st.Err != "" {
		parts = append(parts, "("+textsafe.Line(st.Err)+")")
	}
	return strings.Join(parts, "  ")
}

// waitText says, while the player waits for pCloud, when it tries again
// and why: "pCloud unreachable, retrying in 3 s: REASON" ("" when it does
// not wait).
func waitText(st player.Status) string {
	if st.State != player.Waiting {
		return ""
	}
	s := "pCloud unreachable, retrying now"
	if n := retryIn(st); n > 0 {
		s = fmt.Sprintf("pCloud unreachable, retrying in %d s", n)
	}
	if st.Reason != "" {
		s += ": " + textsafe.Line(st.Reason)
	}
	return s
}

// retryIn is the countdown of a wait for pCloud in whole seconds (the
// player's, rounded up).
func retryIn(st player.Status) int {
	return int((st.RetryIn + time.Second - 1) / time.Second)
}

// SleepLine is `ctl sleep`: "sleep 29:59 (pauses at 23:41)", or "no sleep
// timer".
func SleepLine(st player.Status) string {
	if st.SleepAt.IsZero() {
		return "no sleep timer"
	}
	return "sleep " + player.Clock(st.SleepIn) + " (pauses at " + st.SleepAt.Local().Format("15:04") + ")"
}

// TrackLabel is how ctl names a track: "Title – Artist", the title alone,
// or the file name when there is no title.
func TrackLabel(t player.Track) string {
	name := t.Title
	if name == "" {
		name = t.Name
	}
	if t.Artist != "" {
		name += " – " + t.Artist
	}
	return name
}

// StatusObject is `ctl status --json`.
type StatusObject struct {
	State           string        `json:"state"`
	Track           *player.Track `json:"track"` // null when none
	PositionSeconds float64       `json:"position_seconds"`
	DurationSeconds float64       `json:"duration_seconds"` // 0 when unknown
	Volume          int           `json:"volume"`
	Muted           bool          `json:"muted"`
	Shuffle         bool          `json:"shuffle"`
	Repeat          string        `json:"repeat"` // off, all, one
	Index           int           `json:"index"`  // -1 when none
	QueueLength     int           `json:"queue_length"`
	Bitrate         int           `json:"bitrate"`
	Error           string        `json:"error,omitempty"`
	// While state is "waiting" (pCloud can't be reached): why, and the
	// seconds until the player tries again.
	Reason         string `json:"reason,omitempty"`
	RetryInSeconds *int   `json:"retry_in_seconds,omitempty"`
	SleepSeconds   int64  `json:"sleep_seconds,omitempty"` // the sleep timer's time left; none: absent
	// LyricsLine is the synced lyrics line at the position ("" before the
	// first); absent without synced lyrics (ctl/lyrics.go).
	LyricsLine *string `json:"lyrics_line,omitempty"`
}

// StatusJSON is the status as `ctl status --json` prints it.
func StatusJSON(st player.Status, queueLen int) StatusObject {
	o := StatusObject{
		State:           st.State.String(),
		PositionSeconds: st.Position.Seconds(),
		DurationSeconds: st.Duration.Seconds(),
		Volume:          st.Volume,
		Muted:           st.Muted,
		Shuffle:         st.Shuffle,
		Repeat:          st.Repeat.String(),
		Index:           st.Index,
		QueueLength:     queueLen,
		Bitrate:         st.Bitrate,
		Error:           st.Err,
		SleepSeconds:    int64(st.SleepIn / time.Second),
	}
	if st.Index >= 0 {
		t := st.Track
		o.Track = &t
	}
	if st.State == player.Waiting {
		o.Reason = st.Reason
		n := retryIn(st)
		o.RetryInSeconds = &n
	}
	return o
}

// QueueEntry is one line of `ctl queue --json`.
type QueueEntry struct {
	Position        int     `json:"position"` // 1-based
	FileID          uint64  `json:"fileid"`
	Name            string  `json:"name"`
	Title           string  `json:"title,omitempty"`
	Artist          string  `json:"artist,omitempty"`
	Album           string  `json:"album,omitempty"`
	DurationSeconds float64 `json:"duration_seconds,omitempty"` // once it has played
	Playing         bool    `json:"playing"`                    // the track the player is on
}

// QueueJSON is the queue as `ctl queue --json` prints it; playing is the
// index of the track the player is on.
func QueueJSON(q []player.Track, playing int) []QueueEntry {
	entries := make([]QueueEntry, len(q))
	for i, t := range q {
		entries[i] = QueueEntry{
			Position: i + 1, FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album,
			DurationSeconds: t.Duration.Seconds(), Playing: i == playing,
		}
	}
	return entries
}

// queueText is the queue, one line a track ("▶" on the one the player is
// on, at index playing).
func queueText(q []player.Track, playing int) string {
	var b strings.Builder
	for i, t := range q {
		mark := "  "
		if i == playing {
			mark = "▶ "
		}
		fmt.Fprintf(&b, "%s%d. %s", mark, i+1, textsafe.Line(t.Label()))
		if t.Duration > 0 {
			b.WriteString("  " + player.Clock(t.Duration))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
