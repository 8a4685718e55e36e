package ui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/lyrics"
	"github.com/pcplay/pcplay/player"
)

// fakeLyrics is a LyricsFeed whose state the test sets.
type fakeLyrics struct {
	mu    sync.Mutex
	st    lyrics.State
	next  chan struct{}
	wants int
}

func newFakeLyrics() *fakeLyrics { return &fakeLyrics{next: make(chan struct{})} }

func (f *fakeLyrics) LyricsState() (lyrics.State, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st, f.next
}

func (f *fakeLyrics) WantLyrics() { f.mu.Lock(); f.wants++; f.mu.Unlock() }

func (f *fakeLyrics) set(st lyrics.State) {
	f.mu.Lock()
	f.st = st
	close(f.next)
	f.next = make(chan struct{})
	f.mu.Unlock()
}

// lines are n synced lines, one a second from 0: "line 0", "line 1", ...
func syncedLyrics(n int) *lyrics.Lyrics {
	l := &lyrics.Lyrics{Source: "a.lrc in the track's folder"}
	for i := range n {
		l.Lines = append(l.Lines, lyrics.Line{At: time.Duration(i) * time.Second, Text: fmt.Sprintf("line %d", i)})
	}
	return l
}

// lyricsScreen is the screen without styles, its lines' ends trimmed.
func lyricsScreen(h *harness) string {
	lines := strings.Split(noStyle(h.m), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// L opens the pane: it asks for the lyrics, says it looks for them, then
// shows the synced lines with the one at the position marked and in view;
// the play keys still work; L closes it.
func TestLyricsPaneSynced(t *testing.T) {
	feed := newFakeLyrics()
	h := newHarness(t, Options{Lyrics: feed}, 80, 24)
	fixed := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	h.m.s.lyrics.now = func() time.Time { return fixed }
	tr := player.Track{FileID: 9, Name: "a.mp3", Title: "Song", Artist: "Band"}
	h.status(player.Status{State: player.Playing, Index: 0, Track: tr, Position: 5 * time.Second}, []player.Track{tr})

	h.keys("L")
	if !h.m.s.lyrics.open || feed.wants != 1 {
		t.Fatalf("L: open %v, asked %d times", h.m.s.lyrics.open, feed.wants)
	}
	feed.set(lyrics.State{FileID: 9, Loading: true, Following: true})
	h.fire("lyrics")
	if sc := lyricsScreen(h); !strings.Contains(sc, "Looking for lyrics…") || !strings.Contains(sc, "Lyrics · Band – Song") {
		t.Fatalf("while loading:\n%s", sc)
	}
	feed.set(lyrics.State{FileID: 9, Lyrics: syncedLyrics(60), Following: true})
	h.fire("lyrics")
	sc := lyricsScreen(h)
	if !strings.Contains(sc, "▶ line 5") || strings.Contains(sc, "▶ line 4") || !strings.Contains(sc, "from a.lrc in the track's folder") {
		t.Fatalf("at 5 s:\n%s", sc)
	}
	// Later in the song, the current line is still on screen.
	h.status(player.Status{State: player.Playing, Index: 0, Track: tr, Position: 40*time.Second + 500*time.Millisecond}, nil)
	sc = lyricsScreen(h)
	if !strings.Contains(sc, "▶ line 40") || strings.Contains(sc, "line 5\n") {
		t.Fatalf("at 40.5 s:\n%s", sc)
	}
	// Between two statuses the pane counts on (the music plays).
	h.m.s.lyrics.now = func() time.Time { return fixed.Add(1600 * time.Millisecond) }
	h.fire("lyrics tick")
	if sc = lyricsScreen(h); !strings.Contains(sc, "▶ line 42") {
		t.Fatalf("1.6 s after the status:\n%s", sc)
	}
	h.p.take()
	h.keys("space")
	wantCalls(t, h.p, "Toggle")
	h.keys("L")
	if h.m.s.lyrics.open {
		t.Fatal("L did not close the pane")
	}
}

// Unsynced text scrolls with the movement keys; none found names the
// places looked in.
func TestLyricsPanePlainAndMissing(t *testing.T) {
	feed := newFakeLyrics()
	h := newHarness(t, Options{Lyrics: feed}, 80, 24)
	tr := player.Track{FileID: 9, Name: "a.mp3"}
	h.status(player.Status{State: player.Paused, Index: 0, Track: tr}, []player.Track{tr})
	var text []string
	for i := range 50 {
		text = append(text, fmt.Sprintf("verse %d", i))
	}
	h.keys("L")
	feed.set(lyrics.State{FileID: 9, Lyrics: &lyrics.Lyrics{Plain: strings.Join(text, "\n"), Source: "the file's ID3 tag (USLT)"}})
	h.fire("lyrics")
	if sc := lyricsScreen(h); !strings.Contains(sc, "  verse 0") || strings.Contains(sc, "▶") {
		t.Fatalf("plain:\n%s", sc)
	}
	h.keys("j", "j", "j")
	if sc := lyricsScreen(h); strings.Contains(sc, "verse 2\n") || !strings.Contains(sc, "  verse 3") {
		t.Fatalf("after 3 j:\n%s", sc)
	}
	h.keys("G")
	if sc := lyricsScreen(h); !strings.Contains(sc, "verse 49") {
		t.Fatalf("after G:\n%s", sc)
	}
	feed.set(lyrics.State{FileID: 9, Looked: []string{"a.lrc and a.txt in the track's folder", "the file's tags"}})
	h.fire("lyrics")
	if sc := lyricsScreen(h); !strings.Contains(sc, "No lyrics found (looked in: a.lrc and a.txt in the track's folder; the file's\ntags).") {
		t.Fatalf("missing:\n%s", sc)
	}
	h.keys("esc")
	if h.m.s.lyrics.open {
		t.Fatal("esc did not close the pane")
	}
}
