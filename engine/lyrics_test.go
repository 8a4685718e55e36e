package engine

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/lyrics"
)

// lyricsHost is a target that keeps lyrics, as a host does.
type lyricsHost struct {
	*host
	mu    sync.Mutex
	st    lyrics.State
	next  chan struct{}
	wants int
}

func (h *lyricsHost) LyricsState() (lyrics.State, <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.st, h.next
}

// WantLyrics finds the lyrics at once.
func (h *lyricsHost) WantLyrics() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.wants++
	h.st = lyrics.State{FileID: 7, Following: true, Lyrics: &lyrics.Lyrics{Lines: []lyrics.Line{{At: time.Second, Text: "la"}}}}
	close(h.next)
	h.next = make(chan struct{})
}

// A target that keeps lyrics gets the lyrics command, and its state
// reaches the clients: right after the first status, and at each change.
func TestLyricsReachTheClient(t *testing.T) {
	h := &lyricsHost{host: &host{stubPlayer: &stubPlayer{}}, next: make(chan struct{})}
	path := serveStub(t, h.stubPlayer, Options{Target: h})
	c, err := Dial(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.WaitLyrics(ctx, func(_ lyrics.State, seen bool) bool { return seen }); err != nil {
		t.Fatalf("no first lyrics state: %v", err)
	}
	c.WantLyrics()
	st, err := c.WaitLyrics(ctx, func(st lyrics.State, _ bool) bool { return st.Settled(7) })
	if err != nil || st.Lyrics.Lines[0].Text != "la" {
		t.Fatalf("the lyrics: %+v %v", st, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.wants != 1 {
		t.Errorf("the target was asked %d times", h.wants)
	}
}
