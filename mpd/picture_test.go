package mpd_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/mpd"
)

// coverHost is the demo host whose one cover is pic, the cover of the
// file cover; it counts the covers asked for.
type coverHost struct {
	*host.Host
	cover uint64
	pic   []byte

	mu    sync.Mutex
	asked int
}

func (h *coverHost) Cover(_ context.Context, fileID uint64, px int) ([]byte, error) {
	h.mu.Lock()
	h.asked++
	h.mu.Unlock()
	if px <= 0 {
		return nil, fmt.Errorf("px %d", px)
	}
	if fileID == h.cover {
		return h.pic, nil
	}
	return nil, nil
}

func (h *coverHost) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.asked
}

// fakeJPEG is n bytes that DetectContentType takes for a JPEG, every
// byte telling its offset.
func fakeJPEG(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	copy(b, []byte{0xff, 0xd8, 0xff, 0xe0})
	return b
}

// binary reads one binary answer: its header lines, its data and the
// closing OK, raw.
func (c *conn) binary() (head string, data []byte) {
	c.t.Helper()
	n := -1
	for n < 0 {
		l := c.line()
		head += l + "\n"
		if strings.HasPrefix(l, "ACK ") || l == "OK" {
			return head, nil
		}
		if v, ok := strings.CutPrefix(l, "binary: "); ok {
			fmt.Sscan(v, &n)
		}
	}
	data = make([]byte, n)
	if _, err := io.ReadFull(c.r, data); err != nil {
		c.t.Fatal(err)
	}
	if end := c.line(); end != "" {
		c.t.Fatalf("after the data: %q, want the empty line", end)
	}
	if ok := c.line(); ok != "OK" {
		c.t.Fatalf("after the binary: %q, want OK", ok)
	}
	return head, data
}

// albumart and readpicture answer the cover in chunks of binarylimit
// bytes from the offset asked; the chunks after the first are cut from
// the picture found for the first; a song without a cover and a URI that
// is no file answer as MPD does.
func TestPictureChunks(t *testing.T) {
	pic := fakeJPEG(300)
	var ch *coverHost
	w := newWorldOn(t, mpd.Options{}, func(h *host.Host) mpd.Backend {
		ch = &coverHost{Host: h, pic: pic}
		return ch
	})
	c := w.dial()
	lt := c.do(`lsinfo "Demo Artist/First Album/01 Morning Pentatonic.mp3"`)
	var id uint64
	for _, tr := range mustTracks(t, w) {
		if tr.Path == "/Demo Artist/First Album/01 Morning Pentatonic.mp3" {
			id = tr.FileID
		}
	}
	if id == 0 {
		t.Fatalf("no file id for the song (lsinfo: %q)", lt)
	}
	ch.mu.Lock()
	ch.cover = id
	ch.mu.Unlock()

	if got := c.do("binarylimit 64"); got != "OK\n" {
		t.Fatalf("binarylimit 64: %q", got)
	}
	song := `"Demo Artist/First Album/01 Morning Pentatonic.mp3"`
	var got []byte
	for off := 0; ; {
		c.send(fmt.Sprintf("albumart %s %d", song, off))
		head, data := c.binary()
		want := min(64, len(pic)-off)
		if wh := fmt.Sprintf("size: %d\nbinary: %d\n", len(pic), want); head != wh {
			t.Fatalf("albumart at %d: head %q, want %q", off, head, wh)
		}
		got = append(got, data...)
		off += len(data)
		if off == len(pic) {
			break
		}
	}
	if !bytes.Equal(got, pic) {
		t.Errorf("albumart in chunks: the bytes differ from the cover")
	}
	if n := ch.count(); n != 1 {
		t.Errorf("the cover was found %d times for 5 chunks of one picture, want once", n)
	}

	// readpicture: the type too; the byte-exact answer of a middle chunk.
	c.send("readpicture " + song + " 0")
	if head, _ := c.binary(); head != "size: 300\ntype: image/jpeg\nbinary: 64\n" {
		t.Errorf("readpicture at 0: %q", head)
	}
	c.send("readpicture " + song + " 256")
	raw := make([]byte, len("size: 300\ntype: image/jpeg\nbinary: 44\n")+44+len("\nOK\n"))
	if _, err := io.ReadFull(c.r, raw); err != nil {
		t.Fatal(err)
	}
	want := append(append([]byte("size: 300\ntype: image/jpeg\nbinary: 44\n"), pic[256:]...), "\nOK\n"...)
	if !bytes.Equal(raw, want) {
		t.Errorf("readpicture at 256:\n got %q\nwant %q", raw, want)
	}

	for _, x := range []struct{ send, want string }{
		{"albumart " + song + " 301", "ACK [2@0] {albumart} Bad file offset\n"},
		{"albumart " + song + " x", "ACK [2@0] {albumart} Integer expected: x\n"},
		{`albumart "Drift.mp3" 0`, "ACK [50@0] {albumart} No file exists\n"},
		{`readpicture "Drift.mp3" 0`, "OK\n"},
		{`albumart "Demo Artist/Nope.mp3" 0`, "ACK [50@0] {albumart} No file exists\n"},
		{`albumart "Demo Artist" 0`, "ACK [50@0] {albumart} No file exists\n"},
		{"binarylimit 10", "ACK [2@0] {binarylimit} Value too small\n"},
	} {
		if got := c.do(x.send); got != x.want {
			t.Errorf("%q:\n got %q\nwant %q", x.send, got, x.want)
		}
	}
	// The default limit is MPD's 8192: a picture under it comes whole.
	c2 := w.dial()
	c2.send("albumart " + song + " 0")
	if head, data := c2.binary(); head != "size: 300\nbinary: 300\n" || !bytes.Equal(data, pic) {
		t.Errorf("albumart with the default limit: %q, %d bytes", head, len(data))
	}
}

// mustTracks is the demo library's songs.
func mustTracks(t *testing.T, w *world) []library.Track {
	t.Helper()
	ts, err := w.h.Library().Songs(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}
