package library

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

func queryFixture(t *testing.T) *fixture {
	tg := pcloudtest.Tags{}
	f := newFixture(t, pcloudtest.Dir("",
		pcloudtest.Dir("Music",
			pcloudtest.Dir("Beyoncé", pcloudtest.Dir("I Am... Sasha Fierce",
				tagged("03 Halo.mp3", pcloudtest.Tags{Artist: "Beyoncé", Album: "I Am... Sasha Fierce", Title: "Halo", TrackNo: 3}),
				tagged("01 If I Were a Boy.mp3", pcloudtest.Tags{Artist: "Beyoncé", Album: "I Am... Sasha Fierce", Title: "If I Were a Boy", TrackNo: 1}))),
			pcloudtest.Dir("The Beatles", pcloudtest.Dir("Abbey Road",
				pcloudtest.Dir("Disc 2", tagged("01 Here Comes the Sun.mp3", tg)),
				pcloudtest.Dir("Disc 1", tagged("10 Come Together.mp3", tg), tagged("2 Something.mp3", tg))),
				pcloudtest.Dir("Help!", tagged("Help.mp3", tg))),
			pcloudtest.Dir("Compilations", pcloudtest.Dir("Halo Hits",
				tagged("01 - Zoé - Love.mp3", tg), tagged("02 - Björk - Human Behaviour.mp3", tg))),
			pcloudtest.Dir("Sigur Rós - Takk", tagged("01 - Takk.flac", tg), tagged("02 - Glósóli.flac", tg)),
		),
		pcloudtest.Dir("Docs", pcloudtest.OtherFile("halo.pdf", 4, 10))))
	f.scan(t)
	return f
}

// TestSearchWholeWordAmongMany: "u2" among 700 tracks whose words only
// begin with "u2": the track holding the word whole comes first, however
// many only begin with it (the candidates are bounded; the whole words
// are read first).
func TestSearchWholeWordAmongMany(t *testing.T) {
	var many []*pcloudtest.Node
	for i := range 700 { // more than the candidates, before and after this change
		many = append(many, tagged(fmt.Sprintf("%03d.mp3", i), pcloudtest.Tags{Artist: "U2K Ensemble", Album: "U2000", Title: fmt.Sprintf("Track %d", i)}))
	}
	f := newFixture(t, pcloudtest.Dir("", pcloudtest.Dir("Music",
		pcloudtest.Dir("Many", many...),
		pcloudtest.Dir("U2", tagged("One.mp3", pcloudtest.Tags{Artist: "U2", Album: "Achtung Baby", Title: "One"})))))
	f.scan(t)
	for _, q := range []string{"u2", "U2 one", "one u"} {
		got, err := f.lib.Search(context.Background(), q, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || got[0].Title != "One" {
			t.Errorf("Search(%q): %d tracks, first %q; want One by U2 first", q, len(got), titles(got[:min(3, len(got))]))
		}
		if q == "u2" && len(got) != SearchResults {
			t.Errorf("Search(u2): %d tracks, want %d", len(got), SearchResults)
		}
	}
}

func TestQueries(t *testing.T) {
	f := queryFixture(t)
	ctx := context.Background()
	as, err := f.lib.Artists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Artist{{"The Beatles", 2, 4}, {"Beyoncé", 1, 2}, {"Sigur Rós", 1, 2}, {VariousArtists, 1, 2}}
	if !reflect.DeepEqual(as, want) {
		t.Fatalf("artists:\n got %+v\nwant %+v", as, want)
	}
	albums, _ := f.lib.Albums(ctx, "The Beatles")
	if !reflect.DeepEqual(albums, []Album{{"Abbey Road", "The Beatles", 3}, {"Help!", "The Beatles", 1}}) {
		t.Fatalf("albums of the Beatles: %+v", albums)
	}
	all, _ := f.lib.Albums(ctx, "")
	if len(all) != 5 || all[0].Name != "Abbey Road" || all[1].Name != "Halo Hits" || all[1].Artist != VariousArtists {
		t.Fatalf("all albums: %+v", all)
	}
	tr, _ := f.lib.AlbumTracks(ctx, albums[0])
	if got := titles(tr); !reflect.DeepEqual(got, []string{"Something", "Come Together", "Here Comes the Sun"}) {
		t.Fatalf("Abbey Road in order: %q", got)
	}
	songs, _ := f.lib.Songs(ctx, 0, 0)
	if len(songs) != 10 || songs[0].Artist != "The Beatles" && songs[0].Artist != "Beyoncé" {
		t.Fatalf("songs: %q", titles(songs))
	}
	page, _ := f.lib.Songs(ctx, 2, 3)
	if !reflect.DeepEqual(titles(page), titles(songs[2:5])) {
		t.Fatalf("songs page %q vs %q", titles(page), titles(songs[2:5]))
	}
	// Durations: kept by id and hash, shown in the track.
	h := songs[0]
	if err := f.lib.SetDuration(ctx, h.FileID, h.Hash, 3*time.Minute+5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.SetDuration(ctx, songs[1].FileID, h.Hash^1, time.Minute); err != nil {
		t.Fatal(err)
	}
	got, _, _ := f.lib.Track(ctx, h.FileID)
	other, _, _ := f.lib.Track(ctx, songs[1].FileID)
	if got.Duration != 3*time.Minute+5*time.Second || other.Duration != 0 {
		t.Fatalf("durations %v %v", got.Duration, other.Duration)
	}
	// A rescan keeps it.
	if err := f.lib.Rescan(ctx, f.c, ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := f.lib.Track(ctx, h.FileID); got.Duration != 3*time.Minute+5*time.Second {
		t.Fatalf("duration after rescan %v", got.Duration)
	}
}

func TestSearch(t *testing.T) {
	f := queryFixture(t)
	ctx := context.Background()
	cases := []struct {
		q    string
		want []string // the first results, in order
		n    int      // all results
	}{
		{"beyonce halo", []string{"Halo"}, 1},                    // diacritics folded
		{"HALO beyoncé", []string{"Halo"}, 1},                    // any order, case
		{"bey", nil, 2},                                          // a prefix
		{"halo", []string{"Halo", "Human Behaviour", "Love"}, 3}, // the title weighs more than the album
		{"glosoli", []string{"Glósóli"}, 1},
		{"come", []string{"Come Together", "Here Comes the Sun"}, 2},
		{"sigur takk", []string{"Takk"}, 2},
		{"b", nil, 7},
		{"  ", nil, 0},
		{`"; DROP TABLE tracks --`, nil, 0}, // quotes and operators are words, never syntax
		{"nothing matches this", nil, 0},
	}
	for _, c := range cases {
		got, err := f.lib.Search(ctx, c.q, 50)
		if err != nil {
			t.Fatalf("Search(%q): %v", c.q, err)
		}
		if len(got) != c.n || len(got) < len(c.want) || !reflect.DeepEqual(titles(got)[:len(c.want)], c.want) && c.want != nil {
			t.Errorf("Search(%q) = %q, want %q first of %d", c.q, titles(got), c.want, c.n)
		}
	}
	if n, _ := f.lib.Count(ctx); n != 10 {
		t.Fatalf("%d tracks after searches", n)
	}
}
