package demo

import (
	"math"
	"strconv"
	"testing"
	"unicode/utf16"

	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/mpeg"
)

func TestLibraryShape(t *testing.T) {
	tracks := Tracks()
	if len(tracks) != 6 {
		t.Fatalf("%d tracks", len(tracks))
	}
	total := 0
	seen := map[string]bool{}
	folders := map[string]bool{}
	for _, tr := range tracks {
		total += len(tr.Data)
		p := tr.Folder + "/" + tr.File
		if seen[p] {
			t.Errorf("%s twice", p)
		}
		seen[p] = true
		folders[tr.Folder] = true
		if tr.Title == "" || tr.Artist == "" || tr.Genre == "" {
			t.Errorf("%s: missing tags %+v", p, tr)
		}
	}
	if total > 450_000 {
		t.Errorf("demo audio is %d bytes, over 450 KB", total)
	}
	if !folders[""] || len(folders) < 3 {
		t.Errorf("folders %v: want a loose track and at least two albums", folders)
	}
	a, b := Tracks(), Tracks()
	a[0].Data[0] ^= 0xFF
	if a[0].Data[0] == b[0].Data[0] {
		t.Error("Tracks must return fresh data")
	}
}

// id3String decodes an ID3v2.3 text frame body: ISO-8859-1 (0) or UTF-16
// with a BOM (1), which is what lame writes.
func id3String(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	var rs []rune
	switch b[0] {
	case 0:
		for _, c := range b[1:] {
			rs = append(rs, rune(c))
		}
	case 1:
		b = b[1:]
		if len(b) < 2 {
			return ""
		}
		le := b[0] == 0xFF && b[1] == 0xFE
		var u []uint16
		for i := 2; i+1 < len(b); i += 2 {
			if le {
				u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
			} else {
				u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
			}
		}
		rs = utf16.Decode(u)
	}
	for len(rs) > 0 && rs[len(rs)-1] == 0 {
		rs = rs[:len(rs)-1]
	}
	return string(rs)
}

// id3Text reads the text frames of an ID3v2.3 tag.
func id3Text(t *testing.T, b []byte) map[string]string {
	t.Helper()
	n := mpeg.ID3v2Size(b)
	if n == 0 || b[3] != 3 {
		t.Fatalf("no ID3v2.3 tag")
	}
	out := map[string]string{}
	for p := 10; p+10 <= n; {
		id := string(b[p : p+4])
		size := int(b[p+4])<<24 | int(b[p+5])<<16 | int(b[p+6])<<8 | int(b[p+7])
		if id[0] == 0 || size <= 0 || p+10+size > n {
			break
		}
		body := b[p+10 : p+10+size]
		if id[0] == 'T' {
			out[id] = id3String(body)
		}
		p += 10 + size
	}
	return out
}

func TestTagsMatchTable(t *testing.T) {
	for _, tr := range Tracks() {
		tags := id3Text(t, tr.Data)
		want := map[string]string{"TIT2": tr.Title, "TPE1": tr.Artist, "TALB": tr.Album}
		if tr.TrackNo > 0 {
			want["TRCK"] = strconv.Itoa(tr.TrackNo)
		}
		for k, v := range want {
			if tags[k] != v {
				t.Errorf("%s: %s = %q, want %q (all: %v)", tr.File, k, tags[k], v, tags)
			}
		}
	}
}

func TestAudioIsPleasantEnough(t *testing.T) {
	t.Parallel()
	// go-mp3 is slow under -race: the tracks are decoded in parallel.
	for _, tr := range Tracks() {
		t.Run(tr.File, func(t *testing.T) {
			t.Parallel()
			s := mpeg.Scan(tr.Data)
			if len(s.Frames) == 0 || s.Info == nil || !s.Info.VBR {
				t.Fatalf("%s: %d frames, info %+v", tr.File, len(s.Frames), s.Info)
			}
			h := s.Frames[0].Header
			if h.SampleRate != 22050 || h.Channels != 1 {
				t.Errorf("%s: %+v", tr.File, h)
			}
			if secs := s.Seconds(); int(secs) != tr.Seconds || secs < 20 || secs > 30 {
				t.Errorf("%s: %.2f s, table says %d", tr.File, secs, tr.Seconds)
			}
			data := tr.Data
			if decodeSeconds > 0 {
				data = data[:s.OffsetForSecond(decodeSeconds)]
			}
			pcm, rate, err := audiotest.DecodeMP3(data)
			if err != nil || rate != 22050 {
				t.Fatalf("%s: decode: %v, rate %d", tr.File, err, rate)
			}
			peak := 0.0
			for _, v := range pcm {
				peak = math.Max(peak, math.Abs(v))
			}
			// Normalised to -3 dBFS before encoding: loud enough, never clipping.
			if peak < 0.4 || peak > 0.95 {
				t.Errorf("%s: peak %.3f", tr.File, peak)
			}
			// Something plays from early on: no silent second after the fade-in.
			sec := rate
			for at := sec / 2; at+sec <= len(pcm)-3*sec; at += sec {
				if audiotest.Silent(pcm[at : at+sec]) {
					t.Errorf("%s: silent around %d s", tr.File, at/sec)
				}
			}
		})
	}
}
