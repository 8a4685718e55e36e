package ui

import (
	"fmt"
	"testing"

	"github.com/pcplay/pcplay/api"
)

// bigFolder is a folder of n files: audio with and without tags, and some
// other files.
func bigFolder(n int) *api.Metadata {
	root := &api.Metadata{Name: "Big", IsFolder: true, FolderID: 7}
	for i := range n {
		m := &api.Metadata{Name: fmt.Sprintf("%05d %s.mp3", i, words[i%len(words)]), FileID: uint64(1000 + i), Category: api.CategoryAudio, Size: int64(3_000_000 + i)}
		switch i % 4 {
		case 0, 1:
			m.Artist, m.Title = artists[i%len(artists)], words[(i/3)%len(words)]+" "+words[(i/7)%len(words)]
		case 3:
			m.Category, m.Name = api.CategoryImage, fmt.Sprintf("cover %05d.jpg", i)
		}
		root.Contents = append(root.Contents, m)
	}
	return root
}

var (
	words   = []string{"Morning", "Blue", "River", "Night", "Train", "Golden", "Heart", "Rain", "Summer", "Echo", "Dance", "Silver"}
	artists = []string{"The Beatles", "Nina Simone", "Miles Davis", "Björk", "Radiohead", "Fela Kuti", "Joni Mitchell"}
)

func benchModel(b *testing.B) Model {
	m := New(Options{Player: newRecPlayer()})
	deferWaits(m)
	b.Cleanup(m.Close)
	m.Update(tea_ws(120, 40))
	return m
}

// BenchmarkOpenBigFolder: the listing of 10,000 files arrives (sort, row
// texts, cursor) and the screen is drawn.
func BenchmarkOpenBigFolder(b *testing.B) {
	meta := bigFolder(10_000)
	m := benchModel(b)
	b.ReportAllocs()
	for b.Loop() {
		// A fresh folder each time: the cache would make it free otherwise.
		m.s.folders().stack = []*folder{{id: 7, loading: true}}
		delete(m.s.folders().cache, 7)
		m.Update(listingMsg{id: 7, meta: meta})
		_ = m.View()
	}
	if m.s.folders().cur().list.Len() != 10_000 {
		b.Fatal("not listed")
	}
}

// BenchmarkFilterKeystroke: one key typed into the filter of a 10,000-file
// folder (refilter and rank all of it) and the screen drawn. Keys alternate
// between typing a letter and deleting it, both of which refilter.
func BenchmarkFilterKeystroke(b *testing.B) {
	m := benchModel(b)
	m.Update(listingMsg{id: 0, meta: bigFolder(10_000)})
	m.Update(press("/"))
	for _, r := range "riv" {
		m.Update(press(string(r)))
	}
	add, del := press("e"), press("backspace")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			m.Update(add)
		} else {
			m.Update(del)
		}
		i++
		_ = m.View()
	}
	if l := m.s.folders().cur().list; l.Len() == 0 || l.Len() == 10_000 {
		b.Fatalf("filter %q kept %d rows", l.filter, l.Len())
	}
}

// BenchmarkCursorMove: a cursor key in a 10,000-file folder and a redraw.
func BenchmarkCursorMove(b *testing.B) {
	m := benchModel(b)
	m.Update(listingMsg{id: 0, meta: bigFolder(10_000)})
	down := press("j")
	b.ReportAllocs()
	for b.Loop() {
		m.Update(down)
		_ = m.View()
	}
}

// BenchmarkNowPlayingTick: a player event that only moves the clock.
func BenchmarkNowPlayingTick(b *testing.B) {
	m := benchModel(b)
	m.Update(listingMsg{id: 0, meta: bigFolder(100)})
	st := playing(183e9)
	b.ReportAllocs()
	for b.Loop() {
		st.Position += 1e9
		if st.Position > st.Duration {
			st.Position = 0
		}
		m.Update(statusMsg{st: st})
		_ = m.View()
	}
}
