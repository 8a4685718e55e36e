package pcloudtest

import (
	"strconv"
	"strings"
	"time"
)

// resolveFile finds the file named by fileid or path: 1004 neither, 1018 a
// bad fileid, 2010/2002 a bad path, 2009 missing or a folder.
func (c *call) resolveFile() (*node, int) {
	switch {
	case c.has("fileid"):
		id, err := strconv.ParseUint(strings.TrimSpace(c.p.Get("fileid")), 10, 64)
		if err != nil {
			return nil, 1018
		}
		n := c.s.lib.files[id]
		if n == nil {
			return nil, 2009
		}
		return n, 0
	case c.has("path"):
		n, code := c.s.lib.lookup(c.p.Get("path"))
		if code != 0 {
			return nil, code
		}
		if n == nil || n.folder {
			return nil, 2009
		}
		return n, 0
	}
	return nil, 1004
}

// allowedFile is the file a call names, when the login may read it: the
// login's failure, the file's (1018, 2009...) or 2003 otherwise.
func (c *call) allowedFile() (*node, int) {
	if _, code := c.authed(); code != 0 {
		return nil, code
	}
	n, code := c.resolveFile()
	if code != 0 {
		return nil, code
	}
	if n.deniedHere() {
		return nil, 2003
	}
	return n, 0
}

func (c *call) resolveFolder() (*node, int) {
	switch {
	case c.has("folderid"):
		id, err := strconv.ParseUint(strings.TrimSpace(c.p.Get("folderid")), 10, 64)
		if err != nil {
			return nil, 1017
		}
		n := c.s.lib.folders[id]
		if n == nil {
			return nil, 2005
		}
		return n, 0
	case c.has("path"):
		n, code := c.s.lib.lookup(c.p.Get("path"))
		if code != 0 {
			return nil, code
		}
		if n == nil || !n.folder {
			return nil, 2005
		}
		return n, 0
	}
	return nil, 1002
}

var icons = map[int]string{0: "file", 1: "image", 2: "video", 3: "audio", 4: "document", 5: "archive"}

// meta is pCloud's metadata object, in the document's field order.
type meta struct {
	Name           string   `json:"name"`
	IsFolder       bool     `json:"isfolder"`
	FolderID       *uint64  `json:"folderid,omitempty"`
	FileID         *uint64  `json:"fileid,omitempty"`
	ParentFolderID *uint64  `json:"parentfolderid,omitempty"`
	ID             string   `json:"id"`
	Icon           string   `json:"icon"`
	Category       *int     `json:"category,omitempty"`
	ContentType    string   `json:"contenttype,omitempty"`
	Size           *int64   `json:"size,omitempty"`
	Hash           *uint64  `json:"hash,omitempty"`
	Created        any      `json:"created"`
	Modified       any      `json:"modified"`
	IsMine         bool     `json:"ismine"`
	IsShared       bool     `json:"isshared"`
	Thumb          bool     `json:"thumb"`
	Path           string   `json:"path,omitempty"`
	Artist         string   `json:"artist,omitempty"`
	Album          string   `json:"album,omitempty"`
	Title          string   `json:"title,omitempty"`
	Genre          string   `json:"genre,omitempty"`
	TrackNo        any      `json:"trackno,omitempty"`
	Contents       *[]*meta `json:"contents,omitempty"`
}

func (c *call) listfolder() reply {
	if _, code := c.authed(); code != 0 {
		return fail(code)
	}
	n, code := c.resolveFolder()
	if code != 0 {
		return fail(code)
	}
	if n.deniedHere() {
		return fail(2003)
	}
	if r := c.listLimit(n); r != nil {
		return r
	}
	md := c.metadata(n, true, c.p.Get("recursive") == "1", c.p.Get("nofiles") == "1")
	if c.has("path") && !c.has("folderid") {
		md.Path = n.path()
	}
	return reply{"result": 0, "metadata": md}
}

// metadata shapes a node like pCloud's metadata object.
func (c *call) metadata(n *node, withContents, recursive, nofiles bool) *meta {
	id := n.id
	m := &meta{
		Name:     n.name,
		IsFolder: n.folder,
		Created:  c.date(n.created),
		Modified: c.date(n.modified),
		IsMine:   true,
	}
	if n.parent != nil {
		pid := n.parent.id
		m.ParentFolderID = &pid
	}
	if n.folder {
		m.FolderID = &id
		m.ID = "d" + strconv.FormatUint(n.id, 10)
		m.Icon = "folder"
		if withContents {
			contents := make([]*meta, 0, len(n.children))
			for _, ch := range n.children {
				if nofiles && !ch.folder {
					continue
				}
				contents = append(contents, c.metadata(ch, recursive, recursive, nofiles))
			}
			m.Contents = &contents
		}
		return m
	}
	m.FileID = &id
	m.ID = "f" + strconv.FormatUint(n.id, 10)
	icon, ok := icons[n.category]
	if !ok {
		icon = "file"
	}
	m.Icon = icon
	cat, size, hash := n.category, n.size, n.hash
	m.Category, m.Size, m.Hash = &cat, &size, &hash
	m.ContentType = n.contentType
	m.Thumb = n.category == 1 || n.category == 2
	m.Artist, m.Album, m.Title, m.Genre = n.artist, n.album, n.title, n.genre
	if n.trackNo != 0 {
		if n.trackNoAsString {
			m.TrackNo = strconv.Itoa(n.trackNo)
		} else {
			m.TrackNo = n.trackNo
		}
	}
	return m
}

// Bitrate bounds of getaudiolink.
const (
	MinBitrate     = 16
	MaxBitrate     = 320
	DefaultBitrate = 192
)

func (c *call) getlink(audio bool) reply {
	n, code := c.allowedFile()
	if code != 0 {
		return fail(code)
	}
	l := &link{file: n, audio: audio, asked: c.p.Get("abitrate")}
	if audio {
		if ct := c.p.Get("contenttype"); ct != "" && ct != "audio/mpeg" {
			return fail(1005)
		}
		// Unverified: the document names no error for a bitrate outside
		// 16..320, so it is clamped; a non-numeric one means the default.
		kbps := DefaultBitrate
		if v, err := strconv.Atoi(strings.TrimSpace(c.p.Get("abitrate"))); err == nil {
			kbps = min(max(v, MinBitrate), MaxBitrate)
		}
		if !n.playable() {
			return fail(2009) // choice: neither audio nor video
		}
		b, data, ok := n.variant(kbps)
		if !ok {
			return fail(2009) // an audio file without any variant to serve
		}
		l.bitrate, l.data = b, data
		c.extra.Set("served", strconv.Itoa(b))
	}
	return c.issue(l)
}

// issue registers a link and answers with its path, hosts and expiry.
func (c *call) issue(l *link) reply {
	s, n := c.s, l.file
	id := randomHex(16)
	l.path = "/" + id + "/" + n.name // raw, as pcloud-api.md shows it: "/hash/My Audio.mp3"
	s.mu.Lock()
	now := s.now()
	l.expires = now.Add(s.linkTTL)
	s.links[id] = l
	// Links expired for over an hour are forgotten (their host then
	// answers 404, which the document lists with 410 for an expired link).
	if len(s.links)%256 == 0 {
		for k, old := range s.links {
			if now.Sub(old.expires) > time.Hour {
				delete(s.links, k)
			}
		}
	}
	s.mu.Unlock()
	return reply{"result": 0, "path": l.path, "hosts": s.linkHosts(), "expires": c.date(l.expires)}
}
