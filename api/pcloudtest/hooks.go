package pcloudtest

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// The test hooks that change the library; each sends its diff events and
// wakes blocked diff calls.

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
