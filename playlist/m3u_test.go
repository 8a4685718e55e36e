package playlist

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
)

// A pCloud playlist exported as m3u8 and imported back is the same list;
// paths are found from each file's folder.
func TestM3URoundTrip(t *testing.T) {
	w := newWorld(t, 0, false)
	c := w.client(t, api.TokenAuth)
	ctx := ctxT(t)
	paths := []string{"/Musik/東京 #1/曲, one.mp3", "/Musik/Björk/Homogenic/02 Jóga.mp3", "/Top level.mp3", "/Musik/Björk/Homogenic/01 Hunter.mp3"}
	pc := NewPCloud(c)
	p, _, err := pc.Create(ctx, "Ünicode ♫", w.tracks(t, paths...))
	if err != nil {
		t.Fatal(err)
	}
	tracks, err := pc.Open(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := NewAPIResolver(c)
	if missing, err := FillPaths(ctx, r, tracks); missing != 0 || err != nil {
		t.Fatalf("paths: %d missing, %v", missing, err)
	}
	var buf bytes.Buffer
	if n, err := WriteM3U(&buf, p.Name, tracks); n.Comments() != 0 || err != nil {
		t.Fatal(n, err)
	}
	out := buf.String()
	for _, want := range []string{"#EXTM3U\n#PLAYLIST:Ünicode ♫\n", "#EXTINF:-1,曲\n/Musik/東京 #1/曲, one.mp3\n", "#EXTINF:-1,Björk - Jóga\n", "#EXTINF:-1,Solo - Top level\n/Top level.mp3\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}

	// Back in, with a BOM, CRLF and lines that name nothing.
	in := "\ufeff" + strings.ReplaceAll(out, "\n", "\r\n") + "relative/x.mp3\nhttp://example.com/a.mp3\n/Musik/none.mp3\n/Nope/x.mp3\n/Musik/Björk\n"
	entries, name, err := ReadM3U(strings.NewReader(in))
	if err != nil || name != "Ünicode ♫" || len(entries) != 9 {
		t.Fatalf("read: %d entries, %q, %v", len(entries), name, err)
	}
	back, bad, err := Resolve(ctx, NewAPIResolver(c), entries)
	if err != nil {
		t.Fatal(err)
	}
	if !sameIDs(ids(back), ids(tracks)) {
		t.Errorf("imported %v, want %v", ids(back), ids(tracks))
	}
	for i, p := range paths {
		if back[i].Path != p {
			t.Errorf("track %d path %q, want %q", i, back[i].Path, p)
		}
	}
	if len(bad) != 5 {
		t.Fatalf("unresolved: %+v", bad)
	}
	for _, u := range bad {
		if u.Reason == "" || u.Line == 0 || strings.Contains(u.Reason, "\n") {
			t.Errorf("unresolved entry %+v", u)
		}
	}
	if bad[0].Line != 11 || !strings.Contains(bad[4].Reason, "folder") || !strings.Contains(bad[0].Reason, "must start with /") || !strings.Contains(bad[2].Reason, "no such file") || !strings.Contains(bad[3].Reason, "folder does not exist") {
		t.Errorf("reasons: %+v", bad)
	}
}

func TestReadM3UOddInput(t *testing.T) {
	entries, _, err := ReadM3U(strings.NewReader("#EXTM3U\n#EXTINF:-1\n/a.mp3\n\n\n/b\xff.mp3"))
	if err != nil || len(entries) != 2 || entries[1].Path != "/b\uFFFD.mp3" || entries[0].Title != "" {
		t.Errorf("%+v %v", entries, err)
	}
	if _, _, err := ReadM3U(strings.NewReader("/" + strings.Repeat("x", maxM3ULine+10))); err == nil || !strings.Contains(err.Error(), "not an m3u8") {
		t.Errorf("a huge line: %v", err)
	}
	var buf bytes.Buffer
	n, _ := WriteM3U(&buf, "a\nb", []Track{{FileID: 1, Name: "lost.mp3"}, {FileID: 2, Name: "x.mp3", Path: "/x.mp3"}})
	if n.Unknown != 1 || n.Comments() != 1 || strings.Count(buf.String(), "\n") != 5 || !strings.Contains(buf.String(), "# path unknown: lost.mp3") {
		t.Errorf("%d missing:\n%s", n, buf.String())
	}
}

// An import asks pCloud once about a folder that does not exist, whatever
// the number of its lines, and not at all about the folders below it (an
// import of 100,000 lines under 1,000 missing folders made 100,000 calls).
func TestResolveAsksOnceAboutAMissingFolder(t *testing.T) {
	w := newWorld(t, 0, false)
	c := w.client(t, api.TokenAuth)
	var entries []Entry
	for i := range 50 {
		entries = append(entries, Entry{Path: fmt.Sprintf("/Gone/%d.mp3", i), Line: i + 1})
		entries = append(entries, Entry{Path: fmt.Sprintf("/Gone/Deeper/%d.mp3", i), Line: i + 1})
	}
	entries = append(entries, Entry{Path: "/Top level.mp3", Line: 101})
	before := len(w.srv.Calls("listfolder"))
	tracks, bad, err := Resolve(ctxT(t), NewAPIResolver(c), entries)
	if err != nil || len(tracks) != 1 || len(bad) != 100 {
		t.Fatalf("%d tracks, %d unresolved, %v", len(tracks), len(bad), err)
	}
	if n := len(w.srv.Calls("listfolder")) - before; n != 2 {
		t.Errorf("%d listfolder calls, want 2 (/Gone once, / once)", n)
	}
}

// A path with a line break can't be an m3u8 entry: it is written as a
// comment that says so (the break shown as ␤), not as another file's path
// (a space in its place made the import fail), and a path with other
// unusual characters is written exactly.
func TestWriteM3UKeepsPathsExact(t *testing.T) {
	var buf bytes.Buffer
	n, err := WriteM3U(&buf, "", []Track{
		{FileID: 1, Name: "two\nlines.mp3", Path: "/A/two\nlines.mp3"},
		{FileID: 2, Name: "tab\there.mp3", Path: "/A/tab\there #1, ü.mp3"},
	})
	if err != nil || n.Unwritable != 1 || n.Unknown != 0 {
		t.Fatalf("%+v %v", n, err)
	}
	out := buf.String()
	if !strings.Contains(out, "# path with a line break, not an entry: /A/two␤lines.mp3\n") || !strings.Contains(out, "\n/A/tab\there #1, ü.mp3\n") {
		t.Errorf("wrote:\n%q", out)
	}
	entries, _, err := ReadM3U(strings.NewReader(out))
	if err != nil || len(entries) != 1 || entries[0].Path != "/A/tab\there #1, ü.mp3" {
		t.Errorf("read back %+v %v", entries, err)
	}
}

// A known duration is written in #EXTINF (whole seconds); -1 only when
// unknown.
func TestM3UWritesKnownDurations(t *testing.T) {
	var buf bytes.Buffer
	tracks := []Track{
		{FileID: 1, Name: "a.mp3", Path: "/a.mp3", Title: "A", Duration: 182600 * time.Millisecond},
		{FileID: 2, Name: "b.mp3", Path: "/b.mp3", Title: "B"},
		{FileID: 3, Name: "c.mp3", Path: "/c.mp3", Title: "C", Duration: 300 * time.Millisecond},
	}
	if _, err := WriteM3U(&buf, "", tracks); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "#EXTM3U\n#EXTINF:183,A\n/a.mp3\n#EXTINF:-1,B\n/b.mp3\n#EXTINF:1,C\n/c.mp3\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	// The queue's durations reach a playlist made of it.
	if d := FromQueue(tracks[0].Queued()).Duration; d != tracks[0].Duration {
		t.Errorf("through the queue: %v", d)
	}
}
