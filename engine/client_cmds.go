package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/player"
)

// Call sends the command name of the table with r. A track list too long
// for one line goes as several commands, as the command's Split says.
// Like every command, it does not wait for the engine (Sync does).
func (c *Client) Call(name string, r command.Request) {
	if e, ok := command.Lookup(name); ok && e.Split != nil {
		for _, part := range e.Split(r, splitTracks(r.Tracks, MaxClientLine-1024)) {
			c.send(part)
		}
		return
	}
	c.send(command.Call{Cmd: name, Request: r})
}

// params are a command's arguments.
type params = command.Request

// The player.Controller commands; what each does is its entry in the
// command table.

func (c *Client) Play()                     { c.Call("play", params{}) }
func (c *Client) Pause()                    { c.Call("pause", params{}) }
func (c *Client) Toggle()                   { c.Call("toggle", params{}) }
func (c *Client) Stop()                     { c.Call("stop", params{}) }
func (c *Client) Next()                     { c.Call("next", params{}) }
func (c *Client) Prev()                     { c.Call("prev", params{}) }
func (c *Client) PlayIndex(i int)           { c.Call("play_index", params{Index: i}) }
func (c *Client) Seek(to time.Duration)     { c.Call("seek", params{Ms: to.Milliseconds()}) }
func (c *Client) SeekBy(d time.Duration)    { c.Call("seek_by", params{Ms: d.Milliseconds()}) }
func (c *Client) SetVolume(v int)           { c.Call("volume", params{Value: v}) }
func (c *Client) ToggleMute()               { c.Call("mute", params{}) }
func (c *Client) SetBitrate(kbps int)       { c.Call("bitrate", params{Value: kbps}) }
func (c *Client) SetShuffle(on bool)        { c.Call("shuffle", params{On: on}) }
func (c *Client) SetRepeat(r player.Repeat) { c.Call("repeat", params{Value: int(r)}) }
func (c *Client) SetSleep(d time.Duration)  { c.Call("sleep", params{Ms: d.Milliseconds()}) }
func (c *Client) PlayNow(ts []player.Track) { c.Call("play_now", params{Tracks: ts}) }
func (c *Client) Enqueue(ts []player.Track) { c.Call("enqueue", params{Tracks: ts}) }
func (c *Client) InsertNext(ts []player.Track) {
	c.Call("insert_next", params{Tracks: ts})
}
func (c *Client) Replace(ts []player.Track, start int) {
	c.Call("replace", params{Tracks: ts, Index: start})
}
func (c *Client) Remove(i int)      { c.Call("remove", params{Index: i}) }
func (c *Client) Move(from, to int) { c.Call("move", params{Index: from, To: to}) }
func (c *Client) Clear()            { c.Call("clear", params{}) }
func (c *Client) Undo()             { c.Call("undo", params{}) }

// Login hands the engine a new login (from the UI's login screen).
func (c *Client) Login(token, kind, region string) {
	c.Call("login", params{Token: token, Kind: kind, Region: region})
}

// MarkUI tells the engine that this client is a UI: while one is attached
// the engine does not exit for being idle. Ensure and Reattach send it.
func (c *Client) MarkUI() { c.Call("ui", params{}) }

// ReloadLogin tells the engine that the saved login changed (pcplay
// login or logout, or a UI's login screen): it plays with it, or with none.
// No token crosses the socket.
func (c *Client) ReloadLogin() { c.Call("reload_login", params{}) }

// SetFolder tells the engine the folder this UI shows, for the session the
// engine saves (a UI sends it as it leaves; Sync then waits for the save).
func (c *Client) SetFolder(path string, id uint64) {
	c.Call("folder", params{Path: path, FolderID: id})
}

// splitTracks cuts tracks into runs whose JSON is at most max bytes each,
// and of at most command.MaxRequestTracks tracks.
func splitTracks(tracks []player.Track, max int) [][]player.Track {
	var (
		parts [][]player.Track
		start int
		size  int
	)
	for i, t := range tracks {
		b, _ := json.Marshal(t)
		n := len(b) + 1
		if i > start && (size+n > max || i-start == command.MaxRequestTracks) {
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
	c.Call("sync", params{Seq: seq})
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
	c.Call("shutdown", params{})
	select {
	case <-c.Done():
		return nil
	case <-ctx.Done():
		c.Close()
		return fmt.Errorf("the pcplay engine did not stop: %w", ctx.Err())
	}
}
