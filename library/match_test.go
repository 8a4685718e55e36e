package library

import (
	"context"
	"fmt"
	"os"
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

// BenchmarkWhere: a filter's conditions run by Where against the whole
// index read page by page and tested in Go (what MPD's find and search
// did), on $LIBBENCH_TRACKS (default 10000) generated tracks.
func BenchmarkWhere(b *testing.B) {
	n := 10000
	if v := os.Getenv("LIBBENCH_TRACKS"); v != "" {
		fmt.Sscan(v, &n)
	}
	t := &testing.T{}
	f := newFixture(t, pcloudtest.Generate(pcloudtest.GenOptions{Tracks: n, Seed: 1}))
	defer f.srv.Close()
	ctx := context.Background()
	if err := f.lib.Scan(ctx, f.c, ScanOptions{}); err != nil {
		b.Fatal(err)
	}
	some, err := f.lib.Songs(ctx, n/2, 1)
	if err != nil || len(some) == 0 {
		b.Fatal(err)
	}
	artist := some[0].Artist
	for _, x := range []struct {
		name  string
		conds []Cond
		fold  bool
	}{
		{"find artist", []Cond{{Tag: "artist", Value: artist}}, false},
		{"search title contains", []Cond{{Tag: "title", Value: "night", Contains: true}}, true},
	} {
		var want int
		b.Run(x.name+"/whole index", func(b *testing.B) {
			for b.Loop() {
				want = 0
				for off := 0; ; off += 10000 {
					ts, err := f.lib.Songs(ctx, off, 10000)
					if err != nil {
						b.Fatal(err)
					}
					for _, tr := range ts {
						s, v := tr.Artist, x.conds[0].Value
						if x.conds[0].Tag == "title" {
							s = tr.Title
						}
						if x.fold {
							s, v = order.Fold(s), order.Fold(v)
						}
						if x.conds[0].Contains && strings.Contains(s, v) || !x.conds[0].Contains && s == v {
							want++
						}
					}
					if len(ts) < 10000 {
						break
					}
				}
			}
		})
		b.Run(x.name+"/where", func(b *testing.B) {
			for b.Loop() {
				ts, err := f.lib.Where(ctx, x.conds, x.fold, 0, 0)
				if err != nil {
					b.Fatal(err)
				}
				if len(ts) != want {
					b.Fatalf("where: %d tracks, the whole index %d", len(ts), want)
				}
			}
		})
	}
}
