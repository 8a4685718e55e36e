package engine

import "github.com/pcplay/pcplay/player"

// Undo takes back the last Replace, Remove or Clear.
func (c *Client) Undo() { c.send(request{Cmd: "undo"}) }

// Replace makes tracks the queue and plays tracks[start]. A list too long
// for one line goes as several: a replace that starts nothing, enqueues,
// then play_index (the change of track waits for the whole list).
func (c *Client) Replace(tracks []player.Track, start int) {
	parts := splitTracks(tracks, MaxClientLine-1024)
	if len(parts) <= 1 {
		c.send(request{Cmd: "replace", Tracks: tracks, Index: start})
		return
	}
	c.send(request{Cmd: "replace", Tracks: parts[0], Index: -1})
	for _, part := range parts[1:] {
		c.send(request{Cmd: "enqueue", Tracks: part})
	}
	if start >= 0 && start < len(tracks) {
		c.send(request{Cmd: "play_index", Index: start})
	}
}
