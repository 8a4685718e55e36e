package pcloudtest

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/pcplay/pcplay/internal/fixtures"
)

// bigTree: 50 artists × 10 albums × 12 tracks = 6000 audio files.
func bigTree(data []byte) *Node {
	var artists []*Node
	for a := 0; a < 50; a++ {
		var albums []*Node
		for b := 0; b < 10; b++ {
			var tracks []*Node
			for c := 0; c < 12; c++ {
				tracks = append(tracks, AudioFile(fmt.Sprintf("%02d Track.mp3", c+1), map[int][]byte{128: data},
					Tags{Artist: fmt.Sprintf("Artist %d", a), Album: fmt.Sprintf("Album %d", b), Title: fmt.Sprintf("Track %d", c), TrackNo: c + 1}))
			}
			albums = append(albums, Dir(fmt.Sprintf("Album %d", b), tracks...))
		}
		artists = append(artists, Dir(fmt.Sprintf("Artist %d", a), albums...))
	}
	return Dir("", Dir("Music", artists...))
}

func BenchmarkListfolderRecursive6000(b *testing.B) {
	s := NewServer(Options{Root: bigTree(frames(10, 128)), Accounts: []Account{{Email: alice, Password: alicePW}}})
	defer s.Close()
	u := s.URL() + "/listfolder?" + vals("auth", s.Token(alice), "folderid", "0", "recursive", "1").Encode()
	var n int64
	for b.Loop() {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		n, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	b.ReportMetric(float64(n), "bytes/answer")
}

func BenchmarkGetaudiolink(b *testing.B) {
	s := NewServer(Options{Root: testTree(), Accounts: []Account{{Email: alice, Password: alicePW}}})
	defer s.Close()
	u := s.URL() + "/getaudiolink?" + vals("auth", s.Token(alice), "fileid", "1000").Encode()
	for b.Loop() {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkStream serves a whole 20 s 128 kbit/s fixture, from the start and
// from start=10 (frame scan cached after the first request).
func BenchmarkStream(b *testing.B) {
	data := fixtures.Get("a128").Data()
	s := NewServer(Options{Root: Dir("", AudioFile("a.mp3", map[int][]byte{128: data}, Tags{})), Accounts: []Account{{Email: alice, Password: alicePW}}})
	defer s.Close()
	c := &call{s: s, region: "us", p: vals("auth", s.Token(alice), "fileid", "1000"), extra: vals()}
	c.r, _ = http.NewRequest("GET", "/", nil)
	u := "http://" + s.Hosts()[0] + c.getlink(true)["path"].(string)
	for _, start := range []int{0, 10} {
		b.Run("start="+strconv.Itoa(start), func(b *testing.B) {
			var n int64
			for b.Loop() {
				resp, err := http.Get(u + "?start=" + strconv.Itoa(start))
				if err != nil {
					b.Fatal(err)
				}
				n, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			b.SetBytes(n)
		})
	}
}
