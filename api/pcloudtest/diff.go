package pcloudtest

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The change feed (`diff`) and the test hooks that change the library.
//
// Choices where pcloud-api.md is silent (unverified):
//   - The feed starts at diffid 1 with the tree as NewServer built it.
//   - diff without diffid, after or last answers every event kept.
//   - A diffid older than the history kept (see ForgetDiffs) answers a
//     single `reset` event, as does a diffid beyond the current one.
//   - A blocking call (block=1) with nothing to say is held until an event,
//     the client going away, or DiffBlockTimeout (default 60 s), then
//     answers no entries and the same diffid.
//   - Deleting a folder sends deletefile for each file below it and
//     deletefolder for each folder, deepest first.

// DiffBlockTimeout is how long a blocking diff is held by default.
const DiffBlockTimeout = 60 * time.Second

type diffEvent struct {
	id    uint64
	event string
	time  time.Time
	node  *node // a snapshot; nil for reset
}

// feed is the account's change feed.
type feed struct {
	mu      sync.Mutex
	events  []diffEvent
	first   uint64 // the oldest diffid still answered (older: reset)
	last    uint64
	wake    chan struct{}
	block   time.Duration
	nextDir uint64
	nextFil uint64
	limits  ListLimits
	waiting int // blocked diff calls
}

// waitingDiffs is the number of diff calls blocked now.
func (s *Server) waitingDiffs() int {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	return s.feed.waiting
}

func newFeed(lib *library) *feed {
	f := &feed{first: 1, last: 1, wake: make(chan struct{}), block: DiffBlockTimeout, nextDir: 1, nextFil: 1000}
	for id := range lib.folders {
		f.nextDir = max(f.nextDir, id+1)
	}
	for id := range lib.files {
		f.nextFil = max(f.nextFil, id+1)
	}
	return f
}

// snapshot copies a node without its children, with a stub parent carrying
// the parent's id.
func snapshot(n *node) *node {
	c := *n
	c.children = nil
	if n.parent != nil {
		c.parent = &node{id: n.parent.id, folder: true}
	}
	return &c
}

// emitLocked appends an event and wakes blocked callers; f.mu is held.
func (f *feed) emitLocked(now time.Time, event string, n *node) {
	f.last++
	e := diffEvent{id: f.last, event: event, time: now}
	if n != nil {
		e.node = snapshot(n)
	}
	f.events = append(f.events, e)
	close(f.wake)
	f.wake = make(chan struct{})
}

func (c *call) diff() reply {
	if _, code := c.authed(); code != 0 {
		return fail(code)
	}
	f := c.s.feed
	var diffid uint64
	if c.has("diffid") {
		v, err := strconv.ParseUint(strings.TrimSpace(c.p.Get("diffid")), 10, 64)
		if err != nil {
			v = ^uint64(0) // unreadable: answered like an unknown diffid, reset
		}
		diffid = v
	}
	var after time.Time
	if c.has("after") {
		if v, err := strconv.ParseInt(c.p.Get("after"), 10, 64); err == nil {
			after = time.Unix(v, 0)
		}
	}
	last := -1
	if c.p.Has("last") {
		if v, err := strconv.Atoi(c.p.Get("last")); err == nil && v >= 0 {
			last = v
		}
	}
	limit, _ := strconv.Atoi(c.p.Get("limit"))
	block := c.p.Get("block") == "1"
	f.mu.Lock()
	timeout := f.block
	f.mu.Unlock()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		f.mu.Lock()
		entries, cur := f.selectLocked(c.s.now(), diffid, after, last, limit)
		wake := f.wake
		wait := len(entries) == 0 && block && last < 0
		if wait {
			f.waiting++
		}
		f.mu.Unlock()
		if !wait {
			return reply{"result": 0, "diffid": cur, "entries": c.renderEvents(entries)}
		}
		r := c.await(wake, timer.C)
		f.mu.Lock()
		f.waiting--
		f.mu.Unlock()
		if r != nil {
			r["diffid"] = cur
			return r
		}
	}
}

// await waits for an event (nil) or answers the blocked call.
func (c *call) await(wake <-chan struct{}, timeout <-chan time.Time) reply {
	select {
	case <-wake:
		return nil
	case <-timeout:
	case <-c.r.Context().Done():
	case <-c.s.closed:
	}
	return reply{"result": 0, "entries": []any{}}
}

// selectLocked picks the events to answer and the diffid to give back.
func (f *feed) selectLocked(now time.Time, diffid uint64, after time.Time, last, limit int) ([]diffEvent, uint64) {
	var out []diffEvent
	switch {
	case last >= 0:
		if last > len(f.events) {
			last = len(f.events)
		}
		out = f.events[len(f.events)-last:]
	case diffid != 0 && (diffid < f.first || diffid > f.last):
		return []diffEvent{{id: f.last, event: "reset", time: now}}, f.last
	case diffid != 0:
		for i, e := range f.events {
			if e.id > diffid {
				out = f.events[i:]
				break
			}
		}
	case !after.IsZero():
		for i, e := range f.events {
			if e.time.After(after) {
				out = f.events[i:]
				break
			}
		}
	default:
		out = f.events
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	cur := f.last
	if len(out) > 0 && last < 0 {
		cur = out[len(out)-1].id
	}
	return append([]diffEvent(nil), out...), cur
}

func (c *call) renderEvents(es []diffEvent) []any {
	out := make([]any, 0, len(es))
	for _, e := range es {
		m := map[string]any{"event": e.event, "time": c.date(e.time), "diffid": e.id}
		if e.node != nil {
			m["metadata"] = c.metadata(e.node, false, false, false)
		}
		out = append(out, m)
	}
	return out
}

// SetDiffBlockTimeout sets how long a blocking diff with nothing to say is
// held (default DiffBlockTimeout).
func (s *Server) SetDiffBlockTimeout(d time.Duration) {
	s.feed.mu.Lock()
	s.feed.block = d
	s.feed.mu.Unlock()
}

// DiffID is the current diffid.
func (s *Server) DiffID() uint64 {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	return s.feed.last
}

// ResetDiff sends a `reset` event: clients must rescan.
func (s *Server) ResetDiff() {
	s.feed.mu.Lock()
	s.feed.emitLocked(s.now(), "reset", nil)
	s.feed.mu.Unlock()
}

// ForgetDiffs drops the history: a diffid older than the current one
// answers `reset` from now on (pCloud keeps about six months).
func (s *Server) ForgetDiffs() {
	s.feed.mu.Lock()
	s.feed.events = nil
	s.feed.first = s.feed.last
	s.feed.mu.Unlock()
}

// mutate runs fn with the library locked for writing and the feed locked.
func (s *Server) mutate(fn func(f *feed, now time.Time)) {
	s.lib.mu.Lock()
	defer s.lib.mu.Unlock()
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	fn(s.feed, s.now())
}

func (s *Server) folderAt(path string) *node {
	n, _ := s.lib.lookup(path)
	if n == nil || !n.folder {
		panic("pcloudtest: no folder " + path)
	}
	return n
}

func (s *Server) nodeAt(path string) *node {
	n, _ := s.lib.lookup(path)
	if n == nil || n.parent == nil {
		panic("pcloudtest: no file or folder " + path)
	}
	return n
}

func hasChild(dir *node, name string) bool {
	for _, c := range dir.children {
		if c.name == name {
			return true
		}
	}
	return false
}

// AddFolder creates an empty folder in the folder at parentPath and sends
// createfolder. It returns the new folderid; it panics on a bad path or a
// name taken.
func (s *Server) AddFolder(parentPath, name string) uint64 {
	var id uint64
	s.mutate(func(f *feed, now time.Time) {
		dir := s.folderAt(parentPath)
		if name == "" || strings.Contains(name, "/") || hasChild(dir, name) {
			panic(fmt.Sprintf("pcloudtest: cannot create %q in %s", name, parentPath))
		}
		n := &node{name: name, folder: true, id: f.nextDir, parent: dir, created: now, modified: now}
		f.nextDir++
		dir.children = append(dir.children, n)
		s.lib.folders[n.id] = n
		f.emitLocked(now, "createfolder", n)
		id = n.id
	})
	return id
}

// AddFile creates a file (built with AudioFile, VideoFile or OtherFile; its
// Children are ignored) in the folder at parentPath and sends createfile.
// It returns the new fileid.
func (s *Server) AddFile(parentPath string, src *Node) uint64 {
	var id uint64
	s.mutate(func(f *feed, now time.Time) {
		dir := s.folderAt(parentPath)
		if src == nil || src.Folder || src.Name == "" || strings.Contains(src.Name, "/") || hasChild(dir, src.Name) {
			panic(fmt.Sprintf("pcloudtest: cannot create a file like %+v in %s", src, parentPath))
		}
		tmp, err := buildLibrary(&Node{Folder: true, Children: []*Node{{
			Name: src.Name, Category: src.Category, ContentType: src.ContentType, Size: src.Size,
			Artist: src.Artist, Album: src.Album, Title: src.Title, Genre: src.Genre,
			TrackNo: src.TrackNo, TrackNoAsString: src.TrackNoAsString, Audio: src.Audio,
		}}})
		if err != nil {
			panic(err)
		}
		n := tmp.root.children[0]
		n.id, n.parent, n.created, n.modified = f.nextFil, dir, now, now
		n.hash = fileHash(n, 0)
		f.nextFil++
		dir.children = append(dir.children, n)
		s.lib.files[n.id] = n
		f.emitLocked(now, "createfile", n)
		id = n.id
	})
	return id
}

func fileHash(n *node, gen int) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s/%d/%s/%s/%s/%d", n.id, n.name, n.size, n.artist, n.album, n.title, gen)
	return h.Sum64()
}

// SetTags changes the tags of the file at path (its content, so its hash)
// and sends modifyfile.
func (s *Server) SetTags(path string, t Tags) {
	s.mutate(func(f *feed, now time.Time) {
		n := s.nodeAt(path)
		if n.folder {
			panic("pcloudtest: SetTags on folder " + path)
		}
		n.artist, n.album, n.title, n.genre, n.trackNo = t.Artist, t.Album, t.Title, t.Genre, t.TrackNo
		n.modified = now
		n.hash = fileHash(n, int(f.last))
		f.emitLocked(now, "modifyfile", n)
	})
}

// Move moves (and renames, when newName is not "") the file or folder at
// path into the folder at newParentPath and sends modifyfile or
// modifyfolder (one event: the paths below a moved folder change too).
func (s *Server) Move(path, newParentPath, newName string) {
	s.mutate(func(f *feed, now time.Time) {
		n := s.nodeAt(path)
		dir := s.folderAt(newParentPath)
		if newName == "" {
			newName = n.name
		}
		for m := dir; m != nil; m = m.parent {
			if m == n {
				panic("pcloudtest: cannot move " + path + " into itself")
			}
		}
		if hasChild(dir, newName) && !(dir == n.parent && newName == n.name) {
			panic("pcloudtest: " + newName + " exists in " + newParentPath)
		}
		removeChild(n.parent, n)
		n.parent, n.name, n.modified = dir, newName, now
		dir.children = append(dir.children, n)
		ev := "modifyfile"
		if n.folder {
			ev = "modifyfolder"
		}
		f.emitLocked(now, ev, n)
	})
}

// Remove deletes the file or folder at path (a folder with everything in
// it) and sends deletefile/deletefolder events.
func (s *Server) Remove(path string) {
	s.mutate(func(f *feed, now time.Time) {
		n := s.nodeAt(path)
		var walk func(m *node)
		walk = func(m *node) {
			if !m.folder {
				delete(s.lib.files, m.id)
				f.emitLocked(now, "deletefile", m)
				return
			}
			for _, c := range m.children {
				walk(c)
			}
			delete(s.lib.folders, m.id)
			f.emitLocked(now, "deletefolder", m)
		}
		walk(n)
		removeChild(n.parent, n)
	})
}

func removeChild(dir, n *node) {
	for i, c := range dir.children {
		if c == n {
			dir.children = append(dir.children[:i:i], dir.children[i+1:]...)
			return
		}
	}
}
