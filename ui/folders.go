package ui

import (
	"strings"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/player"
)

// pathID marks the folder opened by path before its id is known.
const pathID = ^uint64(0)

// folder is one listed (or loading) folder in the browser.
type folder struct {
	id      uint64
	name    string
	meta    *api.Metadata
	items   []*api.Metadata // folders first, then files, by name
	texts   []string
	loading bool
	err     string
	list    list

	wantChild uint64    // select this subfolder once listed
	path      string    // the pCloud path, "/" for the top folder; "" when unknown
	count     string    // "3 folders, 12 files"
	from      []*folder // the breadcrumbs it was opened from, shown while its listing waits
}

// topFolderPath is "/" for pCloud's top folder (id 0) and "" (unknown) for
// any other folder id.
func topFolderPath(id uint64) string {
	if id == 0 {
		return "/"
	}
	return ""
}

// topFolderName is "pCloud" for pCloud's top folder (id 0), "" for any
// other folder id.
func topFolderName(id uint64) string {
	if id == 0 {
		return "pCloud"
	}
	return ""
}

// itemText is how a row reads, as shown: folders by name, playable files
// as "artist – title" when tagged, else by file name (a file browser: the
// queue reads the name as the library does, [player.Track.Label]).
func itemText(m *api.Metadata) string {
	if !m.IsFolder && m.Playable() && m.Title != "" {
		return trackLabel(player.TrackOf(m))
	}
	return shown(m.Name)
}

func (f *folder) selectChild(id uint64) {
	for i, it := range f.items {
		if it.IsFolder && it.FolderID == id {
			f.list.selectOrig(i)
			return
		}
	}
}

// title is the folder's name as shown.
func (f *folder) title() string {
	if f.name == "" {
		return "folder"
	}
	return shown(f.name)
}

// baseName is the last name of a pCloud path ("Album" for "/Music/Album";
// "pCloud" for the top folder).
func baseName(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return topFolderName(0)
	}
	return p[strings.LastIndexByte(p, '/')+1:]
}

// parentPath is the path of p's parent folder: "/Music" for "/Music/Album",
// "/" for "/Music", "" when p is "" (unknown) or the top folder.
func parentPath(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return ""
	}
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "/"
	}
	return "/" + p[:i]
}

func childPath(parent, name string) string {
	switch parent {
	case "":
		return ""
	case "/":
		return "/" + name
	}
	return parent + "/" + name
}
