package lyrics

import (
	"context"
	"slices"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
)

// The lyrics frames of an ID3v2 tag on a real mp3, read through the fake
// pCloud with ranged reads: SYLT wins over USLT; the tag's header comes
// first, then the rest of the tag, never the audio.
func TestEmbeddedID3(t *testing.T) {
	audio := fixtures.Get("a128").Data()
	synced := []Line{{ms(500), "Hello, it's me"}, {ms(2500), "Ça va ?"}, {ms(4000), "日本語の歌詞"}}
	both := append(id3Tag(uslt("Plain words\nSecond line"), apic(100<<10), sylt(synced)), audio...)
	onlyUSLT := append(id3Tag(uslt("Just text\n\nMore text")), audio...)
	lrcInUSLT := append(id3Tag(uslt("[00:01.00]one\n[00:02.00]two")), audio...)
	none := append(id3Tag(frame("TIT2", []byte("\x03Title"))), audio...)
	file := func(name string, data []byte) *pcloudtest.Node {
		n := pcloudtest.AudioFile(name, map[int][]byte{128: audio}, pcloudtest.Tags{})
		n.Data = data
		return n
	}
	srv, c := world(t, pcloudtest.Dir("", pcloudtest.Dir("M",
		file("both.mp3", both), file("uslt.mp3", onlyUSLT), file("lrc.mp3", lrcInUSLT),
		file("none.mp3", none), file("plain.mp3", audio))))

	read := func(name string) (*Lyrics, int64, error) {
		l, err := c.FileLink(ctx(t), srv.FileID("/M/"+name))
		if err != nil {
			t.Fatal(err)
		}
		return Embedded(ctx(t), func(ctx context.Context, off, n int64) ([]byte, int64, error) {
			return c.ReadRange(ctx, l, off, n)
		})
	}

	srv.ResetLog()
	l, fetched, err := read("both.mp3")
	if err != nil || !l.Synced() || !slices.Equal(l.Lines, synced) || l.Source != "the file's ID3 tag (SYLT)" {
		t.Fatalf("SYLT: %+v %v", l, err)
	}
	tagLen := int64(len(both) - len(audio))
	if fetched != tagLen {
		t.Errorf("fetched %d bytes, the tag is %d (file %d)", fetched, tagLen, len(both))
	}
	var reads []string
	for _, r := range srv.Log() {
		if r.Method == "GET" && r.Params.Get("fileid") != "" {
			reads = append(reads, r.Params.Get("range"))
		}
	}
	if want := []string{"bytes=0-16383", "bytes=16384-" + itoa(tagLen-1)}; !slices.Equal(reads, want) {
		t.Errorf("reads %q, want %q", reads, want)
	}
	t.Logf("tag read: %d of %d bytes (%.1f%% of the file)", fetched, len(both), 100*float64(fetched)/float64(len(both)))

	l, _, err = read("uslt.mp3")
	if err != nil || l.Synced() || l.Plain != "Just text\n\nMore text" || l.Source != "the file's ID3 tag (USLT)" {
		t.Errorf("USLT: %+v %v", l, err)
	}
	l, _, err = read("lrc.mp3")
	if err != nil || !slices.Equal(l.Lines, []Line{{ms(1000), "one"}, {ms(2000), "two"}}) {
		t.Errorf("LRC in USLT: %+v %v", l, err)
	}
	if l, _, err = read("none.mp3"); err != nil || l != nil {
		t.Errorf("a tag without lyrics: %+v %v", l, err)
	}
	if l, fetched, err = read("plain.mp3"); err != ErrNoTag || l != nil || fetched != 16<<10 {
		t.Errorf("no tag: %+v %d %v", l, fetched, err)
	}
}

func itoa(n int64) string { return fmtInt(n) }

// SYLT entries that start with a line break begin lines; the others are
// syllables of the line; stamps in MPEG frames count 1152 samples at
// 44.1 kHz.
func TestParseSYLT(t *testing.T) {
	b := sylt([]Line{{0, "\nHel"}, {ms(300), "lo"}, {ms(600), " world"}, {ms(2000), "\nBye"}})[1]
	l := parseSYLT(b)
	if want := []Line{{0, "Hello world"}, {ms(2000), "Bye"}}; !slices.Equal(l.Lines, want) {
		t.Errorf("syllables: %q, want %q", l.Lines, want)
	}
	b = sylt([]Line{{ms(100), "one"}})[1]
	b[4] = 1 // MPEG frames: 100 frames
	if l := parseSYLT(b); len(l.Lines) != 1 || l.Lines[0].At != 100*mpegFrame {
		t.Errorf("frames: %v", l.Lines)
	}
	for _, bad := range [][]byte{nil, {1}, {3, 'e', 'n', 'g', 2, 1, 'x'}, {1, 'e', 'n', 'g', 2, 1, 0xFF}} {
		_ = parseSYLT(bad) // no panic
	}
}
