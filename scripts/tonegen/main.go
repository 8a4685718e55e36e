// Command tonegen makes the raw audio for pcplay's test fixtures and demo
// library, and damages mp3 files on purpose. It is run by
// scripts/mkfixtures.sh and scripts/mkdemo.sh; its output is deterministic.
//
//	tonegen tone -rate 44100 -ch 2 -base 320 -step 25 -secs 20 [-from N] [-to N] -o out.wav
//	    a pure sine at -12 dBFS whose frequency is base+step*k during second k,
//	    phase-continuous across the changes; -from/-to select a sample range
//	    of the whole sequence (the phase is that of the whole sequence).
//	tonegen cut -frac 0.6 in.mp3 out.mp3
//	    cuts the file in the middle of the frame that holds byte frac*len.
//	tonegen garble -seed 1 -n 4096 in.mp3 out.mp3
//	    overwrites n bytes in the middle of the file with seeded random bytes.
//	tonegen demo -piece N -o out.wav
//	    renders demo piece N (see music.go).
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"github.com/pcplay/pcplay/internal/mpeg"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "tone":
		err = tone(os.Args[2:])
	case "cut":
		err = cut(os.Args[2:])
	case "garble":
		err = garble(os.Args[2:])
	case "demo":
		err = demo(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tonegen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: tonegen tone|cut|garble|demo [flags] (see the source)")
	os.Exit(2)
}

// Amplitude is -12 dBFS.
var amplitude = math.Pow(10, -12.0/20)

func tone(args []string) error {
	fs := flag.NewFlagSet("tone", flag.ExitOnError)
	rate := fs.Int("rate", 44100, "sample rate")
	ch := fs.Int("ch", 2, "channels (1 or 2)")
	base := fs.Float64("base", 440, "frequency of second 0, Hz")
	step := fs.Float64("step", 25, "frequency step per second, Hz")
	secs := fs.Int("secs", 10, "whole seconds")
	from := fs.Int("from", 0, "first sample to write")
	to := fs.Int("to", -1, "sample to stop before (-1: the end)")
	out := fs.String("o", "", "output wav")
	_ = fs.Parse(args)
	total := *rate * *secs
	if *to < 0 {
		*to = total
	}
	if *out == "" || *ch < 1 || *ch > 2 || *from < 0 || *to > total || *from >= *to {
		return errors.New("tone: bad flags")
	}
	pcm := make([]int16, 0, (*to-*from)**ch)
	phase := 0.0
	for i := 0; i < *to; i++ {
		f := *base + *step*float64(i / *rate)
		if i >= *from {
			v := int16(math.Round(amplitude * 32767 * math.Sin(phase)))
			for c := 0; c < *ch; c++ {
				pcm = append(pcm, v)
			}
		}
		phase += 2 * math.Pi * f / float64(*rate)
		if phase > 2*math.Pi {
			phase -= 2 * math.Pi
		}
	}
	return writeWAV(*out, *rate, *ch, pcm)
}

func writeWAV(path string, rate, ch int, pcm []int16) error {
	n := len(pcm) * 2
	b := make([]byte, 44, 44+n)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], uint16(ch))
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*ch*2))
	binary.LittleEndian.PutUint16(b[32:], uint16(ch*2))
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(n))
	for _, v := range pcm {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return os.WriteFile(path, b, 0o644)
}

func cut(args []string) error {
	fs := flag.NewFlagSet("cut", flag.ExitOnError)
	frac := fs.Float64("frac", 0.6, "where to cut, as a fraction of the file")
	_ = fs.Parse(args)
	if fs.NArg() != 2 || *frac <= 0 || *frac >= 1 {
		return errors.New("cut: want -frac F in out")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	at := int(float64(len(data)) * *frac)
	s := mpeg.Scan(data)
	for _, f := range s.Frames {
		if f.Off <= at && at < f.Off+f.Header.FrameLen {
			return os.WriteFile(fs.Arg(1), data[:f.Off+f.Header.FrameLen/2], 0o644)
		}
	}
	return errors.New("cut: no frame at that point")
}

func garble(args []string) error {
	fs := flag.NewFlagSet("garble", flag.ExitOnError)
	seed := fs.Uint64("seed", 1, "random seed")
	n := fs.Int("n", 4096, "bytes to overwrite")
	_ = fs.Parse(args)
	if fs.NArg() != 2 {
		return errors.New("garble: want in out")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	if *n <= 0 || *n >= len(data) {
		return errors.New("garble: bad -n")
	}
	r := rand.New(rand.NewPCG(*seed, 0x9e3779b97f4a7c15))
	start := len(data)/2 - *n/2
	for i := start; i < start+*n; i++ {
		data[i] = byte(r.Uint32())
	}
	return os.WriteFile(fs.Arg(1), data, 0o644)
}
