package pcloudtest

import (
	"slices"
	"strconv"
	"strings"
)

// itemMeta is a file's metadata with its place in a collection.
type itemMeta struct {
	*meta
	Position int `json:"position"`
	Added    any `json:"added"`
}

// items returns the live items among positions from+1..from+n (n < 0: to
// the end), numbered by their live position.
func (c *call) items(co *collection, from, n int) []any {
	out := []any{}
	pos := 0
	for i, it := range co.items {
		if !c.s.liveLocked(it.file) {
			continue
		}
		pos++
		if i < from || (n >= 0 && i >= from+n) {
			continue
		}
		out = append(out, itemMeta{meta: c.metadata(c.s.lib.files[it.file], false, false, false), Position: pos, Added: c.date(it.added)})
	}
	return out
}

func (c *call) collLink(co *collection) reply {
	ids, ok := parseIDs(c.p.Get("fileids"))
	if !ok || len(ids) == 0 {
		return fail(codeNoFileIDs)
	}
	res := c.link(co, ids)
	r := reply{"result": 0, "collection": c.collMeta(co)}
	if c.p.Get("noitems") == "1" {
		r["linkresult"] = []any{}
	} else {
		r["linkresult"] = res
	}
	return r
}

// link appends files in order, skipping vanished or missing files and
// duplicates, and returns the linkresult entries.
func (c *call) link(co *collection, ids []uint64) []any {
	c.prune(co)
	in := map[uint64]bool{}
	for _, it := range co.items {
		in[it.file] = true
	}
	now := c.s.now()
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		entry := reply{"fileid": strconv.FormatUint(id, 10)} // a string, as in pCloud's example
		n := c.s.lib.files[id]
		switch {
		case n == nil || c.s.coll.trashed[id]:
			entry["result"], entry["message"] = 2009, Message(2009)
		case in[id]:
			entry["result"], entry["message"] = codeDuplicate, Message(codeDuplicate)
		default:
			in[id] = true
			co.items = append(co.items, collItem{file: id, added: now})
			entry["result"] = 0
			entry["metadata"] = itemMeta{meta: c.metadata(n, false, false, false), Position: len(co.items), Added: c.date(now)}
		}
		out = append(out, entry)
	}
	co.modified = now
	return out
}

func (c *call) collUnlink(co *collection) reply {
	c.prune(co)
	drop := map[int]bool{}
	switch {
	case c.has("positions"):
		ps, ok := parseIDs(c.p.Get("positions"))
		if !ok {
			return fail(codeBadPosition)
		}
		for _, p := range ps {
			drop[int(p)-1] = true
		}
	case c.p.Get("all") == "1":
		for i := range co.items {
			drop[i] = true
		}
	case c.has("fileids"):
		ids, ok := parseIDs(c.p.Get("fileids"))
		if !ok {
			return fail(codeNoFileIDs)
		}
		want := map[uint64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		for i, it := range co.items {
			if want[it.file] {
				drop[i] = true
			}
		}
	default:
		return fail(codeNoFileIDs)
	}
	keep := co.items[:0]
	for i, it := range co.items {
		if !drop[i] {
			keep = append(keep, it)
		}
	}
	co.items = keep
	co.modified = c.s.now()
	return reply{"result": 0, "collection": c.collMeta(co)}
}

func (c *call) collMove(co *collection) reply {
	c.prune(co)
	if !c.has("item") {
		return fail(codeNoItem)
	}
	if !c.has("position") {
		return fail(codeNoPosition)
	}
	item, err1 := strconv.Atoi(strings.TrimSpace(c.p.Get("item")))
	pos, err2 := strconv.Atoi(strings.TrimSpace(c.p.Get("position")))
	n := len(co.items)
	if err1 != nil || err2 != nil || item < 1 || item > n || pos < 1 || pos > n {
		return fail(codeBadPosition)
	}
	if c.has("fileid") && c.p.Get("fileid") != strconv.FormatUint(co.items[item-1].file, 10) {
		return fail(codeBadPosition)
	}
	it := co.items[item-1]
	co.items = append(co.items[:item-1], co.items[item:]...)
	co.items = append(co.items[:pos-1], append([]collItem{it}, co.items[pos-1:]...)...)
	co.modified = c.s.now()
	return reply{"result": 0}
}

// parseIDs reads a comma list of unsigned numbers ("" is an empty list).
func parseIDs(s string) ([]uint64, bool) {
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// sortedFileIDs is every fileid of the library, ascending.
func (s *Server) sortedFileIDs() []uint64 {
	ids := make([]uint64, 0, len(s.lib.files))
	for id := range s.lib.files {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
