package pcloudtest

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
	"time"
)

// Node is one folder or file of the fake library. Build trees with Dir,
// AudioFile, VideoFile and OtherFile, or by hand.
//
// NewServer works on its own deep copy of the tree: later changes to the nodes
// are not seen by a running server. It fills ID and ParentID of the nodes it
// was given (root folderid 0, other folders depth-first from 1, fileids
// depth-first from 1000), writing a field only when its value differs, so one
// tree may be shared by servers started in parallel tests.
type Node struct {
	Name     string
	Folder   bool
	Children []*Node

	Category    int    // for files: 3 audio, 2 video, 0 other, 1 image, 4 document, 5 archive
	ContentType string // e.g. "audio/mpeg"
	Size        int64  // for files without Audio; with Audio: len of the largest variant

	Artist, Album, Title, Genre string
	TrackNo                     int
	TrackNoAsString             bool // emit "trackno":"3" instead of 3

	// Audio maps a bitrate in kbit/s to the mp3 bytes that getaudiolink serves
	// for it (the variant closest to the asked bitrate is served). For a video
	// these are the bytes of its extracted sound track.
	Audio map[int][]byte

	// Data, when set, is the original file, what getfilelink serves (Size
	// is then its length): a picture's bytes, which getthumblink scales; a
	// text file's content (TextFile); or an audio file with its tags,
	// while getaudiolink serves Audio. Nil: Size bytes of filler.
	Data []byte

	// AccessDenied: listing this folder, or getting a link of this file or of
	// anything under this folder, answers 2003 "Access denied." (it is still
	// listed in its parent).
	AccessDenied bool

	ID, ParentID uint64 // filled by NewServer: folderid for folders, fileid for files
}

// Tags are the optional audio tags of a file.
type Tags struct {
	Artist, Album, Title, Genre string
	TrackNo                     int
}

// Dir is a folder.
func Dir(name string, children ...*Node) *Node {
	return &Node{Name: name, Folder: true, Children: children}
}

// AudioFile is an audio file (category 3, audio/mpeg) whose getaudiolink
// variants are the given mp3 bytes by bitrate.
func AudioFile(name string, variants map[int][]byte, tags Tags) *Node {
	return &Node{
		Name: name, Category: 3, ContentType: "audio/mpeg", Audio: variants,
		Artist: tags.Artist, Album: tags.Album, Title: tags.Title, Genre: tags.Genre, TrackNo: tags.TrackNo,
	}
}

// VideoFile is a video (category 2, video/mp4); variants are the mp3 bytes of
// its sound track that getaudiolink serves.
func VideoFile(name string, variants map[int][]byte) *Node {
	return &Node{Name: name, Category: 2, ContentType: "video/mp4", Audio: variants}
}

// OtherFile is a file that is neither audio nor video (category 0 other,
// 1 image, 4 document, 5 archive) of the given size.
func OtherFile(name string, category int, size int64) *Node {
	ct := "application/octet-stream"
	switch category {
	case 1:
		ct = "image/jpeg"
	case 4:
		ct = "application/pdf"
	case 5:
		ct = "application/zip"
	}
	return &Node{Name: name, Category: category, ContentType: ct, Size: size}
}

// ImageFile is a picture (category 1) whose bytes are data (JPEG, PNG or
// WebP): getfilelink serves them, getthumblink scales them.
func ImageFile(name string, data []byte) *Node {
	ct := "image/jpeg"
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		ct = "image/png"
	case len(data) > 12 && string(data[8:12]) == "WEBP":
		ct = "image/webp"
	}
	return &Node{Name: name, Category: 1, ContentType: ct, Size: int64(len(data)), Data: data}
}

// node is the server's own copy of a Node.
type node struct {
	name     string
	folder   bool
	id       uint64 // folderid or fileid
	parent   *node
	children []*node

	category    int
	contentType string
	size        int64
	hash        uint64
	created     time.Time
	modified    time.Time

	artist, album, title, genre string
	trackNo                     int
	trackNoAsString             bool

	denied bool

	data     []byte         // Node.Data
	bitrates []int          // sorted ascending
	audio    map[int][]byte // bitrate → bytes
}

// path is the full path of the node, "/" for the root.
func (n *node) path() string {
	if n.parent == nil {
		return "/"
	}
	var parts []string
	for m := n; m.parent != nil; m = m.parent {
		parts = append(parts, m.name)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}

// deniedHere reports whether the node or a folder above it denies access.
func (n *node) deniedHere() bool {
	for m := n; m != nil; m = m.parent {
		if m.denied {
			return true
		}
	}
	return false
}

// playable: getaudiolink extracts sound from audio and video files.
func (n *node) playable() bool {
	return !n.folder && (n.category == 3 || n.category == 2)
}

// variant returns the bitrate held closest to kbps (the higher one on a tie)
// and its bytes; ok is false when the node holds no audio.
func (n *node) variant(kbps int) (int, []byte, bool) {
	if len(n.bitrates) == 0 {
		return 0, nil, false
	}
	best := n.bitrates[0]
	for _, b := range n.bitrates[1:] {
		if abs(b-kbps) <= abs(best-kbps) {
			best = b
		}
	}
	return best, n.audio[best], true
}

// original is what getfilelink serves: the largest audio variant, or Size
// bytes of deterministic filler for files without audio.
func (n *node) original() []byte {
	if n.data != nil {
		return n.data
	}
	if len(n.bitrates) > 0 {
		var big []byte
		for _, b := range n.bitrates {
			if len(n.audio[b]) >= len(big) {
				big = n.audio[b]
			}
		}
		return big
	}
	size := n.size
	if size < 0 {
		size = 0
	}
	if size > 64<<20 { // keep memory sane for huge fake sizes
		size = 64 << 20
	}
	out := make([]byte, size)
	for i := range out {
		out[i] = byte(i*7 + int(n.id))
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// library is the indexed copy of the tree.
type library struct {
	mu      sync.RWMutex // written by the change hooks (diff.go)
	root    *node
	folders map[uint64]*node
	files   map[uint64]*node
}

var baseTime = time.Date(2024, time.March, 21, 18, 31, 45, 0, time.UTC)

// buildLibrary copies the caller's tree, assigns ids depth-first and fills
// the caller's ID/ParentID fields.
func buildLibrary(root *Node) (*library, error) {
	if root == nil {
		root = &Node{Folder: true}
	}
	if !root.Folder {
		return nil, fmt.Errorf("pcloudtest: the root node %q is not a folder", root.Name)
	}
	lib := &library{folders: map[uint64]*node{}, files: map[uint64]*node{}}
	nextFolder, nextFile := uint64(1), uint64(1000)
	var walk func(src *Node, parent *node, depth int) (*node, error)
	walk = func(src *Node, parent *node, depth int) (*node, error) {
		if src == nil {
			return nil, fmt.Errorf("pcloudtest: nil node under %q", parent.path())
		}
		if depth > 1000 {
			return nil, fmt.Errorf("pcloudtest: tree too deep (a cycle?)")
		}
		n := &node{name: src.Name, folder: src.Folder, parent: parent, denied: src.AccessDenied}
		if parent != nil {
			if src.Name == "" || strings.Contains(src.Name, "/") {
				return nil, fmt.Errorf("pcloudtest: bad name %q under %q", src.Name, parent.path())
			}
		}
		switch {
		case parent == nil:
			n.id = 0
			n.name = "/"
		case src.Folder:
			n.id = nextFolder
			nextFolder++
		default:
			n.id = nextFile
			nextFile++
		}
		if src.ID != n.id {
			src.ID = n.id
		}
		var pid uint64
		if parent != nil {
			pid = parent.id
		}
		if src.ParentID != pid {
			src.ParentID = pid
		}
		n.created = baseTime.Add(time.Duration(n.id) * time.Minute)
		n.modified = n.created.Add(time.Hour)
		if src.Folder {
			lib.folders[n.id] = n
			seen := map[string]bool{}
			for _, c := range src.Children {
				cn, err := walk(c, n, depth+1)
				if err != nil {
					return nil, err
				}
				if seen[cn.name] {
					return nil, fmt.Errorf("pcloudtest: two entries named %q in %q", cn.name, n.path())
				}
				seen[cn.name] = true
				n.children = append(n.children, cn)
			}
			return n, nil
		}
		lib.files[n.id] = n
		n.category = src.Category
		n.contentType = src.ContentType
		if n.contentType == "" {
			n.contentType = "application/octet-stream"
		}
		n.size = src.Size
		n.artist, n.album, n.title, n.genre = src.Artist, src.Album, src.Title, src.Genre
		n.trackNo, n.trackNoAsString = src.TrackNo, src.TrackNoAsString
		if len(src.Audio) > 0 {
			n.audio = make(map[int][]byte, len(src.Audio))
			n.size = 0
			for b, data := range src.Audio {
				n.audio[b] = data
				n.bitrates = append(n.bitrates, b)
				if int64(len(data)) > n.size {
					n.size = int64(len(data))
				}
			}
			sort.Ints(n.bitrates)
		}
		if src.Data != nil {
			n.data = src.Data
			n.size = int64(len(src.Data))
		}
		h := fnv.New64a()
		fmt.Fprintf(h, "%d/%s/%d", n.id, n.name, n.size)
		n.hash = h.Sum64()
		// Every other file gets a hash above 2^63, to catch int64 decoders.
		if n.id%2 == 0 {
			n.hash |= 1 << 63
		} else {
			n.hash &^= 1 << 63
		}
		return n, nil
	}
	r, err := walk(root, nil, 0)
	if err != nil {
		return nil, err
	}
	lib.root = r
	return lib, nil
}

// lookup resolves a path. It returns the node, or the pCloud result code:
// 2010 invalid path, 2002 a parent component missing, 2005/2009 the last
// component missing (folder/file wanted is the caller's business: code 0
// with a nil node means "last component missing").
func (l *library) lookup(p string) (*node, int) {
	if p == "" || p[0] != '/' {
		return nil, 2010
	}
	n := l.root
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) == 1 && parts[0] == "" {
		return n, 0
	}
	for i, part := range parts {
		if part == "" || part == "." || part == ".." {
			return nil, 2010
		}
		if !n.folder {
			return nil, 2002
		}
		var next *node
		for _, c := range n.children {
			if c.name == part {
				next = c
				break
			}
		}
		if next == nil {
			if i == len(parts)-1 {
				return nil, 0
			}
			return nil, 2002
		}
		n = next
	}
	return n, 0
}
