package host

import (
	"context"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/mpeg"
	"github.com/pcplay/pcplay/player"
)

// Durations measured from the first bytes of the fake's streams (a ranged
// request over HTTP): the Xing/Info tag's frames, or the length at the
// bitrate when the stream's size is all there is.
func TestMeasureDurations(t *testing.T) {
	names := []string{"a128", "mono", "vbr", "tagged", "r48k"}
	var files []*pcloudtest.Node
	for _, n := range names {
		f := fixtures.Get(n)
		files = append(files, pcloudtest.AudioFile(f.File, map[int][]byte{64: f.Data()}, pcloudtest.Tags{}))
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "m@example.com", Password: "pw"}},
		Root:     pcloudtest.Dir("", pcloudtest.Dir("Music", files...)),
	})
	defer srv.Close()
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token("m@example.com"), TokenKind: api.TokenAuth})
	if err != nil {
		t.Fatal(err)
	}
	measure := measurer(player.LinksFromAPI(c))
	for _, n := range names {
		f := fixtures.Get(n)
		d, err := measure(context.Background(), srv.FileID("/Music/"+f.File))
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if want := time.Duration(f.Seconds) * time.Second; d < want-300*time.Millisecond || d > want+300*time.Millisecond {
			t.Errorf("%s: measured %v, want %v", n, d, want)
		}
	}
	streams := 0
	for _, r := range srv.Log() {
		if r.Params.Get("fileid") != "" && r.Method == "GET" {
			streams++
			if r.Params.Get("range") == "" {
				t.Errorf("a stream read without a range: %+v", r.Params)
			}
		}
	}
	if streams != len(names) {
		t.Errorf("%d stream requests for %d tracks", streams, len(names))
	}
}

// Without a tag, the size and the bitrate tell the length; with neither,
// an error.
func TestStreamDurationFromSize(t *testing.T) {
	f := fixtures.Get("a128").Data()
	// The first frames after the Info frame: what is left is the size.
	off, h, _ := mpeg.NextFrame(f, mpeg.ID3v2Size(f))
	head := f[off+h.FrameLen : off+h.FrameLen+measureBytes]
	if _, err := streamDuration([]byte("not an mp3 stream at all"), 1000); err == nil {
		t.Error("a stream with no frame has a duration")
	}
	d, err := streamDuration(head, int64(len(f)-off-h.FrameLen))
	if err != nil || d < 19*time.Second || d > 21*time.Second {
		t.Errorf("a128: %v, %v", d, err)
	}
}
