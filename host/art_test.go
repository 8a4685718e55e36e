package host

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/art"
)

func solidPNG(t *testing.T, c color.RGBA, size int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func coverWorld(t *testing.T) (*pcloudtest.Server, *api.Client) {
	t.Helper()
	song := []byte{0xff, 0xfb, 0x90, 0x64}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "c@example.com", Password: "pw"}},
		Root: pcloudtest.Dir("",
			pcloudtest.Dir("Album",
				pcloudtest.AudioFile("01.mp3", map[int][]byte{128: song}, pcloudtest.Tags{}),
				pcloudtest.ImageFile("Folder.JPG", solidPNG(t, color.RGBA{0, 0, 255, 255}, 64)),
				pcloudtest.ImageFile("COVER.png", solidPNG(t, color.RGBA{255, 0, 0, 255}, 300)),
				pcloudtest.ImageFile("cover.txt.png", solidPNG(t, color.RGBA{0, 255, 0, 255}, 64)),
			),
			pcloudtest.Dir("Bare", pcloudtest.AudioFile("02.mp3", map[int][]byte{128: song}, pcloudtest.Tags{})),
			pcloudtest.ImageFile("photo.png", solidPNG(t, color.RGBA{0, 255, 0, 255}, 64)),
		),
	})
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token("c@example.com"), TokenKind: api.TokenAuth})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// The folder's cover image comes through getthumblink at the size asked,
// once: the second time it is read from the disk cache.
func TestCoverFromTheFolder(t *testing.T) {
	srv, c := coverWorld(t)
	dir := t.TempDir()
	cv := NewCovers(func() CoverAPI { return c }, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id := srv.FileID("/Album/01.mp3")
	b, err := cv.Cover(ctx, id, 64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := art.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 64 {
		t.Errorf("cover is %v, want 64 pixels wide", img.Bounds())
	}
	if r, g, bl, _ := img.At(32, 32).RGBA(); r>>8 < 200 || g>>8 > 60 || bl>>8 > 60 {
		t.Errorf("cover is %v, want the red COVER.png", img.At(32, 32))
	}
	calls := srv.Calls("getthumblink")
	if len(calls) != 1 || calls[0].Params.Get("fileid") == "" || calls[0].Params.Get("size") != "64x64" {
		t.Fatalf("getthumblink calls %v", calls)
	}
	if cv.Fetched() != int64(len(b)) {
		t.Errorf("Fetched = %d, want %d", cv.Fetched(), len(b))
	}
	again, err := cv.Cover(ctx, id, 64)
	if err != nil || !bytes.Equal(again, b) {
		t.Fatalf("second Cover: %v", err)
	}
	if n := len(srv.Calls("getthumblink")); n != 1 {
		t.Errorf("getthumblink called %d times, want once (the cache)", n)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("cache holds %d files", len(ents))
	}
}

// A track whose metadata has thumb gets pCloud's thumbnail of itself.
func TestCoverOfAThumbFile(t *testing.T) {
	srv, c := coverWorld(t)
	cv := NewCovers(func() CoverAPI { return c }, "-")
	b, err := cv.Cover(context.Background(), srv.FileID("/photo.png"), 32)
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls("getthumblink")
	if len(calls) != 1 || calls[0].Params.Get("size") != "32x32" {
		t.Errorf("calls %v", calls)
	}
	if _, err := art.Decode(b); err != nil {
		t.Error(err)
	}
}

func TestNoCover(t *testing.T) {
	srv, c := coverWorld(t)
	cv := NewCovers(func() CoverAPI { return c }, t.TempDir())
	id := srv.FileID("/Bare/02.mp3")
	for range 2 {
		if _, err := cv.Cover(context.Background(), id, 32); !errors.Is(err, ErrNoCover) {
			t.Fatalf("Cover = %v, want ErrNoCover", err)
		}
	}
	if n := len(srv.Calls("listfolder")); n != 1 {
		t.Errorf("listfolder %d times: a track without a cover is remembered", n)
	}
}

func TestFolderCoverNames(t *testing.T) {
	f := func(names ...string) []*api.Metadata {
		var out []*api.Metadata
		for _, n := range names {
			out = append(out, &api.Metadata{Name: n})
		}
		return out
	}
	for _, c := range []struct {
		names []string
		want  string
	}{
		{[]string{"a.mp3", "Album.webp", "Front.JPEG"}, "Front.JPEG"},
		{[]string{"folder.gif", "cover.bmp", "album.PNG"}, "album.PNG"},
		{[]string{"mycover.jpg", "cover"}, ""},
		{nil, ""},
	} {
		got := FolderCover(f(c.names...))
		if (got == nil) != (c.want == "") || got != nil && got.Name != c.want {
			t.Errorf("FolderCover(%v) = %v, want %q", c.names, got, c.want)
		}
	}
}

// The cache is trimmed to its cap, the least recently used first.
func TestCoverCacheCap(t *testing.T) {
	dir := t.TempDir()
	cv := NewCovers(func() CoverAPI { return nil }, dir)
	cv.cap = 250
	now := time.Unix(1e9, 0)
	cv.now = func() time.Time { return now }
	for _, k := range []string{"a", "b", "c"} {
		cv.store(k, make([]byte, 100))
		_ = os.Chtimes(dir+"/"+k, now, now)
		now = now.Add(time.Minute)
	}
	if cv.cached("a") != nil {
		t.Error("the oldest cover is still cached")
	}
	if cv.cached("b") == nil || cv.cached("c") == nil {
		t.Error("the newer covers were dropped")
	}
}
