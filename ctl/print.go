package ctl

import (
	"bufio"
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

// queueSource is where show takes the queue from (*engine.Client): its
// length alone for the status, the tracks only to print them.
type queueSource interface {
	Queue() []player.Track
	QueueLen() int
}

// show prints what a ctl command shows after it. A queue (100,000 tracks
// and more) is written a track at a time through a buffer.
func show(out io.Writer, what command.Show, st player.Status, qs queueSource, ly lyrics.State) error {
	switch what {
	case command.ShowLyrics:
		_, err := io.WriteString(out, lyricsText(ly))
		return err
	case command.ShowStatusJSON:
		o := StatusJSON(st, qs.QueueLen())
		o.LyricsLine = LyricsLine(st, ly)
		b, err := json.Marshal(o)
		if err != nil {
			return err
		}
		// Names are escaped, not passed: the data stays exact for a
		// program, inert in a terminal (json.Marshal passes C1 controls
		// and bidi overrides).
		_, err = fmt.Fprintf(out, "%s\n", textsafe.JSON(b))
		return err
	case command.ShowQueue:
		w := bufio.NewWriter(out)
		writeQueueText(w, qs.Queue(), st.Index)
		return w.Flush()
	case command.ShowQueueJSON:
		w := bufio.NewWriter(out)
		if err := writeQueueJSON(w, qs.Queue(), st.Index); err != nil {
			return err
		}
		return w.Flush()
	case command.ShowSleep:
		_, err := fmt.Fprintln(out, SleepLine(st))
		return err
	default:
		_, err := fmt.Fprintln(out, StatusLine(st))
		return err
	}
}

// StatusLine is the status as one line, as the README's `pcplay ctl` table
// shows it (a test holds the two together): the state, the track
// (TrackLabel) and the clock, two spaces apart:
// "playing  Artist – Title  1:23 / 4:56".
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

// TrackLabel is how ctl names a track: as the UI does ([player.Track.Label]:
// "Artist – Title").
func TrackLabel(t player.Track) string { return t.Label() }

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

// queueEntry is the entry of `ctl queue --json` for track i of q; playing
// is the index of the track the player is on.
func queueEntry(q []player.Track, i, playing int) QueueEntry {
	t := q[i]
	return QueueEntry{
		Position: i + 1, FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album,
		DurationSeconds: t.Duration.Seconds(), Playing: i == playing,
	}
}

// writeQueueJSON writes the JSON array QueueJSON makes, an entry at a
// time (the same bytes as marshalling it whole), escaped as show escapes.
func writeQueueJSON(w *bufio.Writer, q []player.Track, playing int) error {
	w.WriteByte('[')
	for i := range q {
		if i > 0 {
			w.WriteByte(',')
		}
		b, err := json.Marshal(queueEntry(q, i, playing))
		if err != nil {
			return err
		}
		w.Write(textsafe.JSON(b))
	}
	_, err := w.WriteString("]\n")
	return err
}

// writeQueueText writes the queue, one line a track ("▶" on the one the
// player is on, at index playing).
func writeQueueText(w *bufio.Writer, q []player.Track, playing int) {
	for i, t := range q {
		mark := "  "
		if i == playing {
			mark = "▶ "
		}
		fmt.Fprintf(w, "%s%d. %s", mark, i+1, textsafe.Line(t.Label()))
		if t.Duration > 0 {
			w.WriteString("  " + player.Clock(t.Duration))
		}
		w.WriteByte('\n')
	}
}
