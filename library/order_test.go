package library

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/order"
)

func orderFixture(t *testing.T) (*fixture, *pcloudtest.Node) {
	tg := pcloudtest.Tags{}
	root := pcloudtest.Dir("",
		pcloudtest.Dir("A",
			tagged("10 Ten.mp3", tg), tagged("2 Two.mp3", tg), tagged("250.mp3", tg), tagged("025.mp3", tg),
			pcloudtest.Dir("Very Long", tagged("x.mp3", tg)),
			pcloudtest.Dir("Ñandú", tagged("x.mp3", tg)),
			pcloudtest.Dir("b2", tagged("1 One.mp3", tg)),
			pcloudtest.Dir("B", tagged("9.mp3", tg), pcloudtest.Dir("10", tagged("a.mp3", tg)), pcloudtest.Dir("9", tagged("b.mp3", tg))),
		),
		pcloudtest.Dir("A0", tagged("outside.mp3", tg)))
	f := newFixture(t, root)
	f.scan(t)
	return f, root
}

// browsed is the paths of a pCloud tree's audio files in the order the
// Folders view shows them, walked the plain way: in each folder its
// folders, then its files, each by [order.Compare].
func browsed(n *pcloudtest.Node, dir string) []string {
	kids := slices.Clone(n.Children)
	slices.SortStableFunc(kids, func(a, b *pcloudtest.Node) int {
		if a.Folder != b.Folder {
			if a.Folder {
				return -1
			}
			return 1
		}
		return order.Compare(a.Name, b.Name)
	})
	var out []string
	for _, k := range kids {
		if k.Folder {
			out = append(out, browsed(k, dir+"/"+k.Name)...)
		} else {
			out = append(out, dir+"/"+k.Name)
		}
	}
	return out
}

func paths(ts []Track) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Path
	}
	return out
}

func TestTracksUnderBrowsingOrder(t *testing.T) {
	f, root := orderFixture(t)
	ts, err := f.lib.TracksUnder(context.Background(), "/A")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/A/B/9/b.mp3", "/A/B/10/a.mp3", "/A/B/9.mp3", "/A/b2/1 One.mp3", "/A/Ñandú/x.mp3", "/A/Very Long/x.mp3",
		"/A/2 Two.mp3", "/A/10 Ten.mp3", "/A/025.mp3", "/A/250.mp3",
	}
	if got := paths(ts); !reflect.DeepEqual(got, want) {
		t.Fatalf("TracksUnder(/A):\n got %q\nwant %q", got, want)
	}
	for _, dir := range []string{"/", "", "/A/", "/A/B"} {
		ts, err := f.lib.TracksUnder(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		n, prefix := root, ""
		for _, name := range strings.FieldsFunc(dir, func(r rune) bool { return r == '/' }) {
			n, prefix = child(n, name), prefix+"/"+name
		}
		if got, want := paths(ts), browsed(n, prefix); !reflect.DeepEqual(got, want) {
			t.Errorf("TracksUnder(%q):\n got %q\nwant %q (as browsed)", dir, got, want)
		}
	}
}

func child(n *pcloudtest.Node, name string) *pcloudtest.Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestNamesInOneOrder: artists, albums and an album's tracks are in
// [order.Compare]'s order (a leading "The" ignored for artists), numbers by
// value.
func TestNamesInOneOrder(t *testing.T) {
	tag := func(name, artist, album string, no int) *pcloudtest.Node {
		return tagged(name, pcloudtest.Tags{Artist: artist, Album: album, Title: name, TrackNo: no})
	}
	f := newFixture(t, pcloudtest.Dir("",
		pcloudtest.Dir("x", tag("a.mp3", "10cc", "100 Songs", 0), tag("b.mp3", "10cc", "20 Songs", 0), tag("c.mp3", "10cc", "3 Songs", 0)),
		pcloudtest.Dir("y", tag("10 x.mp3", "The 2 Bears", "Be Strong", 0), tag("9 x.mp3", "The 2 Bears", "Be Strong", 0), tag("09 x.mp3", "The 2 Bears", "Be Strong", 0)),
		pcloudtest.Dir("z", tag("d.mp3", "Ñandú", "N", 0), tag("e.mp3", "Very Long", "V", 0))))
	f.scan(t)
	ctx := context.Background()
	as, _ := f.lib.Artists(ctx)
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	if want := []string{"The 2 Bears", "10cc", "Ñandú", "Very Long"}; !reflect.DeepEqual(names, want) {
		t.Errorf("artists %q, want %q", names, want)
	}
	albums, _ := f.lib.Albums(ctx, "10cc")
	names = nil
	for _, a := range albums {
		names = append(names, a.Name)
	}
	if want := []string{"3 Songs", "20 Songs", "100 Songs"}; !reflect.DeepEqual(names, want) {
		t.Errorf("albums %q, want %q", names, want)
	}
	tr, _ := f.lib.AlbumTracks(ctx, Album{Name: "Be Strong", Artist: "The 2 Bears"})
	if got, want := titles(tr), []string{"9 x.mp3", "09 x.mp3", "10 x.mp3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("album tracks %q, want %q", got, want)
	}
}

// TestKeysOfAnOlderIndex: an index whose sort keys an older pcplay wrote
// gets them worked out again when the writer opens it, keeping what it
// knew (no scan: the durations and the finished scan stay).
func TestKeysOfAnOlderIndex(t *testing.T) {
	f := queryFixture(t)
	ctx := context.Background()
	songs, _ := f.lib.Songs(ctx, 0, 0)
	if err := f.lib.SetDuration(ctx, songs[0].FileID, songs[0].Hash, time.Minute); err != nil {
		t.Fatal(err)
	}
	wantArtists, _ := f.lib.Artists(ctx)
	wantTracks, _ := f.lib.AlbumTracks(ctx, Album{Name: "Abbey Road", Artist: "The Beatles"})
	// As pcplay before internal/order left it: digit runs padded to ten
	// digits, no "keys" version.
	for _, q := range []string{
		`UPDATE tracks SET namekey = 'old ' || name, artistkey = 'old', albumkey = 'old'`,
		`UPDATE albums SET albumkey = 'old', aakey = 'old'`,
		`DELETE FROM meta WHERE key = 'keys'`,
	} {
		if _, err := f.lib.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	f.lib.Close()
	f.lib = f.open(t)
	var stale int
	if err := f.lib.db.QueryRowContext(ctx, `SELECT count(*) FROM tracks WHERE artistkey = 'old' OR namekey LIKE 'old %'`).Scan(&stale); err != nil || stale != 0 {
		t.Fatalf("%d tracks with old keys after Open (%v)", stale, err)
	}
	rows, err := f.lib.db.QueryContext(ctx, `SELECT name, artist, t.album, t.albumartist, namekey, artistkey, t.albumkey, a.albumkey, a.aakey
		FROM tracks t JOIN albums a ON a.albumdir = t.albumdir AND a.album = t.album`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, artist, album, aa, nk, ak, alk, alk2, aak string
		if err := rows.Scan(&name, &artist, &album, &aa, &nk, &ak, &alk, &alk2, &aak); err != nil {
			t.Fatal(err)
		}
		if nk != order.Key(name) || ak != sortKey(artist) || alk != sortKey(album) || alk2 != alk || aak != sortKey(aa) {
			t.Errorf("%s: keys %q %q %q %q %q", name, nk, ak, alk, alk2, aak)
		}
	}
	var indexes int
	if err := f.lib.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('tracks_albums', 'tracks_aa', 'tracks_songs')`).Scan(&indexes); err != nil || indexes != len(keyIndexes) {
		t.Errorf("%d of the %d indexes on the keys after Open (%v)", indexes, len(keyIndexes), err)
	}
	if v, _ := getMeta(ctx, f.lib.db, "keys"); v != keysVersion {
		t.Errorf("keys version %q, want %q", v, keysVersion)
	}
	if ok, _ := f.lib.Scanned(ctx); !ok {
		t.Error("the finished scan was forgotten")
	}
	if got, _, _ := f.lib.Track(ctx, songs[0].FileID); got.Duration != time.Minute {
		t.Errorf("duration %v was forgotten", got.Duration)
	}
	if got, _ := f.lib.Artists(ctx); !reflect.DeepEqual(got, wantArtists) {
		t.Errorf("artists %+v, want %+v", got, wantArtists)
	}
	if got, _ := f.lib.AlbumTracks(ctx, Album{Name: "Abbey Road", Artist: "The Beatles"}); !reflect.DeepEqual(titles(got), titles(wantTracks)) {
		t.Errorf("album tracks %q, want %q", titles(got), titles(wantTracks))
	}
}
