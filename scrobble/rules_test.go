package scrobble

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

// script builds a sequence of snapshots, one a second of play as the
// player publishes them, with a clock that runs alongside.
type script struct {
	now   float64 // seconds since t0
	steps []step
}

type step struct {
	at float64
	st player.Status
}

func snap(state player.State, id uint64, dur, pos float64) player.Status {
	st := player.Status{State: state, Index: 0, Track: player.Track{FileID: id, Title: fmt.Sprint("t", id)},
		Position: secs(pos), Duration: secs(dur)}
	if state == player.Stopped {
		st.Index, st.Track, st.Position, st.Duration = -1, player.Track{}, 0, 0
	}
	return st
}

func secs(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// play: the track id of length dur plays from from to to (a snapshot a
// second of position, the clock going along).
func (s *script) play(id uint64, dur, from, to float64) *script {
	for p := from; ; p++ {
		if p > to {
			p = to
		}
		s.steps = append(s.steps, step{s.now, snap(player.Playing, id, dur, p)})
		if p >= to {
			break
		}
		s.now += min(1, to-p)
	}
	return s
}

// pause: paused at pos for d seconds (one snapshot at the start).
func (s *script) pause(id uint64, dur, pos, d float64) *script {
	s.steps = append(s.steps, step{s.now, snap(player.Paused, id, dur, pos)})
	s.now += d
	return s
}

// jump: the position moves at once (a seek) to pos, still playing.
func (s *script) jump(id uint64, dur, pos float64) *script {
	s.now += 0.05
	s.steps = append(s.steps, step{s.now, snap(player.Playing, id, dur, pos)})
	return s
}

func (s *script) state(st player.Status, d float64) *script {
	s.steps = append(s.steps, step{s.now, st})
	s.now += d
	return s
}

// event is what Feed said: "now 1@0" (track 1 started at 0 s) or
// "listen 1@0 at 16" (its listen counted at 16 s of the clock).
func TestRules(t *testing.T) {
	const l, m, n = 1, 2, 3
	tests := []struct {
		name string
		s    *script
		want []string
	}{
		{"a 30 s track never counts", new(script).play(l, 30, 0, 30),
			[]string{"now 1@0"}},
		{"a 31 s track counts after 15.5 s heard", new(script).play(l, 31, 0, 31),
			[]string{"now 1@0", "listen 1@0 at 16"}},
		{"a 60 s track: none before half, one at half, none after", new(script).play(l, 60, 0, 60).play(m, 60, 0, 3),
			[]string{"now 1@0", "listen 1@0 at 30", "now 2@60"}},
		{"a long track counts after 4 minutes", new(script).play(l, 600, 0, 300),
			[]string{"now 1@0", "listen 1@0 at 240"}},
		{"an unknown length counts after 4 minutes", new(script).play(l, 0, 0, 250),
			[]string{"now 1@0", "listen 1@0 at 240"}},
		{"a pause does not reset; the start stays", new(script).play(l, 60, 0, 20).pause(l, 60, 20, 100).play(l, 60, 20, 40),
			[]string{"now 1@0", "listen 1@0 at 130"}},
		{"seeking ahead past half does not count", new(script).play(l, 60, 0, 5).jump(l, 60, 40).play(l, 60, 40, 60).play(m, 60, 0, 2),
			[]string{"now 1@0", "now 2@25.05"}},
		{"seeking ahead, then enough heard", new(script).play(l, 100, 0, 10).jump(l, 100, 30).play(l, 100, 30, 80),
			[]string{"now 1@0", "listen 1@0 at 50.05"}},
		{"seeking back is the same play: one listen", new(script).play(l, 60, 0, 20).jump(l, 60, 10).play(l, 60, 10, 60),
			[]string{"now 1@0", "listen 1@0 at 30.05"}},
		{"repeat one: each play is a listen", new(script).play(l, 40, 0, 40).play(l, 40, 0, 40).play(l, 40, 0, 10),
			[]string{"now 1@0", "listen 1@0 at 20", "now 1@40", "listen 1@40 at 60", "now 1@80"}},
		{"the next track before half: no listen", new(script).play(l, 60, 0, 29).play(m, 60, 0, 30),
			[]string{"now 1@0", "now 2@29", "listen 2@29 at 59"}},
		{"stopped, then played again: a new play", new(script).play(l, 60, 0, 20).state(snap(player.Stopped, 0, 0, 0), 5).play(l, 60, 0, 31),
			[]string{"now 1@0", "now 1@25", "listen 1@25 at 55"}},
		{"loading is not heard; the play starts when it plays", new(script).state(snap(player.Loading, n, 60, 0), 10).play(n, 60, 0, 30),
			[]string{"now 3@10", "listen 3@10 at 40"}},
		{"paused from the start: nothing", new(script).pause(l, 60, 2, 600),
			nil},
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r Rules
			var got []string
			at := func(tm time.Time) string { return fmt.Sprint(tm.Sub(t0).Seconds()) }
			for _, s := range tc.s.steps {
				now := t0.Add(secs(s.at))
				started, counted := r.Feed(s.st, now)
				if started != nil {
					got = append(got, fmt.Sprintf("now %d@%s", started.Track.FileID, at(started.Started)))
				}
				if counted != nil {
					got = append(got, fmt.Sprintf("listen %d@%s at %s", counted.Track.FileID, at(counted.Started), at(now)))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestKeyIsFileAndStart(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	a := Listen{Track: player.Track{FileID: 7}, Started: t0}
	b := a
	b.Track.Title = "retagged"
	if a.Key() != b.Key() {
		t.Errorf("the same play has two keys: %q, %q", a.Key(), b.Key())
	}
	c := a
	c.Started = t0.Add(time.Second)
	if a.Key() == c.Key() {
		t.Errorf("two plays share the key %q", a.Key())
	}
}
