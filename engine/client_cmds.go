package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pcplay/pcplay/player"
)

// The player.Controller commands.

func (c *Client) Play()                 { c.send(request{Cmd: "play"}) }
func (c *Client) Pause()                { c.send(request{Cmd: "pause"}) }
func (c *Client) Toggle()               { c.send(request{Cmd: "toggle"}) }
func (c *Client) Stop()                 { c.send(request{Cmd: "stop"}) }
func (c *Client) Next()                 { c.send(request{Cmd: "next"}) }
func (c *Client) Prev()                 { c.send(request{Cmd: "prev"}) }
func (c *Client) PlayIndex(i int)       { c.send(request{Cmd: "play_index", Index: i}) }
func (c *Client) Seek(to time.Duration) { c.send(request{Cmd: "seek", Ms: to.Milliseconds()}) }
func (c *Client) SeekBy(d time.Duration) {
	c.send(request{Cmd: "seek_by", Ms: d.Milliseconds()})
}
func (c *Client) SetVolume(v int)           { c.send(request{Cmd: "volume", Value: v}) }
func (c *Client) ToggleMute()               { c.send(request{Cmd: "mute"}) }
func (c *Client) SetBitrate(kbps int)       { c.send(request{Cmd: "bitrate", Value: kbps}) }
func (c *Client) SetShuffle(on bool)        { c.send(request{Cmd: "shuffle", On: on}) }
func (c *Client) SetRepeat(r player.Repeat) { c.send(request{Cmd: "repeat", Value: int(r)}) }

// PlayNow inserts tracks after the current one and starts the first. A
// list too long for one line goes as several: the later parts inserted
// first, so that the order comes out right.
func (c *Client) PlayNow(tracks []player.Track) {
	parts := splitTracks(tracks, MaxClientLine-1024)
	for i := len(parts) - 1; i > 0; i-- {
		c.send(request{Cmd: "insert_next", Tracks: parts[i]})
	}
	if len(parts) > 0 {
		c.send(request{Cmd: "play_now", Tracks: parts[0]})
	}
}

// Enqueue appends tracks to the queue.
func (c *Client) Enqueue(tracks []player.Track) {
	for _, part := range splitTracks(tracks, MaxClientLine-1024) {
		c.send(request{Cmd: "enqueue", Tracks: part})
	}
}

// InsertNext inserts tracks after the current one.
func (c *Client) InsertNext(tracks []player.Track) {
	parts := splitTracks(tracks, MaxClientLine-1024)
	for i := len(parts) - 1; i >= 0; i-- {
		c.send(request{Cmd: "insert_next", Tracks: parts[i]})
	}
}

// splitTracks cuts tracks into runs whose JSON is at most max bytes each,
// and of at most MaxRequestTracks tracks.
func splitTracks(tracks []player.Track, max int) [][]player.Track {
	var (
		parts [][]player.Track
		start int
		size  int
	)
	for i, t := range tracks {
		b, _ := json.Marshal(t)
		n := len(b) + 1
		if i > start && (size+n > max || i-start == MaxRequestTracks) {
			parts = append(parts, tracks[start:i])
			start, size = i, 0
		}
		size += n
	}
	if start < len(tracks) {
		parts = append(parts, tracks[start:])
	}
	return parts
}

func (c *Client) Remove(i int)      { c.send(request{Cmd: "remove", Index: i}) }
func (c *Client) Move(from, to int) { c.send(request{Cmd: "move", Index: from, To: to}) }
func (c *Client) Clear()            { c.send(request{Cmd: "clear"}) }

// Login hands the engine a new login (from the UI's login screen).
func (c *Client) Login(token, kind, region string) {
	c.send(request{Cmd: "login", Token: token, Kind: kind, Region: region})
}

// SetFolder tells the engine the folder this UI shows, for the session the
// engine saves (a UI sends it as it leaves; Sync then waits for the save).
func (c *Client) SetFolder(path string, id uint64) {
	c.send(request{Cmd: "folder", Path: path, FolderID: id})
}

// Sync waits until the engine has carried out every command sent before it
// and Status reflects them.
func (c *Client) Sync(ctx context.Context) error {
	c.mu.Lock()
	if c.ended {
		why := c.st.Err
		c.mu.Unlock()
		return errors.New(why)
	}
	c.seq++
	seq := c.seq
	ch := make(chan struct{})
	c.syncs[seq] = ch
	c.mu.Unlock()
	c.send(request{Cmd: "sync", Seq: seq})
	select {
	case <-ch:
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.ended {
			return errors.New(c.st.Err)
		}
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.syncs, seq)
		c.mu.Unlock()
		return fmt.Errorf("the pcplay engine did not answer: %w", ctx.Err())
	}
}

// Shutdown asks the engine to save the session and exit, and waits (within
// ctx) until it has said goodbye.
func (c *Client) Shutdown(ctx context.Context) error {
	c.send(request{Cmd: "shutdown"})
	select {
	case <-c.Done():
		return nil
	case <-ctx.Done():
		c.Close()
		return fmt.Errorf("the pcplay engine did not stop: %w", ctx.Err())
	}
}
