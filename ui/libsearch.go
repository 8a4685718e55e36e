package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/library"
)

// libSearch is a library view's search: each keystroke asks the index in
// a Cmd; an answer older than the latest question is dropped.
type libSearch struct {
	e      *env
	seq    uint64 // the latest question
	active bool   // a query is shown (or asked)
}

// libSearchMsg is the index's answer to question seq.
type libSearchMsg struct {
	to     *libPane
	seq    uint64
	query  string
	tracks []library.Track
	err    error
}

// ask searches the whole library for query; the answer goes to p.
func (s *libSearch) ask(p *libPane, query string) tea.Cmd {
	s.seq++
	s.active = true
	idx := s.e.lib.idx
	if idx == nil {
		return nil
	}
	seq, ctx := s.seq, s.e.ctx
	return func() tea.Msg {
		ts, err := idx.Search(ctx, query, library.SearchResults)
		return libSearchMsg{to: p, seq: seq, query: query, tracks: ts, err: err}
	}
}

// take reports whether msg answers the latest question.
func (s *libSearch) take(msg libSearchMsg) bool {
	return s.active && msg.seq == s.seq && msg.err == nil
}

// drop forgets the query: answers still on their way are dropped.
func (s *libSearch) drop() {
	s.seq++
	s.active = false
}
