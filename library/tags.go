package library

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/pcplay/pcplay/internal/order"
	"github.com/pcplay/pcplay/internal/trackname"
)

// Names used when neither the tags nor the path say.
const (
	UnknownArtist  = "Unknown Artist"
	UnknownAlbum   = "Unknown Album"
	VariousArtists = "Various Artists"
)

// Tags are what pCloud's metadata says of a file (any may be empty).
type Tags struct {
	Artist, Album, Title, Genre string
	TrackNo                     int
}

// Info is a track's tags completed from its path.
type Info struct {
	Artist, Album, Title, Genre string
	TrackNo, Disc               int
	// AlbumDir is the path of the album's folder: the file's folder, or
	// the one above a "Disc N"/"CD2" folder.
	AlbumDir string
}

var (
	discDir   = regexp.MustCompile(`(?i)^(?:disc|disk|cd)[ ._-]*(\d{1,2})\b`)
	yearAlbum = regexp.MustCompile(`^[(\[]?(?:19|20)\d\d[)\]]?\s*[-–.]?\s+(.+)$`)
)

// Infer completes tags from the path the way well-kept players do (beets'
// and musikcube's folder conventions): Artist/Album/NN Title.ext,
// Artist - Album/NN - Title.ext, NN - Artist - Title.ext, "Disc 2" or
// "CD2" folders (the album is the folder above), "1-02 Title" (disc 1,
// track 2). [Tags] from pCloud win over the path; a folder right under the
// account's root is an album, never an artist.
func Infer(filePath string, t Tags) Info {
	dir, file := path.Split(filePath)
	dir = strings.TrimSuffix(dir, "/")
	in := Info{AlbumDir: dir}
	// Folders: [artistDir]/albumDir/[Disc N]
	albumName, artistName := path.Base(dir), ""
	if dir == "" || dir == "/" {
		albumName = ""
	}
	up := path.Dir(dir)
	if m := discDir.FindStringSubmatch(albumName); m != nil && up != "/" && up != "." {
		in.Disc, _ = strconv.Atoi(m[1])
		in.AlbumDir = up
		albumName = path.Base(up)
		up = path.Dir(up)
	}
	if up != "/" && up != "." && up != "" {
		artistName = path.Base(up)
	}
	if a, b, ok := strings.Cut(albumName, " - "); ok && !isYear(a) {
		artistName, albumName = strings.TrimSpace(a), strings.TrimSpace(b)
	}
	if m := yearAlbum.FindStringSubmatch(albumName); m != nil {
		albumName = m[1]
	}
	// File name: [D-]NN[ - Artist] - Title
	fn := trackname.Parse(file)
	if in.Disc == 0 && fn.Disc > 0 {
		in.Disc = fn.Disc
	}
	in.TrackNo, in.Title = fn.No, fn.Title
	in.Artist = first(t.Artist, fn.Artist, artistName, UnknownArtist)
	in.Album = first(t.Album, albumName, UnknownAlbum)
	in.Title = first(t.Title, in.Title, file)
	in.Genre = strings.TrimSpace(t.Genre)
	if t.TrackNo > 0 {
		in.TrackNo = t.TrackNo
	}
	if in.Disc == 0 {
		in.Disc = 1
	}
	return in
}

// InferIn is [Infer] for a file of the library folder root ("/Music"):
// the folders from root down are read as artist and album, never root
// itself nor those above it (a library folder is not a tag: with
// ["/Music"], "/Music/Big Folder/x.mp3" is of the album "Big Folder", not
// by "Music"). AlbumDir stays a full path.
func InferIn(root, filePath string, t Tags) Info {
	rel, ok := strings.CutPrefix(filePath, root)
	if root == "/" || root == "" || !ok || !strings.HasPrefix(rel, "/") {
		return Infer(filePath, t)
	}
	in := Infer(rel, t)
	if in.AlbumDir == "" || in.AlbumDir == "/" {
		in.AlbumDir = root
	} else {
		in.AlbumDir = root + in.AlbumDir
	}
	return in
}

func isYear(s string) bool {
	s = strings.Trim(s, "()[] ")
	n, err := strconv.Atoi(s)
	return err == nil && len(s) == 4 && n >= 1900 && n < 2100
}

func first(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// sortKey is the key artists and albums are sorted and looked up by:
// [order.Key] without a leading "the " (The Beatles sort under B).
func sortKey(s string) string {
	k := order.Fold(s)
	if strings.HasPrefix(k, "the ") && len(k) > 4 {
		k = k[4:]
	}
	return order.Key(k)
}
