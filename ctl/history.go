package ctl

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/scrobble"
)

// history is `ctl history [N] [--json]`: asks the engine and prints.
func history(ctx context.Context, c *engine.Client, cc command.CtlCall, out io.Writer) error {
	sctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	ls, err := c.History(sctx, command.HistoryCount(cc.Request))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	if cc.Show == command.ShowHistoryJSON {
		if err := writeHistoryJSON(w, ls); err != nil {
			return err
		}
	} else {
		for _, l := range ls {
			w.WriteString(HistoryLine(l) + "\n")
		}
	}
	return w.Flush()
}

// HistoryLine is a listen as `ctl history` prints it: when it began (local
// time) and the track's label, "2026-11-02 14:03  Artist – Title".
func HistoryLine(l scrobble.Listen) string {
	return l.Started.Local().Format("2006-01-02 15:04") + "  " + textsafe.Line(TrackLabel(l.Track))
}

// HistoryEntry is one listen of `ctl history --json`: the track as `ctl
// queue --json` gives it, and when its play began.
type HistoryEntry struct {
	Started         string  `json:"started"` // RFC 3339, local time
	FileID          uint64  `json:"fileid"`
	Name            string  `json:"name"`
	Title           string  `json:"title,omitempty"`
	Artist          string  `json:"artist,omitempty"`
	Album           string  `json:"album,omitempty"`
	TrackNo         int     `json:"trackno,omitempty"`
	DurationSeconds float64 `json:"duration_seconds,omitempty"`
}

// writeHistoryJSON writes the listens as a JSON array, an entry at a time,
// escaped as show escapes.
func writeHistoryJSON(w *bufio.Writer, ls []scrobble.Listen) error {
	w.WriteByte('[')
	for i, l := range ls {
		if i > 0 {
			w.WriteByte(',')
		}
		t := l.Track
		b, err := json.Marshal(HistoryEntry{
			Started: l.Started.Local().Format(time.RFC3339), FileID: t.FileID, Name: t.Name, Title: t.Title,
			Artist: t.Artist, Album: t.Album, TrackNo: t.TrackNo, DurationSeconds: l.Duration.Seconds(),
		})
		if err != nil {
			return err
		}
		w.Write(textsafe.JSON(b))
	}
	_, err := w.WriteString("]\n")
	return err
}
