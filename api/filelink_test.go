package api

import (
	"bytes"
	"errors"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

func TestReadRange(t *testing.T) {
	lrc := "[00:01.00]one\n[00:02.00]two\n"
	tagged := append([]byte("ID3 pretend tag "), testAudio...)
	srv := newServer(t, func(o *pcloudtest.Options) {
		o.Root = pcloudtest.Dir("",
			pcloudtest.Dir("Music",
				pcloudtest.TextFile("Song.lrc", lrc),
				func() *pcloudtest.Node {
					n := pcloudtest.AudioFile("Song.mp3", map[int][]byte{128: testAudio}, pcloudtest.Tags{})
					n.Data = tagged
					return n
				}(),
			))
	})
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	ctx := ctxT(t)

	// The listing tells a text file's size; getfilelink serves its content.
	m, err := c.ListPath(ctx, "/Music", false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Contents[0].Name != "Song.lrc" || m.Contents[0].Size != int64(len(lrc)) {
		t.Fatalf("listing: %+v", m.Contents[0])
	}
	l, err := c.FileLink(ctx, srv.FileID("/Music/Song.lrc"))
	if err != nil {
		t.Fatal(err)
	}
	got, size, err := c.ReadRange(ctx, l, 0, 1<<20)
	if err != nil || string(got) != lrc || size != int64(len(lrc)) {
		t.Fatalf("whole: %q %d %v", got, size, err)
	}

	// The original of an audio file, in ranges; past the end, nothing.
	al, err := c.FileLink(ctx, srv.FileID("/Music/Song.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]int64{{0, 10}, {3, 7}, {int64(len(tagged)) - 4, 100}} {
		got, size, err := c.ReadRange(ctx, al, r[0], r[1])
		end := min(r[0]+r[1], int64(len(tagged)))
		if err != nil || !bytes.Equal(got, tagged[r[0]:end]) || size != int64(len(tagged)) {
			t.Errorf("range %v: %d bytes, size %d, %v", r, len(got), size, err)
		}
	}
	if got, size, err := c.ReadRange(ctx, al, int64(len(tagged))+5, 10); err != nil || len(got) != 0 || size != int64(len(tagged)) {
		t.Errorf("past the end: %d bytes, size %d, %v", len(got), size, err)
	}
	for _, r := range srv.Log() {
		if r.Params.Get("fileid") == "" || r.Method != "GET" {
			continue
		}
		if r.Params.Get("range") == "" {
			t.Errorf("a read without Range: %+v", r)
		}
	}

	// A host that ignores Range: still the asked bytes.
	srv.SetRefuseRange(true)
	if got, _, err := c.ReadRange(ctx, al, 3, 7); err != nil || !bytes.Equal(got, tagged[3:10]) {
		t.Errorf("range ignored: %q %v", got, err)
	}
	srv.SetRefuseRange(false)

	// The first host down: the next one.
	srv.SetHostDown(0, true)
	if got, _, err := c.ReadRange(ctx, al, 0, 3); err != nil || string(got) != "ID3" {
		t.Errorf("first host down: %q %v", got, err)
	}
	srv.SetHostDown(0, false)

	// An expired link says so.
	srv.ExpireAll()
	if _, _, err := c.ReadRange(ctx, al, 0, 3); !errors.Is(err, ErrLinkExpired) {
		t.Errorf("expired link: %v", err)
	}
	if _, _, err := c.ReadRange(ctx, al, 0, 0); err == nil {
		t.Error("a read of 0 bytes was taken")
	}
}
