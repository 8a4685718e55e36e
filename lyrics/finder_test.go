package lyrics

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
)

// fakeLRCLIB answers /api/get and /api/search for one song.
func fakeLRCLIB(t *testing.T, calls *atomic.Int32) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("User-Agent") == "" {
			t.Error("no User-Agent")
		}
		q := r.URL.Query()
		hit := q.Get("artist_name") == "Band" && q.Get("track_name") == "Online Song"
		song := map[string]any{"trackName": "Online Song", "artistName": "Band", "duration": 200,
			"syncedLyrics": "[00:01.00]from the net", "plainLyrics": "from the net"}
		switch r.URL.Path {
		case "/api/get":
			if !hit || q.Get("duration") != "200" {
				http.Error(w, `{"code":404}`, 404)
				return
			}
			json.NewEncoder(w).Encode(song)
		case "/api/search":
			out := []any{}
			if hit {
				out = append(out, song)
			}
			json.NewEncoder(w).Encode(out)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func TestFinder(t *testing.T) {
	audio := fixtures.Get("a128").Data()
	tagged := pcloudtest.AudioFile("Tagged.mp3", map[int][]byte{128: audio}, pcloudtest.Tags{})
	tagged.Data = append(id3Tag(uslt("in the tag")), audio...)
	srv, c := world(t, pcloudtest.Dir("", pcloudtest.Dir("Album",
		pcloudtest.AudioFile("01 Song.mp3", map[int][]byte{128: audio}, pcloudtest.Tags{}),
		pcloudtest.TextFile("01 song.LRC", "\xEF\xBB\xBF[ar:Band]\r\n[00:01.00]first\r\n[00:03.50]second\r\n"),
		pcloudtest.AudioFile("02 Words.mp3", map[int][]byte{128: audio}, pcloudtest.Tags{}),
		pcloudtest.TextFile("02 Words.txt", "Some words\nMore words\n"),
		pcloudtest.AudioFile("03 Online.mp3", map[int][]byte{128: audio}, pcloudtest.Tags{}),
		tagged,
	)))
	var calls atomic.Int32
	lb := fakeLRCLIB(t, &calls)
	f := &Finder{Cloud: func() Cloud { return c }, Online: &LRCLIB{Root: lb.URL, UserAgent: "pcplay-test"}}
	folder := srv.FolderID("/Album")
	track := func(name string) Track {
		return Track{FileID: srv.FileID("/Album/" + name), FolderID: folder, FolderKnown: true, Name: name}
	}

	r := f.Find(ctx(t), track("01 Song.mp3"))
	if !r.Lyrics.Synced() || r.Lyrics.Source != "01 song.LRC in the track's folder" || r.Lyrics.Lines[1] != (Line{ms(3500), "second"}) {
		t.Fatalf("sidecar .lrc: %+v", r)
	}
	if r.Err != "" || r.Fetched != 0 {
		t.Errorf("sidecar: %+v", r)
	}
	r = f.Find(ctx(t), track("02 Words.mp3"))
	if r.Lyrics.Synced() || r.Lyrics.Plain != "Some words\nMore words" {
		t.Errorf("sidecar .txt: %+v", r.Lyrics)
	}
	r = f.Find(ctx(t), track("Tagged.mp3"))
	if r.Lyrics == nil || r.Lyrics.Plain != "in the tag" {
		t.Errorf("embedded: %+v", r)
	}

	// Nothing in pCloud: LRCLIB, with the tags' artist and title.
	on := track("03 Online.mp3")
	on.Artist, on.Title, on.Duration = "Band", "Online Song", 200*time.Second+300*time.Millisecond
	r = f.Find(ctx(t), on)
	if r.Lyrics == nil || r.Lyrics.Source != "LRCLIB" || r.Lyrics.Lines[0].Text != "from the net" {
		t.Fatalf("online: %+v", r)
	}
	if want := []string{"03 Online.lrc and 03 Online.txt in the track's folder", "the file's tags", "LRCLIB"}; !slices.Equal(r.Looked, want) {
		t.Errorf("looked in %q", r.Looked)
	}
	// Cached: no second call anywhere.
	n, logged := calls.Load(), len(srv.Log())
	if r2 := f.Find(ctx(t), on); r2.Lyrics != r.Lyrics || calls.Load() != n || len(srv.Log()) != logged {
		t.Errorf("not cached: %d calls, %d requests", calls.Load()-n, len(srv.Log())-logged)
	}

	// None anywhere: the places looked in; without tags LRCLIB is not asked.
	none := track("03 Online.mp3")
	none.Hash = 1
	r = f.Find(ctx(t), none)
	if r.Lyrics != nil || r.Err != "" || !strings.Contains(strings.Join(r.Looked, ", "), "not LRCLIB") {
		t.Errorf("none: %+v", r)
	}
	// pCloud unreachable: said, and not cached.
	srv.Down()
	down := track("01 Song.mp3")
	down.Hash = 2
	if r = f.Find(ctx(t), down); r.Err == "" || r.Lyrics != nil {
		t.Errorf("down: %+v", r)
	}
	srv.Up()
	if r = f.Find(ctx(t), down); r.Err != "" || r.Lyrics == nil {
		t.Errorf("up again: %+v", r)
	}
	// Folder unknown: the tags only.
	un := track("02 Words.mp3")
	un.FolderKnown, un.Hash = false, 3
	if r = f.Find(ctx(t), un); r.Lyrics != nil || !strings.HasPrefix(r.Looked[0], "not the track's folder") {
		t.Errorf("folder unknown: %+v", r)
	}
}
