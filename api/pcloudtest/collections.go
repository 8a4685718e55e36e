package pcloudtest

import (
	"strconv"
	"strings"
	"time"
)

// Collections (pCloud's playlists), as pcloud-api.md and pCloud's method
// pages describe them. Choices where they are silent (unverified):
//   - Positions are 1-based (pCloud's example shows "position": 1 for the
//     first item) and always 1..items: unlinking closes the gap.
//   - Pages of collection_details are 1-based (page 0, the default, is every
//     item). A page is the window of positions it covers; items whose file
//     vanished (TrashFile) are left out of it, so a page can come back short
//     while more remain. They are pruned from the collection by
//     collection_list, an unpaged collection_details and the last page.
//   - "type" is answered as "audio" (pCloud's examples) and asked as 1.
//   - Each account's system collection "Most Listened" (the account's first
//     five playable files) appears on its first collection_list; it can be
//     read but not deleted, renamed or changed: 2065, the code pCloud
//     documents for deleting a system collection. An unknown collection id
//     answers 2065 as well (collection_details lists no other code).
//   - Missing parameters: 1057 collectionid, 1039 name, 1038 fileids, 1059
//     item, 1060 position (codes from pCloud's lists, meanings guessed).
//     An unknown type answers 1058; a bad position 2066.
//   - A file linked twice (already in the collection, or twice in one
//     fileids list) is not linked again: its linkresult entry is 2072 "File
//     is already in the collection.".
//   - Names are compared exactly: 2073 when the account already has a
//     collection of that name.
//   - Options.RefuseOAuthCollections: a request whose token comes as an
//     OAuth bearer (access_token= or Authorization: Bearer) is refused by
//     every collection_* method with 2094 "Invalid 'access_token'
//     provided." while userinfo and listfolder accept the same token. The
//     real code of that refusal is not published.

// Collection result codes of the fake (see above).
const (
	codeNoFileIDs      = 1038
	codeNoName         = 1039
	codeNoCollectionID = 1057
	codeBadType        = 1058
	codeNoItem         = 1059
	codeNoPosition     = 1060
	codeCollection     = 2065
	codeBadPosition    = 2066
	codeDuplicate      = 2072
	codeNameTaken      = 2073
)

func init() {
	messages[codeNoFileIDs] = "Please provide 'fileids'."
	messages[codeNoName] = "Please provide 'name'."
	messages[codeNoCollectionID] = "Please provide 'collectionid'."
	messages[codeBadType] = "Invalid collection type."
	messages[codeNoItem] = "Please provide 'item'."
	messages[codeNoPosition] = "Please provide 'position'."
	messages[codeCollection] = "Collection does not exist or can not be modified."
	messages[codeBadPosition] = "Invalid position."
	messages[codeDuplicate] = "File is already in the collection."
	messages[codeNameTaken] = "Collection with that name already exists."
}

// collState is every account's collections; guarded by Server.mu.
type collState struct {
	shortPages bool
	zeroBased  bool // collection_details' first page is page 0 (else 1)
	next       uint64
	byAccount  map[string][]*collection // by lower-case email, in creation order
	trashed    map[uint64]bool
}

type collection struct {
	id       uint64
	name     string
	system   bool
	created  time.Time
	modified time.Time
	items    []collItem
}

type collItem struct {
	file  uint64
	added time.Time
}

// SetCollectionShortPages makes every page of collection_details cover one
// position fewer than its pagesize (at least one), so each page but the
// last comes back short while more remain, as pCloud warns its pages may.
func (s *Server) SetCollectionShortPages(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.coll.shortPages = on
}

// SetCollectionPageBase makes collection_details count its pages from
// base: 1 (the default: page 0, or none, is every item) or 0 (page 0 is the
// first page; no page is every item). Which one pCloud does is not
// documented, so pcplay must read every entry either way.
func (s *Server) SetCollectionPageBase(base int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.coll.zeroBased = base == 0
}

// TrashFile makes a file vanish from every collection, as moving it to the
// trash does on pCloud. (Listings and links are not affected.)
func (s *Server) TrashFile(fileID uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.coll.trashed == nil {
		s.coll.trashed = map[uint64]bool{}
	}
	s.coll.trashed[fileID] = true
}

// CollectionFiles is the file ids of the account's collection named name,
// in order (nil when there is none), for tests to check.
func (s *Server) CollectionFiles(email, name string) []uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, co := range s.coll.byAccount[strings.ToLower(email)] {
		if co.name == name {
			out := []uint64{}
			for _, it := range co.items {
				if s.liveLocked(it.file) {
					out = append(out, it.file)
				}
			}
			return out
		}
	}
	return nil
}

// liveLocked reports whether a file can still be in a collection.
func (s *Server) liveLocked(id uint64) bool {
	return s.lib.files[id] != nil && !s.coll.trashed[id]
}

// collection answers the collection_* methods.
func (c *call) collection(method string) reply {
	a, code := c.authed()
	if code == 0 {
		code = c.collectionRefusal()
	}
	if code != 0 {
		return fail(code)
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	email := strings.ToLower(a.Email)
	if s.coll.byAccount == nil {
		s.coll.byAccount = map[string][]*collection{}
	}
	switch method {
	case "collection_list":
		return c.collList(email)
	case "collection_create":
		return c.collCreate(email)
	}
	co, code := c.findColl(email)
	if code != 0 {
		return fail(code)
	}
	switch method {
	case "collection_details":
		return c.collDetails(co)
	}
	if co.system {
		return fail(codeCollection)
	}
	switch method {
	case "collection_rename":
		return c.collRename(email, co)
	case "collection_delete":
		return c.collDelete(email, co)
	case "collection_linkfiles":
		return c.collLink(co)
	case "collection_unlinkfiles":
		return c.collUnlink(co)
	case "collection_move":
		return c.collMove(co)
	}
	return fail(1099)
}

func (c *call) findColl(email string) (*collection, int) {
	if !c.has("collectionid") {
		return nil, codeNoCollectionID
	}
	id, err := strconv.ParseUint(strings.TrimSpace(c.p.Get("collectionid")), 10, 64)
	if err != nil {
		return nil, codeNoCollectionID
	}
	for _, co := range c.s.coll.byAccount[email] {
		if co.id == id {
			return co, 0
		}
	}
	return nil, codeCollection
}

func (c *call) newCollLocked(email, name string, system bool) *collection {
	st := &c.s.coll
	st.next++
	now := c.s.now()
	co := &collection{id: st.next, name: name, system: system, created: now, modified: now}
	st.byAccount[email] = append(st.byAccount[email], co)
	return co
}

// prune drops the items whose file vanished.
func (c *call) prune(co *collection) {
	keep := co.items[:0]
	for _, it := range co.items {
		if c.s.liveLocked(it.file) {
			keep = append(keep, it)
		}
	}
	co.items = keep
}

func (c *call) live(co *collection) int {
	n := 0
	for _, it := range co.items {
		if c.s.liveLocked(it.file) {
			n++
		}
	}
	return n
}

func (c *call) collList(email string) reply {
	st := &c.s.coll
	if len(st.byAccount[email]) == 0 || !st.byAccount[email][0].system {
		// System collections are made on the account's first list.
		mostListened := &collection{name: "Most Listened", system: true}
		for _, id := range c.s.sortedFileIDs() {
			if len(mostListened.items) == 5 {
				break
			}
			if c.s.lib.files[id].playable() {
				mostListened.items = append(mostListened.items, collItem{file: id, added: baseTime})
			}
		}
		st.next++
		mostListened.id, mostListened.created, mostListened.modified = st.next, baseTime, baseTime
		st.byAccount[email] = append([]*collection{mostListened}, st.byAccount[email]...)
	}
	if c.has("type") && strings.TrimSpace(c.p.Get("type")) != "1" {
		return reply{"result": 0, "collections": []any{}}
	}
	limit := -1
	if n, err := strconv.Atoi(c.p.Get("pagesize")); err == nil && n > 0 {
		limit = n
	}
	out := []any{}
	for _, co := range st.byAccount[email] {
		c.prune(co)
		m := c.collMeta(co)
		if c.p.Get("showfiles") == "1" {
			m["contents"] = c.items(co, 0, limit)
		}
		out = append(out, m)
	}
	return reply{"result": 0, "collections": out}
}

func (c *call) collMeta(co *collection) reply {
	return reply{
		"id": co.id, "name": co.name, "type": "audio", "ismine": true,
		"items": c.live(co), "system": co.system,
		"created": c.date(co.created), "modified": c.date(co.modified),
	}
}

func (c *call) collDetails(co *collection) reply {
	page, perr := strconv.Atoi(c.p.Get("page"))
	size, _ := strconv.Atoi(c.p.Get("pagesize"))
	m := c.collMeta(co)
	if c.s.coll.zeroBased && perr == nil {
		page++ // page 0 is the first page
	}
	if page <= 0 || size <= 0 {
		c.prune(co)
		m["contents"] = c.items(co, 0, -1)
		return reply{"result": 0, "collection": m}
	}
	if c.s.coll.shortPages {
		size = max(size-1, 1)
	}
	from := (page - 1) * size
	m["contents"] = c.items(co, from, size)
	if from+size >= len(co.items) {
		c.prune(co)
	}
	return reply{"result": 0, "collection": m}
}

func (c *call) collCreate(email string) reply {
	name := c.p.Get("name")
	if strings.TrimSpace(name) == "" {
		return fail(codeNoName)
	}
	if c.has("type") && strings.TrimSpace(c.p.Get("type")) != "1" {
		return fail(codeBadType)
	}
	for _, co := range c.s.coll.byAccount[email] {
		if co.name == name {
			return fail(codeNameTaken)
		}
	}
	co := c.newCollLocked(email, name, false)
	r := reply{"result": 0}
	if c.has("fileids") {
		ids, ok := parseIDs(c.p.Get("fileids"))
		if !ok {
			return fail(codeNoFileIDs)
		}
		r["linkresult"] = c.link(co, ids)
	}
	r["collection"] = c.collMeta(co)
	return r
}

func (c *call) collRename(email string, co *collection) reply {
	name := c.p.Get("name")
	if strings.TrimSpace(name) == "" {
		return fail(codeNoName)
	}
	for _, o := range c.s.coll.byAccount[email] {
		if o != co && o.name == name {
			return fail(codeNameTaken)
		}
	}
	co.name, co.modified = name, c.s.now()
	return reply{"result": 0, "collection": c.collMeta(co)}
}

func (c *call) collDelete(email string, co *collection) reply {
	list := c.s.coll.byAccount[email]
	for i, o := range list {
		if o == co {
			c.s.coll.byAccount[email] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	return reply{"result": 0}
}
