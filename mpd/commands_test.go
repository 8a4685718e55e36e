package mpd_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/mpd"
)

func TestQueue(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	c := w.dial()
	v0 := c.ok("status")["playlist"]
	c.ok("add \"Demo Artist/First Album\"")
	a := c.do("playlistinfo")
	files := values(a, "file")
	want := []string{"Demo Artist/First Album/01 Morning Pentatonic.mp3", "Demo Artist/First Album/02 Slow Pad.mp3", "Demo Artist/First Album/03 Bass and Lead.mp3"}
	if !slices.Equal(files, want) {
		t.Fatalf("playlistinfo files %q, want %q", files, want)
	}
	if got := values(a, "Pos"); !slices.Equal(got, []string{"0", "1", "2"}) {
		t.Errorf("Pos %v", got)
	}
	if got := values(a, "Title"); got[1] != "Slow Pad" || values(a, "AlbumArtist")[0] != "Demo Artist" || values(a, "Album")[0] != "First Album" {
		t.Errorf("tags: titles %v, album artists %v", got, values(a, "AlbumArtist"))
	}
	ids := values(a, "Id")
	st := c.ok("status")
	if st["playlistlength"] != "3" || st["playlist"] == v0 {
		t.Errorf("status after add: length %s, version %s (was %s)", st["playlistlength"], st["playlist"], v0)
	}

	// addid with a position: the new entry's id, where asked.
	id := c.ok("addid Drift.mp3 1")["Id"]
	if slices.Contains(ids, id) || id == "" {
		t.Fatalf("addid gave id %q, the queue had %v", id, ids)
	}
	a = c.do("playlistinfo 1")
	if f := fields(a); f["file"] != "Drift.mp3" || f["Id"] != id || f["Pos"] != "1" {
		t.Errorf("playlistinfo 1 after addid Drift.mp3 1: %q", a)
	}
	// moveid, then the ids follow their entries.
	c.ok("moveid " + id + " 3")
	if got := values(c.do("playlistinfo"), "Id"); !slices.Equal(got, []string{ids[0], ids[1], ids[2], id}) {
		t.Errorf("ids after moveid %s 3: %v", id, got)
	}
	// plchanges: nothing since now, everything since before.
	ver := c.ok("status")["playlist"]
	if got := c.do("plchanges " + ver); got != "OK\n" {
		t.Errorf("plchanges of the current version: %q", got)
	}
	if got := values(c.do("plchangesposid 0"), "cpos"); len(got) != 4 {
		t.Errorf("plchangesposid 0: %v", got)
	}
	// Only what changed since: an entry appended; then two swapped.
	c.ok("add Drift.mp3")
	if got := values(c.do("plchangesposid "+ver), "cpos"); !slices.Equal(got, []string{"4"}) {
		t.Errorf("plchangesposid after an add: %v, want [4]", got)
	}
	ver2 := c.ok("status")["playlist"]
	c.ok("swap 1 2")
	if got := values(c.do("plchanges "+ver2), "Pos"); !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("plchanges after swap 1 2: %v, want [1 2]", got)
	}
	c.ok("delete 4")
	// delete a range, deleteid.
	c.ok("delete 0:2")
	c.ok("deleteid " + id)
	if got := values(c.do("playlistinfo"), "Id"); !slices.Equal(got, []string{ids[1]}) { // swapped with ids[2] above
		t.Errorf("after delete 0:2 and deleteid: %v, want [%s]", got, ids[1])
	}
	if got := c.do("deleteid " + id); got != "ACK [50@0] {deleteid} No such song\n" {
		t.Errorf("deleteid of a gone id: %q", got)
	}
	if got := c.do("delete 5"); got != "ACK [2@0] {delete} Bad song index\n" {
		t.Errorf("delete 5: %q", got)
	}
	if got := c.do("add \"No Such Folder\""); !strings.HasPrefix(got, "ACK [50@0] {add}") {
		t.Errorf("add of nothing: %q", got)
	}
	c.ok("clear")
	if st := c.ok("status"); st["playlistlength"] != "0" || st["state"] != "stop" {
		t.Errorf("after clear: %v", st)
	}
}

func TestPlayback(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	c := w.dial()
	c.ok("add \"The Sine Waves\"")
	c.ok("play 1")
	poll.Until(t, "playing", func() bool { return c.ok("status")["state"] == "play" })
	cur := c.ok("currentsong")
	if cur["Title"] != "Evening Waltz" || cur["Pos"] != "1" {
		t.Errorf("currentsong: %v", cur)
	}
	st := c.ok("status")
	for _, k := range []string{"song", "songid", "elapsed", "time", "bitrate", "audio", "volume", "repeat", "random", "single", "consume", "playlist"} {
		if st[k] == "" {
			t.Errorf("status has no %s: %v", k, st)
		}
	}
	if st["audio"] != "44100:16:2" || st["bitrate"] != "128" || st["song"] != "1" {
		t.Errorf("status: %v", st)
	}
	c.ok("pause 1")
	if s := c.ok("status")["state"]; s != "pause" {
		t.Errorf("after pause 1: %s", s)
	}
	c.ok("setvol 40")
	if v := w.h.Status().Volume; v != 40 {
		t.Errorf("the host's volume after setvol 40: %d", v)
	}
	c.ok("volume -5")
	if v := c.ok("getvol")["volume"]; v != "35" {
		t.Errorf("volume -5 from 40: %s", v)
	}
	c.ok("random 1")
	c.ok("repeat 1")
	c.ok("single 1")
	if st := w.h.Status(); !st.Shuffle || st.Repeat.String() != "one" {
		t.Errorf("random 1, repeat 1, single 1: shuffle %v repeat %v", st.Shuffle, st.Repeat)
	}
	c.ok("repeat 0")
	if got := c.do("single 1"); !strings.HasPrefix(got, "ACK [52@0] {single}") {
		t.Errorf("single 1 without repeat: %q", got)
	}
	c.ok("previous") // pcplay's prev: the track's start, or the one before
	c.ok("playid " + values(c.do("playlistinfo"), "Id")[0])
	if p := c.ok("status")["song"]; p != "0" {
		t.Errorf("after playid of the first: song %s", p)
	}
	c.ok("stop")
	if s := c.ok("status")["state"]; s != "stop" {
		t.Errorf("after stop: %s", s)
	}
}

func TestLibrary(t *testing.T) {
	w := newWorld(t, mpd.Options{ListCap: 4})
	c := w.dial()
	a := c.do("lsinfo")
	if d := values(a, "directory"); !slices.Equal(d, []string{"Demo Artist", "The Sine Waves"}) || values(a, "file")[0] != "Drift.mp3" {
		t.Errorf("lsinfo of the top: %q", a)
	}
	a = c.do("lsinfo \"Demo Artist/First Album\"")
	if f := values(a, "file"); len(f) != 3 || values(a, "Last-Modified") == nil || values(a, "Title")[0] != "Morning Pentatonic" {
		t.Errorf("lsinfo of an album: %q", a)
	}
	c.ok("save Top")
	if got := values(c.do("lsinfo"), "playlist"); !slices.Contains(got, "Top") {
		t.Errorf("the stored playlists in lsinfo of the top: %v", got)
	}
	if got := c.do("lsinfo Nowhere"); got != "ACK [50@0] {lsinfo} No such directory\n" {
		t.Errorf("lsinfo Nowhere: %q", got)
	}
	if f := values(c.do("search title pad"), "file"); !slices.Equal(f, []string{"Demo Artist/First Album/02 Slow Pad.mp3"}) {
		t.Errorf("search title pad: %v", f)
	}
	if f := values(c.do("find title pad"), "file"); f != nil {
		t.Errorf("find title pad (exact): %v", f)
	}
	if f := values(c.do(`find "((artist == 'Demo Artist') AND (album == 'First Album'))"`), "file"); len(f) != 3 {
		t.Errorf("find with an expression: %v", f)
	}
	if f := values(c.do(`search "(!(artist contains 'demo'))" sort -title`), "Title"); !slices.Equal(f, []string{"Music Box", "Evening Waltz", "Drift"}) {
		t.Errorf("search (!(artist contains 'demo')) sort -title: %v", f)
	}
	if got := c.do(`find "(artist == 'x'"`); !strings.HasPrefix(got, "ACK [2@0] {find}") {
		t.Errorf("a bad expression: %q", got)
	}
	if c := fields(c.do("count artist \"Demo Artist\"")); c["songs"] != "3" {
		t.Errorf("count: %v", c)
	}
	a = c.do("list album group albumartist")
	if got := strings.Split(strings.TrimSpace(a), "\n"); !slices.Equal(got, []string{
		"AlbumArtist: Demo Artist", "Album: First Album", "AlbumArtist: Loose Tones", "Album: Unknown Album", "AlbumArtist: The Sine Waves", "Album: Music Box Sessions", "OK"}) {
		t.Errorf("list album group albumartist: %q", a)
	}
	if got := values(c.do("list artist"), "Artist"); !slices.Equal(got, []string{"Demo Artist", "Loose Tones", "The Sine Waves"}) {
		t.Errorf("list artist: %v", got)
	}
	// Bounded: 6 songs over a cap of 4.
	if got := c.do("listall"); !strings.Contains(got, "ACK [52@0] {listall} more than 4 songs") {
		t.Errorf("listall over the cap: %q", got)
	}
	if got := values(c.do("listallinfo \"The Sine Waves\""), "file"); len(got) != 2 {
		t.Errorf("listallinfo of a folder: %v", got)
	}
	c.ok("findadd artist \"The Sine Waves\"")
	if n := c.ok("status")["playlistlength"]; n != "2" {
		t.Errorf("findadd: queue of %s", n)
	}
	if s := c.ok("stats"); s["songs"] != "6" || s["albums"] != "3" || s["artists"] != "3" {
		t.Errorf("stats: %v", s)
	}
	c.ok("update")
	poll.Until(t, "the rescan done", func() bool {
		st, _ := w.h.LibraryState()
		return st.Complete && !st.Scanning
	})
}

func TestStoredPlaylists(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	c := w.dial()
	c.ok("add \"The Sine Waves\"")
	c.ok("save Evening")
	if got := c.do("save Evening"); got != "ACK [56@0] {save} Playlist already exists\n" {
		t.Errorf("save twice: %q", got)
	}
	if got := values(c.do("listplaylists"), "playlist"); !slices.Contains(got, "Evening") {
		t.Fatalf("listplaylists: %v", got)
	}
	if got := values(c.do("listplaylist Evening"), "file"); len(got) != 2 || got[0] != "The Sine Waves/Music Box Sessions/01 Music Box.mp3" {
		t.Errorf("listplaylist: %v", got)
	}
	c.ok("playlistadd Evening Drift.mp3")
	c.ok("playlistmove Evening 2 0")
	if got := values(c.do("listplaylistinfo Evening"), "Title"); !slices.Equal(got, []string{"Drift", "Music Box", "Evening Waltz"}) {
		t.Errorf("after playlistadd and playlistmove: %v", got)
	}
	c.ok("playlistdelete Evening 1")
	c.ok("rename Evening Night")
	c.ok("clear")
	c.ok("load Night")
	if got := values(c.do("playlistinfo"), "Title"); !slices.Equal(got, []string{"Drift", "Evening Waltz"}) {
		t.Errorf("load after playlistdelete: %v", got)
	}
	c.ok("rm Night")
	if got := c.do("listplaylist Night"); got != "ACK [50@0] {listplaylist} No such playlist\n" {
		t.Errorf("listplaylist after rm: %q", got)
	}
}
