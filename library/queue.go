package library

import "github.com/pcplay/pcplay/player"

// Queued is an index's track as the queue holds it: the one conversion
// from the library to the queue.
func (t Track) Queued() player.Track {
	return player.Track{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album, TrackNo: t.TrackNo}
}

// Queued is the tracks as the queue holds them.
func Queued(ts []Track) []player.Track {
	out := make([]player.Track, len(ts))
	for i, t := range ts {
		out[i] = t.Queued()
	}
	return out
}
