package player

import (
	"slices"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/internal/order"
)

// TrackOf is the queue entry of a pCloud file: the one conversion from a
// listing's metadata to a track (the Folders view, `pcplay ctl add PATH`,
// MPD's add).
func TrackOf(m *api.Metadata) Track {
	return Track{FileID: m.FileID, Name: m.Name, Title: m.Title, Artist: m.Artist, Album: m.Album, TrackNo: m.TrackNo}
}

// TracksOf is the playable files of a listed tree in the order a person
// sees them browsing it: in each folder its folders first, then its files
// (SortListing). A folder, its folders with them; a file, itself.
func TracksOf(m *api.Metadata) []Track {
	var out []Track
	tracksOf(m, &out, 0)
	return out
}

func tracksOf(m *api.Metadata, out *[]Track, depth int) {
	if m == nil || depth > 64 {
		return
	}
	if !m.IsFolder {
		if m.Playable() {
			*out = append(*out, TrackOf(m))
		}
		return
	}
	items := slices.DeleteFunc(slices.Clone(m.Contents), func(c *api.Metadata) bool { return c == nil })
	SortListing(items)
	for _, c := range items {
		tracksOf(c, out, depth+1)
	}
}

// SortListing puts a folder's entries in the order the Folders view shows
// them: folders first, then files, each by name in [order.Compare]'s
// natural order ("2 Two" before "10 Ten").
func SortListing(items []*api.Metadata) {
	type entry struct {
		it   *api.Metadata
		name order.Name
	}
	es := make([]entry, len(items))
	for i, it := range items {
		es[i] = entry{it, order.NameOf(it.Name)}
	}
	slices.SortStableFunc(es, func(a, b entry) int {
		if a.it.IsFolder != b.it.IsFolder {
			if a.it.IsFolder {
				return -1
			}
			return 1
		}
		return a.name.Compare(b.name)
	})
	for i, e := range es {
		items[i] = e.it
	}
}
