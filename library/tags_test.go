package library

import (
	"strings"
	"testing"

	"github.com/pcplay/pcplay/internal/order"
	"github.com/pcplay/pcplay/player"
)

func TestInfer(t *testing.T) {
	cases := []struct {
		path string
		tags Tags
		want Info
	}{
		{"/Music/Beyoncé/Lemonade/01 Pray You Catch Me.mp3", Tags{},
			Info{Artist: "Beyoncé", Album: "Lemonade", Title: "Pray You Catch Me", TrackNo: 1, Disc: 1, AlbumDir: "/Music/Beyoncé/Lemonade"}},
		{"/Music/Sigur Rós - Ágætis byrjun/03 - Svefn-g-englar.flac", Tags{},
			Info{Artist: "Sigur Rós", Album: "Ágætis byrjun", Title: "Svefn-g-englar", TrackNo: 3, Disc: 1, AlbumDir: "/Music/Sigur Rós - Ágætis byrjun"}},
		{"/Music/Björk/Homogenic/Disc 2/04. Jóga.mp3", Tags{},
			Info{Artist: "Björk", Album: "Homogenic", Title: "Jóga", TrackNo: 4, Disc: 2, AlbumDir: "/Music/Björk/Homogenic"}},
		{"/Music/宇多田ヒカル/First Love/CD2/7 Time will tell.mp3", Tags{},
			Info{Artist: "宇多田ヒカル", Album: "First Love", Title: "Time will tell", TrackNo: 7, Disc: 2, AlbumDir: "/Music/宇多田ヒカル/First Love"}},
		{"/Music/Compilations/Summer Hits/12 - Мумий Тролль - Владивосток 2000.mp3", Tags{},
			Info{Artist: "Мумий Тролль", Album: "Summer Hits", Title: "Владивосток 2000", TrackNo: 12, Disc: 1, AlbumDir: "/Music/Compilations/Summer Hits"}},
		{"/Music/Miles Davis/1959 - Kind of Blue/1-02 Freddie Freeloader.mp3", Tags{},
			Info{Artist: "Miles Davis", Album: "Kind of Blue", Title: "Freddie Freeloader", TrackNo: 2, Disc: 1, AlbumDir: "/Music/Miles Davis/1959 - Kind of Blue"}},
		{"/Music/Radiohead/(1997) OK Computer/2-05 Let Down.mp3", Tags{},
			Info{Artist: "Radiohead", Album: "OK Computer", Title: "Let Down", TrackNo: 5, Disc: 2, AlbumDir: "/Music/Radiohead/(1997) OK Computer"}},
		{"/loose.mp3", Tags{}, Info{Artist: UnknownArtist, Album: UnknownAlbum, Title: "loose", Disc: 1, AlbumDir: ""}},
		{"/Music/Nina Simone - Feeling Good.mp3", Tags{},
			Info{Artist: "Nina Simone", Album: "Music", Title: "Feeling Good", Disc: 1, AlbumDir: "/Music"}},
		// Tags win over the path; a track number from the tags wins.
		{"/Music/x/y/05 whatever.mp3", Tags{Artist: "Zoé", Album: "Reptilectric", Title: "Nada", Genre: "Rock", TrackNo: 9},
			Info{Artist: "Zoé", Album: "Reptilectric", Title: "Nada", Genre: "Rock", TrackNo: 9, Disc: 1, AlbumDir: "/Music/x/y"}},
		{"/Music/Daft Punk/Discovery/One More Time.mp3", Tags{Title: "One More Time"},
			Info{Artist: "Daft Punk", Album: "Discovery", Title: "One More Time", Disc: 1, AlbumDir: "/Music/Daft Punk/Discovery"}},
		// A name that is only a number stays the title.
		{"/Music/A/B/1999.mp3", Tags{}, Info{Artist: "A", Album: "B", Title: "1999", Disc: 1, AlbumDir: "/Music/A/B"}},
	}
	for _, c := range cases {
		if got := Infer(c.path, c.tags); got != c.want {
			t.Errorf("Infer(%q):\n got %+v\nwant %+v", c.path, got, c.want)
		}
	}
}

func TestFoldAndKeys(t *testing.T) {
	for in, want := range map[string]string{"Beyoncé": "beyonce", "  Sigur   Rós ": "sigur ros", "Straße": "strasse", "Mötley Crüe": "motley crue", "ＡＢＣ": "abc", "Øre": "ore"} {
		if got := order.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if sortKey("The Beatles") != "beatles" || sortKey("The") != "the" {
		t.Error("sortKey and a leading The")
	}
	if !(order.Key("2 x") < order.Key("10 x")) || !(order.Key("track 9") < order.Key("Track 10")) {
		t.Error("name key order")
	}
	if !(sortKey("The 2 Bears") < sortKey("10cc")) || !(sortKey("10cc") < sortKey("ABBA")) {
		t.Error("artists: numbers by value, before letters, a leading The ignored")
	}
}

// The library folder is never a tag: with ["/Music"], the folders from
// "/Music" down are artist and album ("Music" was the artist of
// "/Music/Big Folder/…").
func TestInferIn(t *testing.T) {
	cases := []struct {
		root, path string
		want       Info
	}{
		{"/Music", "/Music/Big Folder/01 x.mp3",
			Info{Artist: UnknownArtist, Album: "Big Folder", Title: "x", TrackNo: 1, Disc: 1, AlbumDir: "/Music/Big Folder"}},
		{"/Music", "/Music/Björk/Homogenic/Disc 2/04. Jóga.mp3",
			Info{Artist: "Björk", Album: "Homogenic", Title: "Jóga", TrackNo: 4, Disc: 2, AlbumDir: "/Music/Björk/Homogenic"}},
		{"/Music", "/Music/loose.mp3",
			Info{Artist: UnknownArtist, Album: UnknownAlbum, Title: "loose", Disc: 1, AlbumDir: "/Music"}},
		{"/Media/Music", "/Media/Music/Nina Simone - Feeling Good.mp3",
			Info{Artist: "Nina Simone", Album: UnknownAlbum, Title: "Feeling Good", Disc: 1, AlbumDir: "/Media/Music"}},
		// The whole account, or a path outside the root: as Infer.
		{"/", "/Music/Big Folder/01 x.mp3",
			Info{Artist: "Music", Album: "Big Folder", Title: "x", TrackNo: 1, Disc: 1, AlbumDir: "/Music/Big Folder"}},
		{"/Mus", "/Music/Big Folder/01 x.mp3",
			Info{Artist: "Music", Album: "Big Folder", Title: "x", TrackNo: 1, Disc: 1, AlbumDir: "/Music/Big Folder"}},
	}
	for _, c := range cases {
		if got := InferIn(c.root, c.path, Tags{}); got != c.want {
			t.Errorf("InferIn(%q, %q):\n got %+v\nwant %+v", c.root, c.path, got, c.want)
		}
	}
}

// An untagged track has one label: the queue's (a file queued from the
// Folders view) reads its name as the Songs view titles it (the queue
// showed "01 Pray You Catch Me.mp3" where Songs showed "Pray You Catch Me").
func TestOneLabelForAnUntaggedTrack(t *testing.T) {
	for name, want := range map[string]string{
		"01 Pray You Catch Me.mp3":                 "Pray You Catch Me",
		"1-02 Freddie Freeloader.flac":             "Freddie Freeloader",
		"12 - Мумий Тролль - Владивосток 2000.mp3": "Мумий Тролль – Владивосток 2000",
		"1999.mp3":  "1999",
		"loose.mp3": "loose",
	} {
		in := Infer("/Music/Some Album/"+name, Tags{})
		if got := (player.Track{Name: name}).Label(); got != want || !strings.HasSuffix(got, in.Title) {
			t.Errorf("%q: the queue labels it %q, the library titles it %q; want %q", name, got, in.Title, want)
		}
	}
}
