package library

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/order"
)

// Where answers what the same conditions tested on every track of Songs
// answer, in the same order: exact (find) and folded (search), equal and
// containing, several at once (AND), paged.
func TestWhere(t *testing.T) {
	f := newFixture(t, pcloudtest.Dir("",
		pcloudtest.Dir("Music",
			tagged("01.mp3", pcloudtest.Tags{Title: "Café del Mar", Artist: "Beyoncé", Album: "Lemonade", Genre: "Pop"}),
			tagged("02.mp3", pcloudtest.Tags{Title: "Formation", Artist: "Beyoncé", Album: "Lemonade", Genre: "Pop"}),
			tagged("03.mp3", pcloudtest.Tags{Title: "Cafe Society", Artist: "beyonce", Album: "Other", Genre: "pop"}),
			tagged("04.mp3", pcloudtest.Tags{Title: "Night  Dream", Artist: "The Band", Album: "Lemonade live", Genre: "Rock"}),
			tagged("05 Untagged.mp3", pcloudtest.Tags{}),
		),
	))
	f.scan(t)
	ctx := context.Background()
	all, err := f.lib.Songs(ctx, 0, 0)
	if err != nil || len(all) != 5 {
		t.Fatalf("songs: %d, %v", len(all), err)
	}
	value := func(tr Track, tag string) string {
		return map[string]string{"artist": tr.Artist, "albumartist": tr.AlbumArtist, "album": tr.Album,
			"title": tr.Title, "genre": tr.Genre, "name": tr.Name}[tag]
	}
	naive := func(conds []Cond, fold bool) []string {
		var out []string
		for _, tr := range all {
			ok := true
			for _, c := range conds {
				s, v := value(tr, c.Tag), c.Value
				if fold {
					s, v = order.Fold(s), order.Fold(v)
				}
				if c.Contains && !strings.Contains(s, v) || !c.Contains && s != v {
					ok = false
				}
			}
			if ok {
				out = append(out, tr.Path)
			}
		}
		return out
	}
	paths := func(ts []Track) []string {
		var out []string
		for _, tr := range ts {
			out = append(out, tr.Path)
		}
		return out
	}
	for _, x := range []struct {
		conds []Cond
		fold  bool
		n     int // how many match
	}{
		{[]Cond{{Tag: "artist", Value: "Beyoncé"}}, false, 2},
		{[]Cond{{Tag: "artist", Value: "beyonce"}}, true, 3},
		{[]Cond{{Tag: "title", Value: "cafe", Contains: true}}, true, 2},
		{[]Cond{{Tag: "title", Value: "Caf", Contains: true}}, false, 2},
		{[]Cond{{Tag: "title", Value: "night dream", Contains: true}}, true, 1},
		{[]Cond{{Tag: "album", Value: "Lemonade", Contains: true}, {Tag: "genre", Value: "Pop"}}, false, 2},
		{[]Cond{{Tag: "album", Value: "lemonade", Contains: true}, {Tag: "genre", Value: "pop"}}, true, 2},
		{[]Cond{{Tag: "name", Value: "untagged", Contains: true}}, true, 1},
		{[]Cond{{Tag: "albumartist", Value: "The Band"}}, false, 1},
		{[]Cond{{Tag: "genre", Value: "Jazz"}}, false, 0},
		{nil, false, 5},
	} {
		got, err := f.lib.Where(ctx, x.conds, x.fold, 0, 0)
		if err != nil {
			t.Fatalf("%+v: %v", x.conds, err)
		}
		want := naive(x.conds, x.fold)
		if !slices.Equal(paths(got), want) || len(got) != x.n {
			t.Errorf("%+v fold %v: %q, want %q (%d)", x.conds, x.fold, paths(got), want, x.n)
		}
	}
	// Paged: the pages are the whole answer's, in order.
	p1, _ := f.lib.Where(ctx, []Cond{{Tag: "artist", Value: "beyonce"}}, true, 0, 2)
	p2, _ := f.lib.Where(ctx, []Cond{{Tag: "artist", Value: "beyonce"}}, true, 2, 2)
	whole, _ := f.lib.Where(ctx, []Cond{{Tag: "artist", Value: "beyonce"}}, true, 0, 0)
	if !slices.Equal(append(paths(p1), paths(p2)...), paths(whole)) || len(p1) != 2 || len(p2) != 1 {
		t.Errorf("pages %q + %q, whole %q", paths(p1), paths(p2), paths(whole))
	}
	if _, err := f.lib.Where(ctx, []Cond{{Tag: "path", Value: "x"}}, false, 0, 0); err == nil {
		t.Error("a condition on an unknown tag: no error")
	}
}
