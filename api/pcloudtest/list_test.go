package pcloudtest

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

func TestIDsAssigned(t *testing.T) {
	root := testTree()
	s := NewServer(Options{Root: root})
	defer s.Close()
	want := map[string]uint64{"/": 0, "/Music": 1, "/Music/Album": 2, "/Docs": 3, "/Empty": 4}
	for p, id := range want {
		if got := s.FolderID(p); got != id {
			t.Errorf("FolderID(%s) = %d, want %d", p, got, id)
		}
	}
	files := map[string]uint64{"/Music/Album/01 One.mp3": 1000, "/Music/Album/02 Two.mp3": 1001, "/Music/Video.mp4": 1002, "/Docs/readme.pdf": 1003}
	for p, id := range files {
		if got := s.FileID(p); got != id {
			t.Errorf("FileID(%s) = %d, want %d", p, got, id)
		}
	}
	// The caller's nodes got their ids.
	album := root.Children[0].Children[0]
	if album.ID != 2 || album.ParentID != 1 || album.Children[1].ID != 1001 || album.Children[1].ParentID != 2 {
		t.Fatalf("caller's ids: album %d/%d, two %d/%d", album.ID, album.ParentID, album.Children[1].ID, album.Children[1].ParentID)
	}
	// A second server on the same tree (as parallel tests do) agrees.
	s2 := NewServer(Options{Root: root})
	defer s2.Close()
	if s2.FileID("/Docs/readme.pdf") != 1003 {
		t.Fatal("second server differs")
	}
	for _, bad := range []string{"/Nope", "/Music", "relative"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FileID(%q) did not panic", bad)
				}
			}()
			s.FileID(bad)
		}()
	}
}

func TestBadTreesPanic(t *testing.T) {
	for name, root := range map[string]*Node{
		"dup":      Dir("", OtherFile("a", 0, 1), OtherFile("a", 0, 1)),
		"slash":    Dir("", OtherFile("a/b", 0, 1)),
		"empty":    Dir("", OtherFile("", 0, 1)),
		"nilchild": Dir("", nil),
		"filerrot": OtherFile("x", 0, 1),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: NewServer did not panic", name)
				}
			}()
			NewServer(Options{Root: root}).Close()
		}()
	}
}

// wire mirrors the documented metadata JSON with strict types: hash must fit
// a uint64 (and would not fit an int64 for some files).
type wire struct {
	Name           string  `json:"name"`
	IsFolder       bool    `json:"isfolder"`
	FolderID       *uint64 `json:"folderid"`
	FileID         *uint64 `json:"fileid"`
	ParentFolderID *uint64 `json:"parentfolderid"`
	ID             string  `json:"id"`
	Icon           string  `json:"icon"`
	Category       int     `json:"category"`
	ContentType    string  `json:"contenttype"`
	Size           int64   `json:"size"`
	Hash           uint64  `json:"hash"`
	Created        any     `json:"created"`
	Modified       any     `json:"modified"`
	IsMine         *bool   `json:"ismine"`
	IsShared       *bool   `json:"isshared"`
	Thumb          *bool   `json:"thumb"`
	Artist         string  `json:"artist"`
	Album          string  `json:"album"`
	Title          string  `json:"title"`
	Genre          string  `json:"genre"`
	TrackNo        any     `json:"trackno"`
	Path           string  `json:"path"`
	Contents       []*wire `json:"contents"`
}

func listWire(t *testing.T, s *Server, params ...string) *wire {
	t.Helper()
	resp, err := client.Get(s.URL() + "/listfolder?" + vals(append([]string{"auth", s.Token(alice)}, params...)...).Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Result   int   `json:"result"`
		Metadata *wire `json:"metadata"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Result != 0 || out.Metadata == nil {
		t.Fatalf("listfolder result %d", out.Result)
	}
	return out.Metadata
}

func TestListfolderShape(t *testing.T) {
	s := newTestServer(t, nil)
	root := listWire(t, s, "folderid", "0")
	if root.Name != "/" || !root.IsFolder || root.FolderID == nil || *root.FolderID != 0 || root.ID != "d0" || root.ParentFolderID != nil {
		t.Fatalf("root: %+v", root)
	}
	if len(root.Contents) != 3 || root.Contents[0].Name != "Music" || root.Contents[0].Contents != nil {
		t.Fatalf("non-recursive root contents: %+v", root.Contents)
	}
	music := root.Contents[0]
	if *music.FolderID != 1 || *music.ParentFolderID != 0 || music.ID != "d1" || music.Icon != "folder" || music.FileID != nil {
		t.Fatalf("music: %+v", music)
	}
	if _, err := time.Parse(time.RFC1123Z, music.Created.(string)); err != nil {
		t.Fatalf("created %v: %v", music.Created, err)
	}

	rec := listWire(t, s, "folderid", "0", "recursive", "1")
	album := rec.Contents[0].Contents[0]
	if album.Name != "Album" || len(album.Contents) != 2 {
		t.Fatalf("recursive: %+v", album)
	}
	one, two := album.Contents[0], album.Contents[1]
	if one.IsFolder || one.FileID == nil || *one.FileID != 1000 || one.FolderID != nil || one.ID != "f1000" ||
		*one.ParentFolderID != 2 || one.Icon != "audio" || one.Category != 3 || one.ContentType != "audio/mpeg" ||
		one.Size != int64(len(frames(200, 320))) || one.IsMine == nil || !*one.IsMine || one.IsShared == nil || one.Thumb == nil {
		t.Fatalf("file: %+v", one)
	}
	if one.Artist != "Art" || one.Album != "Alb" || one.Title != "One" || one.Genre != "Rock" || one.TrackNo != float64(1) {
		t.Fatalf("tags: %+v", one)
	}
	if two.TrackNo != "2" || two.Artist != "" {
		t.Fatalf("string trackno: %#v", two.TrackNo)
	}
	big := 0
	var walk func(w *wire)
	walk = func(w *wire) {
		if !w.IsFolder && w.Hash > 1<<63 {
			big++
		}
		for _, c := range w.Contents {
			walk(c)
		}
	}
	walk(rec)
	if big == 0 {
		t.Fatal("no hash above 2^63")
	}
	video := rec.Contents[0].Contents[1]
	if video.Category != 2 || video.Icon != "video" || video.ContentType != "video/mp4" {
		t.Fatalf("video: %+v", video)
	}
	pdf := rec.Contents[1].Contents[0]
	if pdf.Category != 4 || pdf.Size != 5000 || pdf.Icon != "document" {
		t.Fatalf("pdf: %+v", pdf)
	}
	if rec.Contents[2].Contents == nil || len(rec.Contents[2].Contents) != 0 {
		t.Fatalf("empty folder contents must be []: %+v", rec.Contents[2])
	}

	// timeformat=timestamp.
	ts := listWire(t, s, "folderid", "1", "timeformat", "timestamp")
	if _, ok := ts.Created.(float64); !ok {
		t.Fatalf("created with timestamp: %#v", ts.Created)
	}
	// By path.
	p := listWire(t, s, "path", "/Music/Album")
	if p.Path != "/Music/Album" || *p.FolderID != 2 || len(p.Contents) != 2 {
		t.Fatalf("by path: %+v", p)
	}
	// nofiles.
	nf := listWire(t, s, "folderid", "1", "nofiles", "1")
	if len(nf.Contents) != 1 || nf.Contents[0].Name != "Album" {
		t.Fatalf("nofiles: %+v", nf.Contents)
	}
}

func TestListfolderErrors(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	for _, c := range []struct {
		params []string
		code   int
	}{
		{nil, 1002},
		{[]string{"folderid", ""}, 1002},
		{[]string{"folderid", "999"}, 2005},
		{[]string{"folderid", "1000"}, 2005}, // a fileid is no folderid
		{[]string{"folderid", "abc"}, 1017},
		{[]string{"folderid", "-1"}, 1017},
		{[]string{"path", "/Nope"}, 2005},
		{[]string{"path", "/Nope/deeper"}, 2002},
		{[]string{"path", "/Music/Video.mp4"}, 2005},
		{[]string{"path", "/Music/Video.mp4/x"}, 2002},
		{[]string{"path", "Music"}, 2010},
		{[]string{"path", "/Music/../Docs"}, 2010},
		{[]string{"path", "/"}, 0},
		{[]string{"path", "/Music/"}, 0},
		{[]string{"folderid", "4"}, 0},
	} {
		m := callAPI(t, s.URL(), "listfolder", vals(append([]string{"auth", tok}, c.params...)...))
		if got := result(m); got != c.code {
			t.Errorf("listfolder %v: %d (%s), want %d", c.params, got, str(m, "error"), c.code)
		}
	}
	// Empty root.
	e := NewServer(Options{Accounts: []Account{{Email: alice, Password: alicePW}}})
	defer e.Close()
	m := callAPI(t, e.URL(), "listfolder", vals("auth", e.Token(alice), "folderid", "0", "recursive", "1"))
	wantResult(t, m, 0)
	if c := m["metadata"].(map[string]any)["contents"].([]any); len(c) != 0 {
		t.Fatalf("empty root: %v", c)
	}
}

func TestGetaudiolink(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	one := strconv.FormatUint(s.FileID("/Music/Album/01 One.mp3"), 10)
	m := callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "fileid", one))
	wantResult(t, m, 0)
	hosts := m["hosts"].([]any)
	if len(hosts) < 2 || hosts[0] == hosts[1] || hosts[0] != s.Hosts()[0] || hosts[1] != s.Hosts()[1] {
		t.Fatalf("hosts %v vs %v", hosts, s.Hosts())
	}
	path := str(m, "path")
	if len(path) < 34 || path[0] != '/' || path[33:] != "/01 One.mp3" {
		t.Fatalf("path %q", path)
	}
	exp, err := time.Parse(time.RFC1123Z, str(m, "expires"))
	if err != nil || exp.Before(time.Now().Add(50*time.Minute)) {
		t.Fatalf("expires %q %v", str(m, "expires"), err)
	}
	m = callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "path", "/Music/Album/01 One.mp3", "timeformat", "timestamp"))
	wantResult(t, m, 0)
	if _, err := m["expires"].(json.Number).Int64(); err != nil {
		t.Fatalf("timestamp expires %v", m["expires"])
	}
	// Closest bitrate (320 and 128 held); out of range is clamped, junk is 192.
	for ask, want := range map[string]string{"320": "320", "300": "320", "128": "128", "200": "128", "16": "128",
		"0": "128", "-5": "128", "999": "320", "abc": "128", "": "128", "250": "320"} {
		s.ResetLog()
		p := vals("auth", tok, "fileid", one)
		if ask != "" {
			p.Set("abitrate", ask)
		}
		wantResult(t, callAPI(t, s.URL(), "getaudiolink", p), 0)
		c := s.Calls("getaudiolink")
		if len(c) != 1 || c[0].Params.Get("served") != want || c[0].Params.Get("abitrate") != ask {
			t.Errorf("abitrate %q: log %v, want served %s", ask, c, want)
		}
	}
	for _, c := range []struct {
		params []string
		code   int
	}{
		{nil, 1004},
		{[]string{"fileid", "4242"}, 2009},
		{[]string{"fileid", "1"}, 2009}, // a folderid
		{[]string{"fileid", "x"}, 1018},
		{[]string{"path", "/Music"}, 2009},
		{[]string{"path", "/Music/nope.mp3"}, 2009},
		{[]string{"path", "/Nope/nope.mp3"}, 2002},
		{[]string{"path", "nope.mp3"}, 2010},
		{[]string{"path", "/Docs/readme.pdf"}, 2009},
		{[]string{"fileid", one, "contenttype", "video/mp4"}, 1005},
		{[]string{"fileid", one, "contenttype", "audio/mpeg"}, 0},
		{[]string{"path", "/Music/Video.mp4"}, 0},
	} {
		m := callAPI(t, s.URL(), "getaudiolink", vals(append([]string{"auth", tok}, c.params...)...))
		if got := result(m); got != c.code {
			t.Errorf("getaudiolink %v: %d (%s), want %d", c.params, got, str(m, "error"), c.code)
		}
	}
}

func TestAccessDenied(t *testing.T) {
	secret := Dir("Secret", AudioFile("s.mp3", map[int][]byte{128: frames(10, 128)}, Tags{}))
	secret.AccessDenied = true
	locked := AudioFile("locked.mp3", map[int][]byte{128: frames(10, 128)}, Tags{})
	locked.AccessDenied = true
	s := newTestServer(t, func(o *Options) { o.Root = Dir("", secret, locked) })
	tok := s.Token(alice)
	m := callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0", "recursive", "1"))
	wantResult(t, m, 0)
	if n := len(m["metadata"].(map[string]any)["contents"].([]any)); n != 2 {
		t.Fatalf("root lists %d entries", n)
	}
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "path", "/Secret")), 2003)
	wantResult(t, callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "path", "/Secret/s.mp3")), 2003)
	wantResult(t, callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "path", "/locked.mp3")), 2003)
	wantResult(t, callAPI(t, s.URL(), "getfilelink", vals("auth", tok, "path", "/locked.mp3")), 2003)
}
