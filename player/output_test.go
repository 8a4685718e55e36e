package player

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
)

func TestWAVOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.wav")
	w, err := NewWAV(path, rate)
	if err != nil {
		t.Fatal(err)
	}
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack {
			return &fakeTrack{rate: rate, total: rate / 2, val: func(int) float64 { return 0.5 }}
		},
	}}
	p := newTestPlayer(t, lib, w)
	p.PlayNow(tracks(1))
	poll.Until(t, "the track to end", func() bool { return len(lib.openedIDs()) == 1 && p.Status().State == Stopped })
	// Readable before Close: the sizes are kept current.
	check := func(when string) int {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
			t.Fatalf("%s: not a WAV header", when)
		}
		data := int(binary.LittleEndian.Uint32(b[40:]))
		if data != len(b)-44 || int(binary.LittleEndian.Uint32(b[4:])) != len(b)-8 {
			t.Fatalf("%s: header sizes %d/%d for a %d-byte file", when, data, binary.LittleEndian.Uint32(b[4:]), len(b))
		}
		loud := 0
		for i := 44; i+4 <= len(b); i += 4 {
			if int16(binary.LittleEndian.Uint16(b[i:])) == 16384 {
				loud++
			}
		}
		return loud
	}
	check("while open")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if loud := check("after Close"); loud != rate/2 {
		t.Errorf("%d samples at 0.5, want %d", loud, rate/2)
	}
	if _, err := NewWAV(filepath.Join(t.TempDir(), "no", "such", "dir.wav"), rate); err == nil {
		t.Error("NewWAV into a missing directory: no error")
	}
}

func TestNullOutputPullsInRealTime(t *testing.T) {
	o := NewNull(rate)
	c := &countStreamer{}
	if err := o.Start(c); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "pulling", func() bool { return c.n.Load() > 0 })
	o.SetPaused(true)
	n := c.n.Load()
	time.Sleep(200 * time.Millisecond) // a window to watch, not a wait for something
	// A pull under way when SetPaused returned may still land: one 20 ms chunk.
	if d := c.n.Load() - n; d > rate/50 {
		t.Errorf("null output pulled %d samples while paused", d)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
}

// --output FILE.wav never truncates through a planted link (it truncated
// the link's target).
func TestWAVOutputRefusesALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "victim")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "out.wav")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if o, err := NewWAV(link, 44100); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		if o != nil {
			o.Close()
		}
		t.Fatalf("a WAV through a link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the link's target holds %q", b)
	}
}
