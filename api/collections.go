package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Collections are pCloud's playlists (type 1, audio). Positions are
// pCloud's: 1-based, the first item is position 1.

// CollectionAudio is the type of an audio playlist.
const CollectionAudio = 1

// LinkBatch is how many file ids one collection_create or
// collection_linkfiles call carries; longer lists are sent in batches.
const LinkBatch = 100

// DetailsPageSize is the page size [Client.CollectionDetails] asks for.
const DetailsPageSize = 500

// maxPages bounds [Client.CollectionDetails] against a server that never ends.
const maxPages = 100000

// Collection result codes.
const (
	CodeCollection = 2065 // the collection does not exist, or is a system one and can't be changed
	CodeDuplicate  = 2072 // (unverified) a linked file is already in the collection
	CodeNameTaken  = 2073 // a collection of that name exists
)

// Collection is a pCloud collection.
type Collection struct {
	ID       uint64
	Name     string
	Type     int // 1 audio (pCloud may say "audio")
	IsMine   bool
	System   bool // made by pCloud ("Most Listened"): read-only
	Items    int  // the number of items, as pCloud counts them
	Created  time.Time
	Modified time.Time
	Contents []CollectionItem // when asked for
}

// CollectionItem is one file of a collection.
type CollectionItem struct {
	File     *Metadata
	Position int // 1-based
	Added    time.Time
}

// IsNameTaken reports whether pCloud refused a name already used by
// another collection (2073).
func IsNameTaken(err error) bool {
	e, ok := apiCode(err)
	return ok && e.Code == CodeNameTaken
}

// IsCollectionMethod reports whether err came from a collection_* call.
func IsCollectionMethod(err error) bool {
	e, ok := apiCode(err)
	return ok && strings.HasPrefix(e.Method, "collection_")
}

// collectionSentence explains the collection codes; ok is false for the
// others.
func collectionSentence(e *Error) (string, bool) {
	if !strings.HasPrefix(e.Method, "collection_") {
		return "", false
	}
	switch e.Code {
	case CodeNameTaken:
		return "You already have a playlist with that name in pCloud: choose another name.", true
	case CodeCollection:
		if e.Method == "collection_delete" {
			return "pCloud's own playlists (like Most Listened) can't be deleted.", true
		}
		return "That playlist is one of pCloud's own (read-only) or no longer exists in your pCloud.", true
	}
	return "", false
}

// Collections lists the account's collections of the given type
// ([CollectionAudio]; 0 for all). With showFiles, each comes with up to
// pageSize of its items (0: all).
func (c *Client) Collections(ctx context.Context, typ int, showFiles bool, pageSize int) ([]Collection, error) {
	p := url.Values{"timeformat": {"timestamp"}}
	if typ != 0 {
		p.Set("type", strconv.Itoa(typ))
	}
	if showFiles {
		p.Set("showfiles", "1")
		if pageSize > 0 {
			p.Set("pagesize", strconv.Itoa(pageSize))
		}
	}
	const method = "collection_list"
	ans, err := c.authed(ctx, call{method: method, params: p})
	if err != nil {
		return nil, err
	}
	var ws []wireCollection
	if err := field(ans, "collections", &ws); err != nil {
		return nil, c.decodeErr(method, err)
	}
	out := make([]Collection, 0, len(ws))
	for i := range ws {
		co, err := ws[i].convert()
		if err != nil {
			return nil, c.decodeErr(method, err)
		}
		out = append(out, co)
	}
	return out, nil
}

// CollectionDetails returns a collection with all its items in order of
// their positions. Whether pCloud counts collection_details' pages from 0
// or from 1 is not documented, and a page may come back short while more
// remain: it reads pages 1, 2, ... until it holds as many items as the
// collection counts or a page brings nothing new; then, still short, page 0
// too (the first page where pages count from 0: a 3-item playlist showed
// 1). Each position is kept once.
func (c *Client) CollectionDetails(ctx context.Context, id uint64) (Collection, error) {
	var (
		all  Collection
		seen = map[collectionKey]bool{}
	)
	read := func(page int) (added int, err error) {
		co, err := c.detailsPage(ctx, id, page, DetailsPageSize)
		if err != nil {
			return 0, err
		}
		items := all.Contents
		all = co
		for _, it := range co.Contents {
			if k := keyOf(it); !seen[k] {
				seen[k] = true
				items = append(items, it)
				added++
			}
		}
		all.Contents = items
		return added, nil
	}
	for page := 1; page < maxPages; page++ {
		added, err := read(page)
		if err != nil {
			return Collection{}, err
		}
		if added == 0 || len(all.Contents) >= all.Items {
			break
		}
	}
	if len(all.Contents) < all.Items {
		if _, err := read(0); err != nil {
			return Collection{}, err
		}
	}
	slices.SortStableFunc(all.Contents, func(a, b CollectionItem) int { return a.Position - b.Position })
	return all, nil
}

// collectionKey tells a collection's entries apart: by position, or by
// file where an entry has no position.
type collectionKey struct {
	pos  int
	file uint64
}

func keyOf(it CollectionItem) collectionKey {
	if it.Position <= 0 && it.File != nil {
		return collectionKey{file: it.File.FileID}
	}
	return collectionKey{pos: it.Position}
}

func (c *Client) detailsPage(ctx context.Context, id uint64, page, size int) (Collection, error) {
	p := url.Values{
		"collectionid": {strconv.FormatUint(id, 10)},
		"page":         {strconv.Itoa(page)},
		"pagesize":     {strconv.Itoa(size)},
		"timeformat":   {"timestamp"},
	}
	return c.collectionCall(ctx, "collection_details", p)
}

// collectionCall runs a call answering {collection: ...}.
func (c *Client) collectionCall(ctx context.Context, method string, p url.Values) (Collection, error) {
	ans, err := c.authed(ctx, call{method: method, params: p})
	if err != nil {
		return Collection{}, err
	}
	co, _, err := c.decodeCollection(method, ans)
	return co, err
}

func (c *Client) decodeCollection(method string, ans map[string]jsonRaw) (Collection, []LinkResult, error) {
	raw, ok := ans["collection"]
	if !ok || isNull(raw) {
		return Collection{}, nil, c.decodeErr(method, errors.New(`no "collection" in the answer`))
	}
	var w wireCollection
	if err := w.UnmarshalJSON(raw); err != nil {
		return Collection{}, nil, c.decodeErr(method, err)
	}
	co, err := w.convert()
	if err != nil {
		return Collection{}, nil, c.decodeErr(method, err)
	}
	var links []wireLink
	if r, ok := ans["linkresult"]; ok && len(r) > 0 && r[0] == '[' {
		if err := json.Unmarshal(r, &links); err != nil {
			return Collection{}, nil, c.decodeErr(method, fmt.Errorf(`"linkresult": %w`, err))
		}
	}
	res := make([]LinkResult, 0, len(links))
	for _, l := range links {
		lr, err := l.convert()
		if err != nil {
			return Collection{}, nil, c.decodeErr(method, err)
		}
		res = append(res, lr)
	}
	return co, res, nil
}

func (c *Client) decodeErr(method string, err error) error {
	return &Error{Method: method, Err: &decodeError{c.scrub(err.Error())}, region: c.Region()}
}

// CreateCollection makes an audio collection named name holding fileIDs in
// order: the first [LinkBatch] with the create call, the rest linked in
// batches. On a failure after the collection was made, the returned
// collection and report say how far it got. A taken name is 2073
// ([IsNameTaken]).
func (c *Client) CreateCollection(ctx context.Context, name string, fileIDs []uint64) (Collection, LinkReport, error) {
	if strings.TrimSpace(name) == "" {
		return Collection{}, LinkReport{}, errors.New("pcloud: a playlist needs a name")
	}
	first := fileIDs[:min(len(fileIDs), LinkBatch)]
	p := url.Values{"name": {name}, "type": {strconv.Itoa(CollectionAudio)}, "timeformat": {"timestamp"}}
	if len(first) > 0 {
		p.Set("fileids", joinIDs(first))
	}
	const method = "collection_create"
	ans, err := c.authed(ctx, call{method: method, params: p, attempts: 1})
	if err != nil {
		return Collection{}, LinkReport{}, err
	}
	co, res, err := c.decodeCollection(method, ans)
	if err != nil {
		return Collection{}, LinkReport{}, err
	}
	rep := LinkReport{Results: res, Collection: co}
	if len(fileIDs) > len(first) {
		more, err := c.LinkFiles(ctx, co.ID, fileIDs[len(first):])
		rep.Results = append(rep.Results, more.Results...)
		if more.Collection.ID != 0 {
			rep.Collection = more.Collection
		}
		if err != nil {
			return rep.Collection, rep, err
		}
	}
	return rep.Collection, rep, nil
}

// UnlinkPositions removes the items at these positions (1-based).
func (c *Client) UnlinkPositions(ctx context.Context, id uint64, positions []int) (Collection, error) {
	ps := make([]string, len(positions))
	for i, p := range positions {
		ps[i] = strconv.Itoa(p)
	}
	return c.unlink(ctx, id, "positions", strings.Join(ps, ","))
}

// UnlinkFiles removes these files from a collection.
func (c *Client) UnlinkFiles(ctx context.Context, id uint64, fileIDs []uint64) (Collection, error) {
	return c.unlink(ctx, id, "fileids", joinIDs(fileIDs))
}

// UnlinkAll empties a collection.
func (c *Client) UnlinkAll(ctx context.Context, id uint64) (Collection, error) {
	return c.unlink(ctx, id, "all", "1")
}

func (c *Client) unlink(ctx context.Context, id uint64, key, value string) (Collection, error) {
	p := url.Values{"collectionid": {strconv.FormatUint(id, 10)}, key: {value}, "timeformat": {"timestamp"}}
	ans, err := c.authed(ctx, call{method: "collection_unlinkfiles", params: p, attempts: 1})
	if err != nil {
		return Collection{}, err
	}
	co, _, err := c.decodeCollection("collection_unlinkfiles", ans)
	return co, err
}

// MoveItem moves the item at position item (1-based) to position to. When
// fileID is not 0 it is sent too, so pCloud can check the item is the one
// meant.
func (c *Client) MoveItem(ctx context.Context, id uint64, item int, fileID uint64, to int) error {
	p := url.Values{
		"collectionid": {strconv.FormatUint(id, 10)},
		"item":         {strconv.Itoa(item)},
		"position":     {strconv.Itoa(to)},
	}
	if fileID != 0 {
		p.Set("fileid", strconv.FormatUint(fileID, 10))
	}
	_, err := c.authed(ctx, call{method: "collection_move", params: p, attempts: 1})
	return err
}

// RenameCollection renames a collection (2073 when the name is taken).
func (c *Client) RenameCollection(ctx context.Context, id uint64, name string) (Collection, error) {
	if strings.TrimSpace(name) == "" {
		return Collection{}, errors.New("pcloud: a playlist needs a name")
	}
	p := url.Values{"collectionid": {strconv.FormatUint(id, 10)}, "name": {name}, "timeformat": {"timestamp"}}
	return c.collectionCall(ctx, "collection_rename", p)
}

// DeleteCollection deletes a collection; pCloud's system collections
// can't be (2065).
func (c *Client) DeleteCollection(ctx context.Context, id uint64) error {
	p := url.Values{"collectionid": {strconv.FormatUint(id, 10)}}
	_, err := c.authed(ctx, call{method: "collection_delete", params: p})
	return err
}

func joinIDs(ids []uint64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(id, 10))
	}
	return b.String()
}
