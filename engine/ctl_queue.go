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

// queueCtl reads the queue commands that are more than a call: queue
// [--json], add PATH, play PATH. known is false for any other command
// (play without PATH is "resume"); err is a *CtlError for a mistake in
// the command line, found without an engine or pCloud.
func queueCtl(args []string) (known, asJSON bool, target string, err error) {
	if len(args) == 0 {
		return false, false, "", nil
	}
	name, rest := args[0], args[1:]
	switch {
	case name == "queue":
		switch {
		case len(rest) == 0:
			return true, false, "", nil
		case len(rest) == 1 && (rest[0] == "--json" || rest[0] == "-json"):
			return true, true, "", nil
		}
		return true, false, "", &CtlError{"ctl queue takes only --json"}
	case name == "add" || (name == "play" && len(rest) > 0):
		if len(rest) != 1 {
			return true, false, "", &CtlError{fmt.Sprintf("ctl %s takes one PATH: a pCloud file or folder (/Music/Album) or playlist:NAME", name)}
		}
		target = strings.TrimSpace(rest[0])
		list, isList := strings.CutPrefix(target, PlaylistPrefix)
		switch {
		case isList && strings.TrimSpace(list) == "":
			return true, false, "", &CtlError{"playlist: needs a name: playlist:NAME"}
		case !isList && !strings.HasPrefix(target, "/"):
			return true, false, "", &CtlError{fmt.Sprintf("%q is not a pCloud path: give one from the top, such as /Music/Album, or playlist:NAME", clip(target))}
		}
		return true, false, target, nil
	}
	return false, false, "", nil
}

// ctlQueueCmd carries out the queue commands (see queueCtl); done is false
// for any other command.
func ctlQueueCmd(ctx context.Context, c *Client, args []string, out io.Writer, resolve Resolver) (done bool, err error) {
	known, asJSON, target, err := queueCtl(args)
	switch {
	case !known:
		return false, nil
	case err != nil:
		return true, err
	case args[0] == "queue":
		return true, printQueue(c, out, asJSON)
	}
	return true, ctlLoad(ctx, c, args[0] == "play", target, out, resolve)
}

// ctlLoad resolves target and appends its tracks (add) or makes them the
// queue and plays the first (play), then prints the status.
func ctlLoad(ctx context.Context, c *Client, play bool, target string, out io.Writer, resolve Resolver) error {
	if resolve == nil {
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
		fmt.Fprintf(&b, "%s%d. %s", mark, i+1, oneLine(t.Label()))
		if t.Duration > 0 {
			b.WriteString("  " + player.Clock(t.Duration))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(out, b.String())
	return err
}
