package player

import (
	"slices"
	"testing"
	"testing/synctest"
)

func viewIDs(v QueueView) (files, ids []uint64) {
	for _, e := range v.Entries {
		files, ids = append(files, e.Track.FileID), append(ids, e.ID)
	}
	return files, ids
}

// The entries' ids are given on insert, follow their entries through a
// move, come back with an undo, and are new for a second copy of a file.
func TestQueueViewIDs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60})
		p := newTestPlayer(t, lib, newCapture(rate, 1))
		p.Enqueue(tracks(1, 2, 3))
		if v := p.View(); v.Current != -1 || v.Next != -1 {
			t.Fatalf("view before anything played: current %d, next %d; want -1, -1", v.Current, v.Next)
		}
		p.PlayIndex(0)
		v := p.View()
		files, ids := viewIDs(v)
		if !slices.Equal(files, []uint64{1, 2, 3}) || v.Current != 0 || v.Next != 1 {
			t.Fatalf("view after Enqueue: files %v, current %d, next %d; want [1 2 3], 0, 1", files, v.Current, v.Next)
		}
		if ids[0] == ids[1] || ids[1] == ids[2] || ids[0] == 0 {
			t.Fatalf("ids %v: want three different ids, none 0", ids)
		}
		gen := v.Gen
		p.Move(0, 2)
		v = p.View()
		files2, ids2 := viewIDs(v)
		if !slices.Equal(files2, []uint64{2, 3, 1}) || !slices.Equal(ids2, []uint64{ids[1], ids[2], ids[0]}) {
			t.Fatalf("after Move(0, 2): files %v ids %v; want [2 3 1] with ids %v", files2, ids2, []uint64{ids[1], ids[2], ids[0]})
		}
		if v.Gen == gen || v.Current != 2 {
			t.Fatalf("after Move: gen %d (was %d), current %d; want a new gen and current 2", v.Gen, gen, v.Current)
		}
		p.Remove(0)
		p.Undo()
		if _, ids3 := viewIDs(p.View()); !slices.Equal(ids3, ids2) {
			t.Fatalf("after Remove and Undo: ids %v, want %v back", ids3, ids2)
		}
		p.Enqueue(tracks(1))
		_, ids4 := viewIDs(p.View())
		if slices.Contains(ids2, ids4[3]) {
			t.Fatalf("a second entry of file 1 got id %d, already in %v", ids4[3], ids2)
		}
	})
}
