// Command playfile plays an mp3 file through pcplay's real pipeline — the
// fake pCloud (api/pcloudtest) serving it over loopback HTTP, the api client,
// TrackStream, the Player and the speaker — for a number of seconds. It is
// what bench/speaker-cpu.sh measures.
//
//	playfile -file internal/fixtures/data/a128.mp3 -seconds 30 [-buffer 200ms] [-output speaker|null]
//	         [-cpuprofile FILE] [-memprofile FILE] [-memstats]
//
// -memprofile writes a heap profile, and -memstats prints the Go heap and
// the process's RSS, at the end of the play (while the player still holds
// its buffers).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/defaults"
	"github.com/pcplay/pcplay/player"
)

func main() {
	file := flag.String("file", "", "mp3 file to play")
	secs := flag.Float64("seconds", 30, "how long to play (the file repeats)")
	buffer := flag.Duration("buffer", defaults.SpeakerBuffer, "speaker buffer")
	output := flag.String("output", "speaker", "speaker or null")
	logFile := flag.String("log", "", "log file (default: none)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.StringVar(&memProfile, "memprofile", "", "write a heap profile here at the end")
	flag.BoolVar(&memStats, "memstats", false, "print the Go heap and the RSS at the end")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*file, *secs, *buffer, *output, *logFile); err != nil {
		fmt.Fprintln(os.Stderr, "playfile:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(file string, secs float64, buffer time.Duration, output, logFile string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	log := slog.New(slog.DiscardHandler)
	if logFile != "" {
		f, err := os.Create(logFile)
		if err != nil {
			return err
		}
		defer f.Close()
		log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	const email = "bench@example.com"
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: email, Password: "bench"}},
		Root:     pcloudtest.Dir("", pcloudtest.AudioFile("track.mp3", map[int][]byte{128: data}, pcloudtest.Tags{})),
	})
	defer srv.Close()
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token(email), TokenKind: api.TokenBearer})
	if err != nil {
		return err
	}
	var out player.Output
	switch output {
	case "speaker":
		out, err = player.NewSpeaker(44100, buffer, log)
	case "null":
		out = player.NewNull(44100)
	default:
		err = fmt.Errorf("unknown output %q", output)
	}
	if err != nil {
		return err
	}
	p, err := player.New(player.Config{Links: player.LinksFromAPI(c), Output: out, Bitrate: 128, Volume: 100, Logger: log})
	if err != nil {
		return err
	}
	defer p.Close()
	p.SetRepeat(player.RepeatOne)
	p.PlayNow([]player.Track{{FileID: srv.FileID("/track.mp3"), Name: "track.mp3"}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(secs*float64(time.Second)))
	defer cancel()
	for st := range p.Subscribe(ctx) {
		if st.Err != "" {
			return fmt.Errorf("%s", st.Err)
		}
	}
	return memReport()
}

var (
	memProfile string
	memStats   bool
)

// memReport writes the heap profile and prints the memory figures asked for.
func memReport() error {
	if memProfile != "" {
		f, err := os.Create(memProfile)
		if err != nil {
			return err
		}
		runtime.GC()
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if memStats {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mb := func(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
		fmt.Printf("go heap: in use %s, idle not released %s, released %s; stacks %s; runtime other %s; total from OS %s; %d GCs\n",
			mb(m.HeapInuse), mb(m.HeapIdle-m.HeapReleased), mb(m.HeapReleased), mb(m.StackSys),
			mb(m.MSpanSys+m.MCacheSys+m.BuckHashSys+m.GCSys+m.OtherSys), mb(m.Sys), m.NumGC)
		if b, err := os.ReadFile("/proc/self/status"); err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "RssAnon") || strings.HasPrefix(l, "RssFile") {
					fmt.Println(strings.Join(strings.Fields(l), " "))
				}
			}
		}
	}
	return nil
}
