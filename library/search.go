package library

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pcplay/pcplay/internal/order"
)

// SearchResults is the most results a search gives: the UI shows them
// all, and the ranking reads as many candidates.
const SearchResults = 300

// searchCandidates bounds the matches ranked by one search. A one-letter
// query on 100,000 tracks matches thousands; FTS5's bm25 would read the
// whole prefix's document list for its statistics (~100 ms here), and
// reading each match's row costs ~2 µs, so the candidates are bounded and
// ranked in Go (see score): first the tracks holding the words whole
// (score counts them double), then those holding them as beginnings.
// Queries of a word or more mostly match fewer and are ranked in full.
const searchCandidates = SearchResults

// Search finds tracks whose title, artist, album, album artist or file
// name hold every word of query as a word or a word's beginning, in any
// order, case and accents ignored ("beyonce hal" finds "Halo" by
// Beyoncé), best first (see score). At most limit tracks (at most
// [SearchResults]; 0 is that).
func (l *Library) Search(ctx context.Context, query string, limit int) ([]Track, error) {
	words := searchWords(query)
	if len(words) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > SearchResults {
		limit = SearchResults
	}
	hits, err := l.rank(ctx, words, strings.Fields(order.Fold(strings.Join(words, " "))))
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	hits = hits[:min(limit, len(hits))]
	return l.tracksOf(ctx, hits)
}

// tracksOf is the hits' tracks with their paths (see folderDirs).
func (l *Library) tracksOf(ctx context.Context, hits []hit) ([]Track, error) {
	out := make([]Track, len(hits))
	for i := range hits {
		out[i] = hits[i].t
	}
	return out, l.dirs.paths(ctx, l, out)
}

// folderDirs keeps the paths of the folders of recent searches' tracks,
// each ending in "/", for one write generation: a search's tracks come
// from few folders, the same as the search a letter before, and a
// folder's path is kept once in the index. Bounded: emptied when full.
type folderDirs struct {
	mu  sync.Mutex
	gen uint64
	m   map[uint64]string
}

// folderDirsSize bounds the paths kept (~0.5 MB).
const folderDirsSize = 4096

// paths sets the tracks' paths (as pathCol): the folders not kept are
// read in one query.
func (d *folderDirs) paths(ctx context.Context, l *Library, ts []Track) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if g := l.gen.Load(); d.m == nil || d.gen != g || len(d.m) > folderDirsSize {
		d.m, d.gen = make(map[uint64]string, 256), g
	}
	var ids strings.Builder
	for _, t := range ts {
		if _, ok := d.m[t.FolderID]; !ok {
			d.m[t.FolderID] = "/" // a folder not in the index: the root's
			ids.WriteByte(',')
			ids.WriteString(strconv.FormatUint(t.FolderID, 10))
		}
	}
	if ids.Len() > 0 {
		if err := d.read(ctx, l, "["+ids.String()[1:]+"]"); err != nil {
			d.m = nil
			return err
		}
	}
	for i := range ts {
		ts[i].Path = d.m[ts[i].FolderID] + ts[i].Name
	}
	return nil
}

// read reads the paths of the folders ids (a JSON array).
func (d *folderDirs) read(ctx context.Context, l *Library, ids string) error {
	st, err := l.stmt(&l.searchSt[1], `SELECT folderid, CASE path WHEN '/' THEN '/' ELSE path || '/' END FROM folders WHERE folderid IN (SELECT value FROM json_each(?))`)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var dir string
		if err := rows.Scan(&id, &dir); err != nil {
			return err
		}
		d.m[uint64(id)] = dir
	}
	return rows.Err()
}

type hit struct {
	t             Track // but its Path
	score         int
	artist, album string // sort keys
}

// rank scores the first searchCandidates matches of the words (see
// searchCandidates) for the folded query words, best first; ties in
// [Library.Songs] order.
func (l *Library) rank(ctx context.Context, words, folded []string) ([]hit, error) {
	stmt, err := l.stmt(&l.searchSt[0], rankQuery)
	if err != nil {
		return nil, err
	}
	whole, begun := ftsQuery(words, false), ftsQuery(words, true)
	rows, err := stmt.QueryContext(ctx, whole, begun+" NOT ("+whole+")", searchCandidates)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hits := make([]hit, 0, searchCandidates)
	sc := scorer{words: folded, whole: strings.Join(folded, " "), fold: l.folds.fold}
	for rows.Next() {
		var h hit
		t := &h.t
		var id, hash, folder int64
		var ms sql.NullInt64
		var cat int
		if err := rows.Scan(&id, &hash, &folder, &t.Name, &t.Artist, &t.Album, &t.AlbumArtist, &t.Title, &t.Genre, &t.TrackNo, &t.Disc, &ms, &cat, &h.artist, &h.album); err != nil {
			return nil, err
		}
		t.FileID, t.Hash, t.FolderID = uint64(id), uint64(hash), uint64(folder)
		t.Duration = time.Duration(ms.Int64) * time.Millisecond
		t.Video = cat == 2
		h.score = sc.score(&[len(searchWeights)]string{t.Title, t.Artist, t.Album, t.Name, t.AlbumArtist})
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := &hits[i], &hits[j]
		switch {
		case a.score != b.score:
			return a.score > b.score
		case a.artist != b.artist:
			return a.artist < b.artist
		case a.album != b.album:
			return a.album < b.album
		case a.t.Disc != b.t.Disc:
			return a.t.Disc < b.t.Disc
		case a.t.TrackNo != b.t.TrackNo:
			return a.t.TrackNo < b.t.TrackNo
		}
		return a.t.FileID < b.t.FileID
	})
	return hits, nil
}

// rankQuery reads the matches of an FTS query (?1), then of another (?2),
// at most ?3 in all: the tracks but their paths (see tracksOf), and the
// sort keys of the tie order. The one read of the tracks' rows.
const rankQuery = `SELECT fileid, hash, folderid, name, artist, album, albumartist, title, genre, trackno, disc, duration_ms, category, artistkey, albumkey
	FROM tracks WHERE fileid IN (
		SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?1
		UNION ALL SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?2 LIMIT ?3)`

// stmt is the statement q, prepared once into *st: a search is typed a
// letter at a time, and preparing costs as much as ranking a short answer.
func (l *Library) stmt(st **sql.Stmt, q string) (*sql.Stmt, error) {
	l.searchMu.Lock()
	defer l.searchMu.Unlock()
	if *st == nil {
		p, err := l.db.Prepare(q)
		if err != nil {
			return nil, err
		}
		*st = p
	}
	return *st, nil
}

// Field weights of a search: title, artist, album, file name, album
// artist.
var searchWeights = [5]int{10, 8, 4, 1, 2}

// scorer ranks a track for the folded query words.
type scorer struct {
	words []string
	whole string // the words apart by one space
	fold  func(string) string
}

// score ranks a track by its fields (see searchWeights): each word of a
// field that is a query word counts twice the field's weight, one that
// begins with a query word once; a field that is the whole query adds
// five times. Fields compare as [order.Fold] makes them; plain ASCII ones
// (most) in place, without folding a copy.
func (sc *scorer) score(fields *[len(searchWeights)]string) int {
	s := 0
	for i, field := range fields {
		if field == "" {
			continue
		}
		ascii := order.PlainASCII(field)
		if !ascii {
			field = sc.fold(field)
		}
		w8 := searchWeights[i]
		if len(field) == len(sc.whole) && (field == sc.whole || ascii && strings.EqualFold(field, sc.whole)) {
			s += 5 * w8
		}
		for len(field) > 0 { // each word of the field, without allocating
			r, n := rune(field[0]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(field)
			}
			if notWordRune(r) {
				field = field[n:]
				continue
			}
			end := len(field)
			for k := n; k < len(field); {
				r, n := rune(field[k]), 1
				if r >= utf8.RuneSelf {
					r, n = utf8.DecodeRuneInString(field[k:])
				}
				if notWordRune(r) {
					end = k
					break
				}
				k += n
			}
			fw := field[:end]
			field = field[end:]
			for _, w := range sc.words {
				switch {
				case len(fw) < len(w):
				case !ascii && fw == w, ascii && len(fw) == len(w) && strings.EqualFold(fw, w):
					s += 2 * w8
				case !ascii && strings.HasPrefix(fw, w), ascii && strings.EqualFold(fw[:len(w)], w):
					s += w8
				}
			}
		}
	}
	return s
}

func notWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}
	return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
}

func searchWords(s string) []string { return strings.FieldsFunc(s, notWordRune) }

// ftsQuery makes an FTS5 query of a person's words: each word (letters and
// digits) quoted, as a beginning when begun, all of them required.
func ftsQuery(words []string, begun bool) string {
	var b strings.Builder
	for _, w := range words {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + w + `"`)
		if begun {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// foldCache keeps the folded names of recent searches' candidates: the
// candidates share artists and albums, and a query typed a letter at a
// time meets the same tracks again. Bounded: emptied when full.
type foldCache struct {
	mu sync.Mutex
	m  map[string]string
}

// foldCacheSize bounds the cache (~1 MB of names).
const foldCacheSize = 16384

func (c *foldCache) fold(s string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.m[s]; ok {
		return f
	}
	if c.m == nil || len(c.m) >= foldCacheSize {
		c.m = make(map[string]string, foldCacheSize/4)
	}
	f := order.Fold(s)
	c.m[s] = f
	return f
}
