// Command mp3floor measures the decode floor: how fast go-mp3 alone (the
// decoder pcplay's player is built on) decodes an mp3 file, with nothing
// else around it: no network, no rings, no resampling, no output.
//
//	mp3floor [-cpu 3s] FILE.mp3
//
// It decodes the whole file again and again, as fast as it can on one
// goroutine, until it has used at least -cpu of processor time, and prints
// one line:
//
//	audio_s=60.00 passes=N cpu_s=... wall_s=... rtf=... floor_pct=...
//
// rtf is the real-time factor by processor time (seconds of audio decoded
// per second of CPU used by the whole process, garbage collector included),
// and floor_pct = 100/rtf is the share of one core that decoding this file
// in real time costs: the least a player built on go-mp3 can spend playing
// it. Processor time, not wall time, so that a machine shared with other
// work gives the same figure (within cache and frequency effects).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	mp3 "github.com/hajimehoshi/go-mp3"
)

// reader hides bytes.Reader's Seek, as the player's ring reader has none:
// go-mp3 then decodes as it does in the player (no length probing).
type reader struct{ r io.Reader }

func (r reader) Read(p []byte) (int, error) { return r.r.Read(p) }

func main() {
	minCPU := flag.Duration("cpu", 3*time.Second, "decode until this much processor time is used")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: mp3floor [-cpu 3s] FILE.mp3")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mp3floor:", err)
		os.Exit(1)
	}
	// The player's decode buffer is one frame (1152 stereo 16-bit samples).
	buf := make([]byte, 1152*4)
	samples, rate, err := decode(data, buf) // warm-up, and the audio length
	if err != nil {
		fmt.Fprintln(os.Stderr, "mp3floor:", err)
		os.Exit(1)
	}
	audio := float64(samples) / float64(rate)
	c0, t0 := cpuTime(), time.Now()
	passes := 0
	for passes == 0 || cpuTime()-c0 < *minCPU {
		if _, _, err := decode(data, buf); err != nil {
			fmt.Fprintln(os.Stderr, "mp3floor:", err)
			os.Exit(1)
		}
		passes++
	}
	cpu, wall := (cpuTime() - c0).Seconds(), time.Since(t0).Seconds()
	rtf := audio * float64(passes) / cpu
	fmt.Printf("audio_s=%.2f passes=%d cpu_s=%.3f wall_s=%.3f rtf=%.1f floor_pct=%.3f\n",
		audio, passes, cpu, wall, rtf, 100/rtf)
}

// decode decodes data to the end and returns the stereo samples it gave and
// the sample rate.
func decode(data, buf []byte) (int64, int, error) {
	d, err := mp3.NewDecoder(reader{bytes.NewReader(data)})
	if err != nil {
		return 0, 0, err
	}
	var n int64
	for {
		k, err := d.Read(buf)
		n += int64(k)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, 0, err
		}
	}
	if n == 0 {
		return 0, 0, errors.New("no audio decoded")
	}
	return n / 4, d.SampleRate(), nil
}

// cpuTime is the processor time (user + system) the whole process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
