package api

import (
	"net/url"
	"strings"
	"time"
)

// Category is pCloud's file category.
type Category int

// pCloud's file categories.
const (
	CategoryOther    Category = 0
	CategoryImage    Category = 1
	CategoryVideo    Category = 2
	CategoryAudio    Category = 3
	CategoryDocument Category = 4
	CategoryArchive  Category = 5
)

// Metadata is a file or a folder as listfolder describes it.
type Metadata struct {
	Name           string
	IsFolder       bool
	FolderID       uint64 // folders only
	FileID         uint64 // files only
	ParentFolderID uint64
	Category       Category
	ContentType    string
	Size           int64
	Hash           uint64
	Created        time.Time
	Modified       time.Time
	// Optional audio tags.
	Artist, Album, Title, Genre string
	TrackNo                     int // 0 when absent
	// Thumb: pCloud can make thumbnails of this file (getthumblink).
	Thumb    bool
	Contents []*Metadata // folders listed with their contents
}

// Playable reports whether getaudiolink can stream this file: audio, or the
// sound track of a video.
func (m *Metadata) Playable() bool {
	return !m.IsFolder && (m.Category == CategoryAudio || m.Category == CategoryVideo)
}

// Link is a short-lived stream link from getaudiolink or getfilelink.
type Link struct {
	Hosts   []string
	Path    string
	Expires time.Time
	Scheme  string // "https", or "http" when the API base URL is loopback http
}

// URLs returns one URL per host, best first. The path is escaped for a
// URL: pCloud documents it raw ("/hash/My Audio.mp3"), so spaces, unicode,
// '%', '?' and '#' are escaped; a path that is already a valid escaped URL
// path ("/hash/My%20Audio.mp3") is kept as it is. The scheme defaults to
// https.
func (l Link) URLs() []string {
	scheme := l.Scheme
	if scheme == "" {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Path: l.Path}
	if escapedPath(l.Path) {
		if p, err := url.PathUnescape(l.Path); err == nil {
			u.Path, u.RawPath = p, l.Path
		}
	}
	out := make([]string, 0, len(l.Hosts))
	for _, h := range l.Hosts {
		u.Host = h
		out = append(out, u.String())
	}
	return out
}

// escapedPath reports whether p looks already escaped: it has a %XX escape
// and only characters that may stand unescaped in a URL path.
func escapedPath(p string) bool {
	seen := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '%':
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return false
			}
			seen = true
			i += 2
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0:
		default:
			return false
		}
	}
	return seen
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// UserInfo is the account that a token belongs to.
type UserInfo struct {
	Email     string
	UserID    uint64
	Premium   bool
	Quota     int64
	UsedQuota int64
}
