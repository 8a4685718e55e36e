package host

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/art"
	"github.com/pcplay/pcplay/internal/filetag"
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
	// The thumbnail, and the mp3's first bytes (4: the whole file here),
	// where an ID3 tag with a picture would be.
	if cv.Fetched() != int64(len(b))+4 {
		t.Errorf("Fetched = %d, want %d", cv.Fetched(), len(b)+4)
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

// id3WithPicture is an ID3v2.3 tag holding pic as its front cover (APIC).
func id3WithPicture(pic []byte) []byte {
	body := append([]byte{0}, "image/png\x00"...)
	body = append(body, 3, 0) // front cover, empty description
	body = append(body, pic...)
	frame := append([]byte("APIC"), byte(len(body)>>24), byte(len(body)>>16), byte(len(body)>>8), byte(len(body)), 0, 0)
	frame = append(frame, body...)
	n := len(frame)
	tag := []byte{'I', 'D', '3', 3, 0, 0, byte(n >> 21 & 0x7f), byte(n >> 14 & 0x7f), byte(n >> 7 & 0x7f), byte(n & 0x7f)}
	return append(tag, frame...)
}

// The picture in the file's tag, read with ranged requests (the first
// 16 KiB, then the rest of the tag alone: never the audio), scaled to the size asked;
// it comes before the folder's image.
func TestCoverFromTheTag(t *testing.T) {
	pic := solidPNG(t, color.RGBA{0, 255, 0, 255}, 200)
	tagged := append(id3WithPicture(pic), bytes.Repeat([]byte{0xff, 0xfb, 0x90, 0x64}, 20000)...)
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "c@example.com", Password: "pw"}},
		Root: pcloudtest.Dir("", pcloudtest.Dir("Album",
			pcloudtest.AudioFile("01.mp3", map[int][]byte{128: tagged}, pcloudtest.Tags{}),
			pcloudtest.ImageFile("cover.png", solidPNG(t, color.RGBA{255, 0, 0, 255}, 64)),
		)),
	})
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token("c@example.com"), TokenKind: api.TokenAuth})
	if err != nil {
		t.Fatal(err)
	}
	cv := NewCovers(func() CoverAPI { return c }, t.TempDir())
	b, err := cv.Cover(context.Background(), srv.FileID("/Album/01.mp3"), 64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := art.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if r, g, _, _ := img.At(32, 32).RGBA(); img.Bounds().Dx() != 64 || g>>8 < 200 || r>>8 > 60 {
		t.Errorf("cover %v at %v, want the tag's green picture, 64 wide", img.At(32, 32), img.Bounds())
	}
	var ranges []string
	for _, r := range srv.Calls("/") {
		if rg := r.Params.Get("range"); rg != "" {
			ranges = append(ranges, rg)
		}
	}
	// The first read is the tag's header and, here, the whole tag
	// (filetag.HeadBytes); the audio after is never read.
	tagLen := len(id3WithPicture(pic))
	if tagLen > filetag.HeadBytes {
		t.Fatalf("the test's tag (%d bytes) should fit the first read", tagLen)
	}
	if len(ranges) != 1 || ranges[0] != "bytes=0-"+strconv.Itoa(filetag.HeadBytes-1) {
		t.Errorf("ranges %v, want the first %d bytes alone", ranges, filetag.HeadBytes)
	}
	if got := cv.Fetched(); got != filetag.HeadBytes {
		t.Errorf("Fetched = %d, want %d (never the audio: %d bytes)", got, filetag.HeadBytes, len(tagged))
	}
	if n := len(srv.Calls("getthumblink")); n != 0 {
		t.Errorf("getthumblink called %d times", n)
	}
	t.Logf("figure: %d bytes read for the embedded cover of a %d-byte file", cv.Fetched(), len(tagged))
}
