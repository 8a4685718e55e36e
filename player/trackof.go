package player

import "github.com/pcplay/pcplay/api"

// TrackOf is the queue entry of a pCloud file: the one conversion from a
// listing's metadata to a track (the Folders view, `pcplay ctl add PATH`,
// MPD's add).
func TrackOf(m *api.Metadata) Track {
	return Track{FileID: m.FileID, Name: m.Name, Title: m.Title, Artist: m.Artist, Album: m.Album, TrackNo: m.TrackNo}
}
