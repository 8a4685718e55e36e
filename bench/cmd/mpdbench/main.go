// Command mpdbench measures pcplay's MPD server (bench/mpd.sh runs it
// against a real engine):
//
//	mpdbench -addr 127.0.0.1:6600 -pid ENGINE_PID [-idle 3] [-seconds 60] [-n 2000]
//
// In one run: the engine's CPU (utime+stime from /proc/PID/stat) and its
// context switches (all its threads, /proc/PID/task/*/status) over
// -seconds with no MPD client, the baseline; the same with -idle clients
// in idle; then, those clients still idle, -n round trips of ping (the
// protocol alone, the baseline) and of status on one more connection,
// p50 and p99.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6600", "the MPD server")
	pid := flag.Int("pid", 0, "the engine's process id")
	idle := flag.Int("idle", 3, "idle clients attached")
	secs := flag.Int("seconds", 60, "CPU window, each")
	n := flag.Int("n", 2000, "round trips of each command")
	flag.Parse()
	if *pid == 0 {
		fail("-pid is needed")
	}
	fmt.Printf("# mpdbench: %d idle clients, %d s CPU windows, %d round trips\n", *idle, *secs, *n)

	cpu0, sw0 := usage(*pid, *secs)
	fmt.Printf("engine, no MPD client:      CPU %.3f %% of a core, %.2f context switches/s\n", cpu0, sw0)

	var idlers []net.Conn
	for range *idle {
		c, r := dial(*addr)
		if _, err := c.Write([]byte("idle\n")); err != nil {
			fail(err.Error())
		}
		_ = r
		idlers = append(idlers, c)
	}
	time.Sleep(time.Second)
	cpu1, sw1 := usage(*pid, *secs)
	fmt.Printf("engine, %d idle MPD clients: CPU %.3f %% of a core, %.2f context switches/s\n", *idle, cpu1, sw1)

	c, r := dial(*addr)
	ping := roundTrips(c, r, "ping", *n)
	status := roundTrips(c, r, "status", *n)
	fmt.Printf("ping   (baseline): p50 %.3f ms, p99 %.3f ms\n", ms(pct(ping, 50)), ms(pct(ping, 99)))
	fmt.Printf("status:            p50 %.3f ms, p99 %.3f ms (%.2fx, %.2fx ping)\n", ms(pct(status, 50)), ms(pct(status, 99)),
		float64(pct(status, 50))/float64(pct(ping, 50)), float64(pct(status, 99))/float64(pct(ping, 99)))
	for _, ic := range idlers {
		ic.Close()
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "mpdbench:", msg)
	os.Exit(1)
}

func dial(addr string) (net.Conn, *bufio.Reader) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		fail(err.Error())
	}
	r := bufio.NewReader(c)
	if g, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(g, "OK MPD ") {
		fail(fmt.Sprintf("greeting %q: %v", g, err))
	}
	return c, r
}

func roundTrips(c net.Conn, r *bufio.Reader, cmd string, n int) []time.Duration {
	out := make([]time.Duration, 0, n)
	for range n {
		t0 := time.Now()
		if _, err := c.Write([]byte(cmd + "\n")); err != nil {
			fail(err.Error())
		}
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				fail(err.Error())
			}
			if l == "OK\n" {
				break
			}
			if strings.HasPrefix(l, "ACK") {
				fail(cmd + ": " + l)
			}
		}
		out = append(out, time.Since(t0))
	}
	slices.Sort(out)
	return out
}

func pct(d []time.Duration, p int) time.Duration { return d[(len(d)-1)*p/100] }

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// usage is the process's CPU (% of a core) and context switches a second
// over secs seconds.
func usage(pid, secs int) (float64, float64) {
	t0, s0, w0 := ticks(pid), switches(pid), time.Now()
	time.Sleep(time.Duration(secs) * time.Second)
	t1, s1, el := ticks(pid), switches(pid), time.Since(w0).Seconds()
	const hz = 100 // USER_HZ
	return float64(t1-t0) / hz / el * 100, float64(s1-s0) / el
}

func ticks(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		fail(err.Error())
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64) // field 14
	st, _ := strconv.ParseInt(f[12], 10, 64) // field 15
	return ut + st
}

func switches(pid int) int64 {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	var n int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
				x, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				n += x
			}
		}
	}
	return n
}
