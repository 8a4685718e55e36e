package playlist

import "github.com/pcplay/pcplay/player"

// The conversions between a playlist's tracks and the queue's, once.

// Queued is t as the queue holds it.
func (t Track) Queued() player.Track {
	return player.Track{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album, Duration: t.Duration}
}

// FromQueue is a queue entry as a playlist keeps it.
func FromQueue(t player.Track) Track {
	return Track{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album, Duration: t.Duration}
}

// Queued is the tracks as the queue holds them.
func Queued(ts []Track) []player.Track {
	out := make([]player.Track, len(ts))
	for i, t := range ts {
		out[i] = t.Queued()
	}
	return out
}

// FromQueueAll is queue entries as a playlist keeps them.
func FromQueueAll(ts []player.Track) []Track {
	out := make([]Track, len(ts))
	for i, t := range ts {
		out[i] = FromQueue(t)
	}
	return out
}
