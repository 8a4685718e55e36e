package playlist

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// An m3u8 playlist of pCloud paths:
//
//	#EXTM3U
//	#PLAYLIST:Name
//	#EXTINF:-1,Artist - Title
//	/Music/Artist/Album/01 Title.mp3

// Entry is one track line of an m3u8 file.
type Entry struct {
	Line  int    // 1-based line number of the path
	Path  string // as written
	Title string // the #EXTINF text before it, if any
}

// Unresolved is an entry that names no file of the account.
type Unresolved struct {
	Entry
	Reason string // one sentence
}

// maxM3ULine bounds a line of an m3u8 file.
const maxM3ULine = 64 << 10

// ReadM3U reads an m3u/m3u8 file: its track lines (comments and blank
// lines skipped; a UTF-8 BOM and CRLF line ends accepted) and the name in
// #PLAYLIST, if any.
func ReadM3U(r io.Reader) (entries []Entry, name string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxM3ULine)
	title := ""
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		switch {
		case line == "":
		case strings.HasPrefix(line, "#EXTINF:"):
			if _, t, ok := strings.Cut(line, ","); ok {
				title = strings.TrimSpace(t)
			}
		case strings.HasPrefix(line, "#PLAYLIST:"):
			name = strings.TrimSpace(strings.TrimPrefix(line, "#PLAYLIST:"))
		case strings.HasPrefix(line, "#"):
		default:
			if !utf8.ValidString(line) {
				line = strings.ToValidUTF8(line, "\uFFFD")
			}
			entries = append(entries, Entry{Line: n, Path: line, Title: title})
			title = ""
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return entries, name, fmt.Errorf("a line is longer than %d KB: this is not an m3u8 playlist", maxM3ULine>>10)
		}
		return entries, name, err
	}
	return entries, name, nil
}

// M3UWritten counts the tracks WriteM3U wrote as comments, not entries.
type M3UWritten struct {
	Unknown int // no pCloud path known: "# path unknown: NAME"
	// Unwritable have a line break in their path, which an m3u8 line
	// cannot hold: "# path with a line break, not an entry: PATH"
	// (written with ␤, so the comment stays one line).
	Unwritable int
}

// Comments is how many tracks were written as comments.
func (m M3UWritten) Comments() int { return m.Unknown + m.Unwritable }

// WriteM3U writes tracks as an m3u8 playlist of pCloud paths, exactly as
// they are. A track that can't be an entry is written as a comment line,
// so nothing is lost silently, and counted.
func WriteM3U(w io.Writer, name string, tracks []Track) (M3UWritten, error) {
	bw := bufio.NewWriter(w)
	bw.WriteString("#EXTM3U\n")
	if name != "" {
		fmt.Fprintf(bw, "#PLAYLIST:%s\n", oneLine(name))
	}
	var n M3UWritten
	for _, t := range tracks {
		switch {
		case t.Path == "":
			n.Unknown++
			fmt.Fprintf(bw, "# path unknown: %s\n", oneLine(t.Name))
		case strings.ContainsAny(t.Path, "\r\n"):
			// A space in its place (as before) names another file, which
			// the import then can't find.
			n.Unwritable++
			fmt.Fprintf(bw, "# path with a line break, not an entry: %s\n", strings.NewReplacer("\r", "␍", "\n", "␤").Replace(t.Path))
		default:
			fmt.Fprintf(bw, "#EXTINF:%d,%s\n%s\n", extinfSeconds(t.Duration), oneLine(t.Display()), t.Path)
		}
	}
	return n, bw.Flush()
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}

// Resolver finds files of the account by path and the paths of files.
type Resolver interface {
	// ResolvePath returns the file at a pCloud path ("/Music/a.mp3").
	ResolvePath(ctx context.Context, p string) (Track, error)
	// TrackPath returns the pCloud path of a track.
	TrackPath(ctx context.Context, t Track) (string, error)
}

// Resolve turns entries into tracks; entries that name no file of the
// account (not an absolute pCloud path, missing, a folder) are returned
// apart with a reason, the rest kept in order.
func Resolve(ctx context.Context, r Resolver, entries []Entry) ([]Track, []Unresolved, error) {
	var tracks []Track
	var bad []Unresolved
	for _, e := range entries {
		p := e.Path
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "://") {
			bad = append(bad, Unresolved{e, "not a pCloud path (it must start with /)"})
			continue
		}
		if c := path.Clean(p); c != p {
			p = c
		}
		t, err := r.ResolvePath(ctx, p)
		if err != nil {
			if ctx.Err() != nil {
				return tracks, bad, ctx.Err()
			}
			bad = append(bad, Unresolved{e, strings.TrimSuffix(Sentence(err), ".")})
			continue
		}
		tracks = append(tracks, t)
	}
	return tracks, bad, nil
}

// FillPaths sets the [Track.Path] of tracks that have none, through r; it returns
// how many stayed without one and the first error's sentence.
func FillPaths(ctx context.Context, r Resolver, tracks []Track) (int, error) {
	missing := 0
	var first error
	for i := range tracks {
		if tracks[i].Path != "" {
			continue
		}
		p, err := r.TrackPath(ctx, tracks[i])
		if err != nil {
			if ctx.Err() != nil {
				return missing, ctx.Err()
			}
			missing++
			if first == nil {
				first = err
			}
			continue
		}
		tracks[i].Path = p
	}
	return missing, first
}

// extinfSeconds is a duration as #EXTINF gives it: whole seconds, rounded
// (at least 1 for a track shorter than one); -1 when unknown.
func extinfSeconds(d time.Duration) int64 {
	if d <= 0 {
		return -1
	}
	return max(1, int64(d.Round(time.Second)/time.Second))
}
