package api

import (
	"net/url"
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
	TrackNo                     int         // 0 when absent
	Contents                    []*Metadata // folders listed with their contents
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
// URL (spaces, unicode, '%', '?' and '#' in names); the scheme defaults to
// https.
func (l Link) URLs() []string {
	scheme := l.Scheme
	if scheme == "" {
		scheme = "https"
	}
	out := make([]string, 0, len(l.Hosts))
	for _, h := range l.Hosts {
		u := url.URL{Scheme: scheme, Host: h, Path: l.Path}
		out = append(out, u.String())
	}
	return out
}

// UserInfo is the account that a token belongs to.
type UserInfo struct {
	Email     string
	UserID    uint64
	Premium   bool
	Quota     int64
	UsedQuota int64
}
