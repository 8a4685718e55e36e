package player

import "testing"

func TestMixerGaplessSampleExact(t *testing.T) {
	const n1, n2 = 30011, 20003
	a := &fakeTrack{rate: rate, total: n1, val: counter(1)}
	b := &fakeTrack{rate: rate, total: n2, val: counter(2)}
	m := newMixer(make(chan struct{}, 1))
	m.cur = newSource(1, Track{}, a, rate)
	m.next = newSource(2, Track{}, b, rate)
	var got [][2]float64
	buf := make([][2]float64, 1000)
	for len(got) < n1+n2+5000 {
		n, ok := m.Stream(buf[:777])
		if !ok || n != 777 {
			t.Fatalf("mixer Stream = %d, %v; want 777, true", n, ok)
		}
		got = append(got, buf[:n]...)
	}
	for i := range n1 + n2 {
		want := counter(1)(i)
		if i >= n1 {
			want = counter(2)(i - n1)
		}
		if got[i][0] != want || got[i][1] != want {
			t.Fatalf("sample %d = %v, want %v (join at %d)", i, got[i], want, n1)
		}
	}
	for i := n1 + n2; i < len(got); i++ {
		if got[i] != [2]float64{} {
			t.Fatalf("sample %d after both tracks = %v, want silence", i, got[i])
		}
	}
	if len(m.ended) != 2 {
		t.Errorf("ended sources = %d, want 2", len(m.ended))
	}
}
