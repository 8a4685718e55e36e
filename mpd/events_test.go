package mpd

import (
	"slices"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

func TestStatusChanges(t *testing.T) {
	base := player.Status{State: player.Playing, Index: 0, Track: player.Track{FileID: 1}, Position: 10 * time.Second, Volume: 50, QueueGen: 3}
	for _, c := range []struct {
		name string
		edit func(s *player.Status)
		dt   time.Duration
		want subsystems
	}{
		{"a second of play", func(s *player.Status) { s.Position += time.Second }, time.Second, 0},
		{"a seek forward", func(s *player.Status) { s.Position += 30 * time.Second }, time.Second, subPlayer},
		{"a seek back", func(s *player.Status) { s.Position = 0 }, time.Second, subPlayer},
		{"paused", func(s *player.Status) { s.State = player.Paused }, 0, subPlayer},
		{"the next track", func(s *player.Status) { s.Index, s.Track.FileID, s.Position = 1, 2, 0 }, 0, subPlayer},
		{"volume", func(s *player.Status) { s.Volume = 40 }, 0, subMixer},
		{"mute", func(s *player.Status) { s.Muted = true }, 0, subMixer},
		{"shuffle and repeat", func(s *player.Status) { s.Shuffle, s.Repeat = true, player.RepeatAll }, 0, subOptions},
		{"the queue", func(s *player.Status) { s.QueueGen++ }, 0, subPlaylist},
		{"an error", func(s *player.Status) { s.Err = "gone" }, 0, subPlayer},
	} {
		b := base
		c.edit(&b)
		if got := statusChanges(base, b, c.dt); got != c.want {
			t.Errorf("%s: %b, want %b", c.name, got, c.want)
		}
	}
}

func TestVersions(t *testing.T) {
	view := func(gen uint64, ids ...uint64) player.QueueView {
		v := player.QueueView{Gen: gen}
		for _, id := range ids {
			v.Entries = append(v.Entries, player.Entry{ID: id, Track: player.Track{FileID: id * 10}})
		}
		return v
	}
	var vs versions
	vs.observe(view(5, 1, 2, 3))
	changed := func(v player.QueueView, since uint64) []int {
		var out []int
		for i, c := range vs.changedSince(v, since) {
			if c {
				out = append(out, i)
			}
		}
		return out
	}
	if got := changed(view(5, 1, 2, 3), 5); got != nil {
		t.Errorf("nothing changed: %v", got)
	}
	if got := changed(view(5, 1, 2, 3), 4); len(got) != 3 {
		t.Errorf("since before the first view: %v, want all", got)
	}
	v7 := view(7, 1, 3, 2, 4) // 2 and 3 swapped (6), 4 appended (7); 6 not seen
	if got := changed(v7, 5); !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("since 5: %v, want [1 2 3]", got)
	}
	if got := changed(v7, 7); got != nil {
		t.Errorf("since 7: %v", got)
	}
	if got := changed(view(8, 1, 3, 2), 7); got != nil {
		t.Errorf("after the last was removed, since 7: %v (the length says it)", got)
	}
	if got := changed(view(8, 1, 3, 2), 99); len(got) != 3 {
		t.Errorf("a version from the future (another run): %v, want all", got)
	}
}
