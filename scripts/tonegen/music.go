package main

import (
	"errors"
	"flag"
	"math"
	"math/rand/v2"
)

// The demo pieces: short, quiet, synthesised from sines with soft envelopes.
// Everything is deterministic (fixed seeds, no clocks).

const musicRate = 22050

type instrument int

const (
	pluck instrument = iota // a soft plucked string: a few decaying harmonics
	pad                     // slow-attack detuned sines
	bell                    // inharmonic partials, long decay
	bass                    // round low sine with a little second harmonic
	lead                    // gentle sine with vibrato
)

type note struct {
	at, dur float64 // seconds
	midi    float64 // MIDI note number (69 = A4 = 440 Hz)
	vel     float64 // 0..1
	inst    instrument
	pan     float64 // -1 left .. 1 right
}

func midiFreq(m float64) float64 { return 440 * math.Pow(2, (m-69)/12) }

// render mixes notes into stereo float samples of length secs.
func render(notes []note, secs float64) (l, r []float64) {
	n := int(secs * musicRate)
	l, r = make([]float64, n), make([]float64, n)
	for _, nt := range notes {
		f := midiFreq(nt.midi)
		start := int(nt.at * musicRate)
		tail := nt.dur + release(nt.inst)
		end := min(n, start+int(tail*musicRate))
		gl := nt.vel * math.Sqrt(0.5*(1-nt.pan))
		gr := nt.vel * math.Sqrt(0.5*(1+nt.pan))
		for i := start; i < end; i++ {
			t := float64(i-start) / musicRate
			v := voice(nt.inst, f, t, nt.dur)
			l[i] += v * gl
			r[i] += v * gr
		}
	}
	return l, r
}

func release(in instrument) float64 {
	switch in {
	case pad:
		return 1.5
	case bell:
		return 2.5
	case pluck:
		return 1.2
	default:
		return 0.3
	}
}

// voice is the sample of one note at time t after its start.
func voice(in instrument, f, t, dur float64) float64 {
	w := 2 * math.Pi * f * t
	switch in {
	case pluck:
		env := attack(t, 0.005) * math.Exp(-3*t)
		return env * (math.Sin(w) + 0.4*math.Exp(-4*t)*math.Sin(2*w) + 0.15*math.Exp(-8*t)*math.Sin(3*w))
	case pad:
		env := attack(t, 0.9) * releaseEnv(t, dur, 1.5)
		return env * 0.5 * (math.Sin(w) + math.Sin(w*1.004) + 0.3*math.Sin(2*w*0.998))
	case bell:
		env := attack(t, 0.003)
		return env * (math.Exp(-1.6*t)*math.Sin(w) + 0.35*math.Exp(-3*t)*math.Sin(2.76*w) + 0.12*math.Exp(-6*t)*math.Sin(5.4*w))
	case bass:
		env := attack(t, 0.02) * releaseEnv(t, dur, 0.3) * (0.6 + 0.4*math.Exp(-2*t))
		return env * (math.Sin(w) + 0.25*math.Sin(2*w))
	default: // lead
		vib := 0.004 * math.Sin(2*math.Pi*5*t) * math.Min(1, t/0.4)
		env := attack(t, 0.06) * releaseEnv(t, dur, 0.3)
		return env * (math.Sin(w*(1+vib)) + 0.1*math.Sin(2*w*(1+vib)))
	}
}

func attack(t, a float64) float64 {
	if t >= a {
		return 1
	}
	return 0.5 - 0.5*math.Cos(math.Pi*t/a)
}

func releaseEnv(t, dur, rel float64) float64 {
	if t <= dur {
		return 1
	}
	x := (t - dur) / rel
	if x >= 1 {
		return 0
	}
	return 0.5 + 0.5*math.Cos(math.Pi*x)
}

// finish normalises to -3 dBFS peak and fades in and out.
func finish(l, r []float64) []int16 {
	peak := 1e-9
	for i := range l {
		peak = math.Max(peak, math.Max(math.Abs(l[i]), math.Abs(r[i])))
	}
	g := math.Pow(10, -3.0/20) / peak
	n := len(l)
	fadeIn, fadeOut := int(0.3*musicRate), int(2.0*musicRate)
	out := make([]int16, 0, 2*n)
	for i := 0; i < n; i++ {
		e := 1.0
		if i < fadeIn {
			e = float64(i) / float64(fadeIn)
		}
		if k := n - i; k < fadeOut {
			e *= float64(k) / float64(fadeOut)
		}
		out = append(out, int16(math.Round(l[i]*g*e*32767)), int16(math.Round(r[i]*g*e*32767)))
	}
	return out
}

// Scales and chords as MIDI numbers.
var (
	cMajorPenta = []float64{60, 62, 64, 67, 69, 72, 74, 76, 79, 81}
	aMinorPenta = []float64{57, 60, 62, 64, 67, 69, 72, 74, 76}
)

// piece1: "Morning Pentatonic" — a rising and falling pentatonic arpeggio
// over a soft pad, 24 s at 96 bpm.
func piece1() ([]note, float64) {
	const secs, beat = 24.0, 60.0 / 96
	var ns []note
	chords := [][]float64{{48, 55, 64}, {45, 52, 60}, {41, 48, 57}, {43, 50, 59}}
	pattern := []int{0, 2, 4, 5, 7, 5, 4, 2}
	for bar := 0; bar < 9; bar++ {
		t0 := float64(bar) * 4 * beat
		ch := chords[bar%4]
		for _, m := range ch {
			ns = append(ns, note{at: t0, dur: 4*beat - 0.2, midi: m, vel: 0.10, inst: pad, pan: 0})
		}
		for i, p := range pattern {
			idx := (p + bar%4) % len(cMajorPenta)
			ns = append(ns, note{at: t0 + float64(i)*beat/2, dur: beat / 2, midi: cMajorPenta[idx], vel: 0.35, inst: pluck, pan: -0.4 + 0.1*float64(i)})
		}
	}
	return ns, secs
}

// piece2: "Slow Pad" — I vi IV V in D, four seconds a chord, with a quiet bell
// on each change. 26 s.
func piece2() ([]note, float64) {
	const secs = 26.0
	var ns []note
	chords := [][]float64{{50, 57, 62, 66}, {47, 54, 59, 62}, {43, 50, 55, 59}, {45, 52, 57, 61}, {50, 57, 62, 66}, {43, 50, 55, 62}}
	for i, ch := range chords {
		t0 := float64(i) * 4
		for j, m := range ch {
			ns = append(ns, note{at: t0, dur: 3.6, midi: m, vel: 0.12, inst: pad, pan: -0.3 + 0.2*float64(j)})
		}
		ns = append(ns, note{at: t0 + 0.05, dur: 0.1, midi: ch[len(ch)-1] + 12, vel: 0.12, inst: bell, pan: 0.3})
	}
	return ns, secs
}

// piece3: "Bass and Lead" — a two-bar bass loop in A minor under a simple
// lead tune. 24 s at 100 bpm.
func piece3() ([]note, float64) {
	const secs, beat = 24.0, 60.0 / 100
	var ns []note
	bassLine := []float64{45, 45, 52, 50, 48, 48, 43, 47}
	tune := []struct{ m, len float64 }{
		{69, 1}, {72, 0.5}, {74, 0.5}, {76, 1.5}, {74, 0.5}, {72, 1}, {69, 1}, {67, 1}, {69, 1},
		{72, 1}, {76, 0.5}, {79, 0.5}, {76, 1}, {74, 1}, {72, 2}, {69, 2},
	}
	for loop := 0; loop < 5; loop++ {
		t0 := float64(loop) * 8 * beat
		for i, m := range bassLine {
			ns = append(ns, note{at: t0 + float64(i)*beat, dur: beat * 0.8, midi: m, vel: 0.45, inst: bass, pan: 0})
		}
	}
	t := 2 * 8 * beat
	for rep := 0; rep < 2; rep++ {
		for _, n := range tune {
			if t > secs-2 {
				break
			}
			ns = append(ns, note{at: t, dur: n.len*beat - 0.05, midi: n.m, vel: 0.22, inst: lead, pan: 0.2})
			t += n.len * beat
		}
	}
	return ns, secs
}

// piece4: "Music Box" — a bell melody with a pluck counterpoint. 22 s.
func piece4() ([]note, float64) {
	const secs, beat = 22.0, 0.45
	var ns []note
	melody := []float64{76, 79, 81, 79, 76, 74, 72, 74, 76, 76, 74, 72, 69, 72, 74, 72}
	for rep := 0; rep < 3; rep++ {
		for i, m := range melody {
			t := float64(rep*len(melody)+i) * beat
			if t > secs-3 {
				break
			}
			ns = append(ns, note{at: t, dur: beat, midi: m, vel: 0.3, inst: bell, pan: 0.25})
			if i%4 == 0 {
				ns = append(ns, note{at: t, dur: 2 * beat, midi: aMinorPenta[(i/4+rep)%4] - 12, vel: 0.25, inst: pluck, pan: -0.3})
			}
		}
	}
	return ns, secs
}

// piece5: "Evening Waltz" — 3/4: a bass note then two soft chord plucks. 24 s.
func piece5() ([]note, float64) {
	const secs, beat = 24.0, 0.5
	var ns []note
	prog := [][]float64{{43, 59, 62, 67}, {40, 55, 59, 64}, {36, 55, 60, 64}, {38, 54, 57, 62}}
	bar := 0
	for t := 0.0; t < secs-2.5; t += 3 * beat {
		ch := prog[(bar/2)%4]
		ns = append(ns, note{at: t, dur: 2 * beat, midi: ch[0], vel: 0.4, inst: bass})
		for k := 1; k <= 2; k++ {
			for j, m := range ch[1:] {
				ns = append(ns, note{at: t + float64(k)*beat + 0.01*float64(j), dur: beat, midi: m, vel: 0.16, inst: pluck, pan: 0.3 - 0.3*float64(j)})
			}
		}
		if bar%2 == 0 {
			ns = append(ns, note{at: t, dur: 3*beat - 0.1, midi: ch[3] + 12, vel: 0.12, inst: lead, pan: 0.1})
		}
		bar++
	}
	return ns, secs
}

// piece6: "Drift" — a slow, seeded random walk on the pentatonic scale with
// long bells over a low pad. 28 s.
func piece6() ([]note, float64) {
	const secs = 28.0
	var ns []note
	r := rand.New(rand.NewPCG(6, 28))
	ns = append(ns, note{at: 0, dur: secs - 3, midi: 45, vel: 0.12, inst: pad}, note{at: 0, dur: secs - 3, midi: 52, vel: 0.08, inst: pad})
	pos := 4
	for t := 0.5; t < secs-4; t += 0.75 + 0.25*float64(r.IntN(3)) {
		pos += r.IntN(5) - 2
		pos = max(0, min(len(aMinorPenta)-1, pos))
		ns = append(ns, note{at: t, dur: 0.5, midi: aMinorPenta[pos] + 12, vel: 0.2 + 0.1*r.Float64(), inst: bell, pan: r.Float64()*1.2 - 0.6})
	}
	return ns, secs
}

var pieces = []func() ([]note, float64){piece1, piece2, piece3, piece4, piece5, piece6}

func demo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	piece := fs.Int("piece", 1, "piece number, 1..6")
	out := fs.String("o", "", "output wav")
	_ = fs.Parse(args)
	if *out == "" || *piece < 1 || *piece > len(pieces) {
		return errors.New("demo: want -piece 1..6 -o out.wav")
	}
	ns, secs := pieces[*piece-1]()
	l, r := render(ns, secs)
	return writeWAV(*out, musicRate, 2, finish(l, r))
}
