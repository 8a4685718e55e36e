package playlist

import (
	"context"
	"strconv"
	"strings"

	"github.com/pcplay/pcplay/api"
)

// PCloudPrefix starts the id of every pCloud playlist.
const PCloudPrefix = "pcloud:"

// PCloud is the account's audio collections.
type PCloud struct {
	c *api.Client
}

// NewPCloud uses the client's login.
func NewPCloud(c *api.Client) *PCloud { return &PCloud{c: c} }

func collectionID(id string) (uint64, bool) {
	s, ok := strings.CutPrefix(id, PCloudPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil && n != 0
}

func pcloudID(n uint64) string { return PCloudPrefix + strconv.FormatUint(n, 10) }

func fromCollection(co api.Collection) Playlist {
	return Playlist{ID: pcloudID(co.ID), Name: co.Name, Tracks: co.Items, ReadOnly: co.System, Modified: co.Modified}
}

// TrackOf makes a [Track] of a file's metadata (its path is not known).
func TrackOf(m *api.Metadata) Track {
	return Track{FileID: m.FileID, Name: m.Name, FolderID: m.ParentFolderID, Title: m.Title, Artist: m.Artist, Album: m.Album}
}

func fileIDs(tracks []Track) (ids []uint64, skipped int) {
	for _, t := range tracks {
		if t.FileID == 0 {
			skipped++
			continue
		}
		ids = append(ids, t.FileID)
	}
	return ids, skipped
}

func addResult(rep api.LinkReport, skipped int) AddResult {
	return AddResult{Added: rep.Linked(), Duplicates: len(rep.Duplicates()), Failed: len(rep.Failed()) + skipped}
}

// List returns the audio collections, pCloud's own first.
func (p *PCloud) List(ctx context.Context) ([]Playlist, error) {
	cols, err := p.c.Collections(ctx, api.CollectionAudio, false, 0)
	if err != nil {
		return nil, err
	}
	out := make([]Playlist, 0, len(cols))
	for _, co := range cols {
		if co.Type == api.CollectionAudio || co.Type == 0 {
			out = append(out, fromCollection(co))
		}
	}
	return out, nil
}

// Open returns the collection's files in order.
func (p *PCloud) Open(ctx context.Context, id string) ([]Track, error) {
	n, ok := collectionID(id)
	if !ok {
		return nil, notFound(id)
	}
	co, err := p.c.CollectionDetails(ctx, n)
	if err != nil {
		return nil, err
	}
	out := make([]Track, 0, len(co.Contents))
	for _, it := range co.Contents {
		out = append(out, TrackOf(it.File))
	}
	return out, nil
}

// Create makes a collection of the tracks (batches of [api.LinkBatch]).
func (p *PCloud) Create(ctx context.Context, name string, tracks []Track) (Playlist, AddResult, error) {
	ids, skipped := fileIDs(tracks)
	co, rep, err := p.c.CreateCollection(ctx, name, ids)
	if api.IsNameTaken(err) {
		return Playlist{}, AddResult{}, nameTaken(name, err)
	}
	if err != nil {
		return fromCollection(co), addResult(rep, skipped), err
	}
	return fromCollection(co), addResult(rep, skipped), nil
}

// Add links tracks at the end.
func (p *PCloud) Add(ctx context.Context, id string, tracks []Track) (AddResult, error) {
	n, ok := collectionID(id)
	if !ok {
		return AddResult{}, notFound(id)
	}
	ids, skipped := fileIDs(tracks)
	rep, err := p.c.LinkFiles(ctx, n, ids)
	return addResult(rep, skipped), err
}

// Remove unlinks the items at these positions.
func (p *PCloud) Remove(ctx context.Context, id string, positions []int) error {
	n, ok := collectionID(id)
	if !ok {
		return notFound(id)
	}
	ps := make([]int, len(positions))
	for i, x := range positions {
		if x < 0 {
			return badPosition(x, 0)
		}
		ps[i] = x + 1
	}
	_, err := p.c.UnlinkPositions(ctx, n, ps)
	return err
}

// Move moves one item. pCloud wants the item's file id as well: it is
// read from the collection first.
func (p *PCloud) Move(ctx context.Context, id string, from, to int) error {
	n, ok := collectionID(id)
	if !ok {
		return notFound(id)
	}
	co, err := p.c.CollectionDetails(ctx, n)
	if err != nil {
		return err
	}
	k := len(co.Contents)
	if from < 0 || from >= k {
		return badPosition(from, k)
	}
	if to < 0 || to >= k {
		return badPosition(to, k)
	}
	return p.c.MoveItem(ctx, n, from+1, co.Contents[from].File.FileID, to+1)
}

// Rename renames a collection.
func (p *PCloud) Rename(ctx context.Context, id, name string) error {
	n, ok := collectionID(id)
	if !ok {
		return notFound(id)
	}
	_, err := p.c.RenameCollection(ctx, n, name)
	if api.IsNameTaken(err) {
		return nameTaken(name, err)
	}
	return err
}

// Delete deletes a collection (pCloud's own can't be: 2065).
func (p *PCloud) Delete(ctx context.Context, id string) error {
	n, ok := collectionID(id)
	if !ok {
		return notFound(id)
	}
	return p.c.DeleteCollection(ctx, n)
}

func apiSentence(err error) string { return api.Sentence(err) }
