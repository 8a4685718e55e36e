package library

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"modernc.org/sqlite"

	"github.com/pcplay/pcplay/internal/order"
)

// Where's conditions run in SQLite, on the tag columns tracks keep as
// they are (no key or folded column of the index's layout): a filter's
// simple cases (MPD's find, search, count and list) read only the
// tracks they match, not the whole index.

// Cond is one condition of [Library.Where]: a tag of the track equal to
// Value, or containing it.
type Cond struct {
	Tag      string // artist, albumartist, album, title, genre or name (the file's)
	Contains bool
	Value    string
}

// whereCols are the tags Where takes and their columns.
var whereCols = map[string]string{
	"artist": "artist", "albumartist": "albumartist", "album": "album",
	"title": "title", "genre": "genre", "name": "name",
}

// WhereTag reports whether Where takes conditions on tag.
func WhereTag(tag string) bool { _, ok := whereCols[tag]; return ok }

// Where lists the tracks that meet every condition, in [Library.Songs]'s
// order, limit of them from offset (limit 0: all). fold compares as
// [order.Fold] folds both sides (case, accents, spaces): MPD's search;
// else byte for byte: MPD's find.
func (l *Library) Where(ctx context.Context, conds []Cond, fold bool, offset, limit int) ([]Track, error) {
	var where []string
	args := make([]any, 0, len(conds)+2)
	for _, c := range conds {
		col, ok := whereCols[c.Tag]
		if !ok {
			return nil, fmt.Errorf("the library can't filter by %q", c.Tag)
		}
		v := c.Value
		if c.Tag == "artist" && !c.Contains {
			// The songs' index: the artist's key is a function of its
			// folded name, so equal names (folded or not) have equal keys.
			where = append(where, "artistkey = ?")
			args = append(args, sortKey(v))
		}
		if fold {
			col, v = "pcplay_fold("+col+")", order.Fold(v)
		}
		if c.Contains {
			where = append(where, "instr("+col+", ?) > 0")
		} else {
			where = append(where, col+" = ?")
		}
		args = append(args, v)
	}
	q := `SELECT ` + trackCols + ` FROM tracks`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	if limit <= 0 {
		limit = -1
	}
	args = append(args, limit, offset)
	return scanTracks(l.db.QueryContext(ctx, q+` ORDER BY artistkey, albumkey, disc, trackno, namekey LIMIT ? OFFSET ?`, args...))
}

// order.Fold as an SQL function, for Where.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("pcplay_fold", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, _ := args[0].(string)
		return order.Fold(s), nil
	})
}
