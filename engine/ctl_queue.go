package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/player"
)

// Resolver turns the PATH of `ctl add PATH` and `ctl play PATH` into
// tracks: a pCloud path ("/Music/Album", "/Music/a.mp3"; a folder counts
// recursively) or "playlist:NAME". The ctl process resolves it (with its
// own pCloud login) and sends the tracks. Its error is shown as it is.
type Resolver func(ctx context.Context, target string) ([]player.Track, error)

// PlaylistPrefix starts a ctl PATH that names a playlist.
const PlaylistPrefix = "playlist:"

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

// ctlQueueCmd carries out the queue commands that are more than a call:
// queue [--json], add PATH, play PATH. done is false for any other command
// (play without PATH is "resume").
func ctlQueueCmd(ctx context.Context, c *Client, args []string, out io.Writer, resolve Resolver) (done bool, err error) {
	if len(args) == 0 {
		return false, nil
	}
	name, rest := args[0], args[1:]
	switch {
	case name == "queue":
		switch {
		case len(rest) == 0:
			return true, printQueue(c, out, false)
		case len(rest) == 1 && (rest[0] == "--json" || rest[0] == "-json"):
			return true, printQueue(c, out, true)
		}
		return true, &CtlError{"ctl queue takes only --json"}
	case name == "add" || (name == "play" && len(rest) > 0):
		if len(rest) != 1 {
			return true, &CtlError{fmt.Sprintf("ctl %s takes one PATH: a pCloud file or folder (/Music/Album) or playlist:NAME", name)}
		}
		return true, ctlLoad(ctx, c, name == "play", rest[0], out, resolve)
	}
	return false, nil
}

// ctlLoad resolves target and appends its tracks (add) or makes them the
// queue and plays the first (play), then prints the status.
func ctlLoad(ctx context.Context, c *Client, play bool, target string, out io.Writer, resolve Resolver) error {
	target = strings.TrimSpace(target)
	list, isList := strings.CutPrefix(target, PlaylistPrefix)
	switch {
	case isList && strings.TrimSpace(list) == "":
		return &CtlError{"playlist: needs a name: playlist:NAME"}
	case !isList && !strings.HasPrefix(target, "/"):
		return &CtlError{fmt.Sprintf("%q is not a pCloud path: give one from the top, such as /Music/Album, or playlist:NAME", clip(target))}
	case resolve == nil:
		return errors.New("this pcplay can't look paths up in pCloud")
	}
	tracks, err := resolve(ctx, target)
	if err != nil {
		return err
	}
	if len(tracks) == 0 {
		return fmt.Errorf("%s has nothing playable", clip(target))
	}
	if play {
		c.Replace(tracks, 0)
	} else {
		c.Enqueue(tracks)
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.Sync(sctx); err != nil {
		return err
	}
	verb := "Added"
	if play {
		verb = "Playing"
	}
	n := strconv.Itoa(len(tracks)) + " tracks"
	if len(tracks) == 1 {
		n = "1 track"
	}
	_, err = fmt.Fprintf(out, "%s %s from %s.\n%s\n", verb, n, oneLine(target), StatusLine(c.Status()))
	return err
}

// printQueue prints the queue, one line a track ("▶" on the one the
// player is on), or a JSON array.
func printQueue(c *Client, out io.Writer, asJSON bool) error {
	q, st := c.Queue(), c.Status()
	if asJSON {
		entries := make([]QueueEntry, len(q))
		for i, t := range q {
			entries[i] = QueueEntry{
				Position: i + 1, FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album,
				DurationSeconds: t.Duration.Seconds(), Playing: i == st.Index,
			}
		}
		b, err := json.Marshal(entries)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "%s\n", b)
		return err
	}
	var b strings.Builder
	for i, t := range q {
		mark := "  "
		if i == st.Index {
			mark = "▶ "
		}
		fmt.Fprintf(&b, "%s%d. %s", mark, i+1, oneLine(QueueLabel(t)))
		if t.Duration > 0 {
			b.WriteString("  " + player.Clock(t.Duration))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// QueueLabel is how `ctl queue` names a track: "Artist – Title", the
// title alone, or the file name.
func QueueLabel(t player.Track) string {
	switch {
	case t.Title != "" && t.Artist != "":
		return t.Artist + " – " + t.Title
	case t.Title != "":
		return t.Title
	}
	return t.Name
}
