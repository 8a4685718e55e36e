package library

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pcplay/pcplay/internal/order"
)

// searchCandidates bounds the matches ranked by one search. A one-letter
// query on 100,000 tracks matches most of them; FTS5's bm25 would read the
// whole prefix's document list for its statistics (~100 ms here), so the
// first searchCandidates matches are ranked in Go instead (see score).
// Queries of a word or more match far fewer tracks and are ranked in full.
const searchCandidates = 600

// Search finds tracks whose title, artist, album, album artist or file
// name hold every word of query as a word or a word's beginning, in any
// order, case and accents ignored ("beyonce hal" finds "Halo" by
// Beyoncé), best first (see score). At most limit tracks (default 100).
func (l *Library) Search(ctx context.Context, query string, limit int) ([]Track, error) {
	q := ftsQuery(query)
	if q == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 100
	}
	hits, err := l.rank(ctx, q, strings.Fields(order.Fold(strings.Join(searchWords(query), " "))))
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	hits = hits[:min(limit, len(hits))]
	ids := make([]string, len(hits))
	pos := make(map[uint64]int, len(hits))
	for i, h := range hits {
		ids[i] = strconv.FormatInt(h.id, 10)
		pos[uint64(h.id)] = i
	}
	ts, err := scanTracks(l.db.QueryContext(ctx, `SELECT `+trackCols+` FROM tracks WHERE fileid IN (`+strings.Join(ids, ",")+`)`))
	if err != nil {
		return nil, err
	}
	sort.Slice(ts, func(i, j int) bool { return pos[ts[i].FileID] < pos[ts[j].FileID] })
	return ts, nil
}

type hit struct {
	id            int64
	score         int
	artist, album string // sort keys
	disc, trackno int
}

// rank scores the first searchCandidates matches of the FTS query q for
// the folded query words, best first; ties in [Library.Songs] order.
func (l *Library) rank(ctx context.Context, q string, words []string) ([]hit, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT fileid, title, artist, album, name, albumartist, artistkey, albumkey, disc, trackno FROM tracks
		WHERE fileid IN (SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ? LIMIT ?)`, q, searchCandidates)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []hit
	fold := l.folds.fold
	for rows.Next() {
		var h hit
		var title, artist, album, name, aa string
		if err := rows.Scan(&h.id, &title, &artist, &album, &name, &aa, &h.artist, &h.album, &h.disc, &h.trackno); err != nil {
			return nil, err
		}
		h.score = score(fold(title)+"\x1f"+fold(artist)+"\x1f"+fold(album)+"\x1f"+fold(name)+"\x1e"+fold(aa), words)
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
		case a.disc != b.disc:
			return a.disc < b.disc
		case a.trackno != b.trackno:
			return a.trackno < b.trackno
		}
		return a.id < b.id
	})
	return hits, nil
}

// Field weights of a search, in the order of the folded text (see
// folded): title, artist, album, file name, then album artist.
var searchWeights = [5]int{10, 8, 4, 1, 2}

// score ranks a track (its folded text) for the query words: each word of
// a field that is a query word counts twice the field's weight, one that
// begins with a query word once; a field that is the whole query adds five
// times.
func score(text string, words []string) int {
	s := 0
	whole := strings.Join(words, " ")
	for i := 0; i < len(searchWeights) && text != ""; i++ {
		field := text
		if k := strings.IndexAny(text, "\x1e\x1f"); k >= 0 {
			field, text = text[:k], text[k+1:]
		} else {
			text = ""
		}
		w8 := searchWeights[i]
		if field == whole {
			s += 5 * w8
		}
		for len(field) > 0 { // each word of the field, without allocating
			r, n := utf8.DecodeRuneInString(field)
			if notWordRune(r) {
				field = field[n:]
				continue
			}
			end := len(field)
			for k, r := range field {
				if notWordRune(r) {
					end = k
					break
				}
			}
			fw := field[:end]
			field = field[end:]
			for _, w := range words {
				switch {
				case fw == w:
					s += 2 * w8
				case strings.HasPrefix(fw, w):
					s += w8
				}
			}
		}
	}
	return s
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
}

func searchWords(s string) []string { return strings.FieldsFunc(s, notWordRune) }

// ftsQuery makes an FTS5 query of a person's words: each word (letters and
// digits) quoted as a prefix, all of them required.
func ftsQuery(s string) string {
	var b strings.Builder
	for _, w := range searchWords(s) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + w + `"*`)
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
