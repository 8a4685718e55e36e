//go:build linux

package player

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/internal/syncbuf"
)

const speakerChildEnv = "PCPLAY_SPEAKER_CHILD"

// speakerSeconds of the fixture are played through the real speaker.
const speakerSeconds = 3

// TestSpeaker plays a fixture through the speaker (player/alsa.go), with ALSA's
// default device routed into a file by a private PulseAudio null sink
// (scripts/alsa-capture), and checks what came out: the fixture's seconds in
// order, at their frequencies, with no gap.
func TestSpeaker(t *testing.T) {
	t.Parallel() // real time, in a child process: it plays beside the tests on the fake clock
	heard, _, _ := speakerRun(t, "TestSpeakerChild", false)
	checkHeard(t, heard)
}

// TestSpeakerReleased: a pause longer than releaseAfter releases the
// device, and play goes on in a device opened again with what the old one
// still held written first: the fixture's seconds, each once, in order,
// at their frequencies, with no gap; nothing of the held buffer is lost
// and nothing is heard twice.
func TestSpeakerReleased(t *testing.T) {
	t.Parallel() // real time, in a child process: it plays beside the tests on the fake clock
	_, played, child := speakerRun(t, "TestSpeakerReleaseChild", true)
	for _, want := range []string{"speaker released", "speaker opened again"} {
		if !strings.Contains(child, want) {
			t.Errorf("the child's log lacks %q", want)
		}
	}
	// What PulseAudio played (its monitor, in real time): the sound, the
	// pause's silence, the sound again. (Not the capture files: ALSA's
	// file plugin records what is written, also what the released device
	// dropped unheard.) Silence is taken out, the pause's and any of a
	// real-time recording on a busy machine; what is left must be the
	// fixture's seconds whole.
	rest, cut := audiotest.WithoutGaps(played, capRate, 0.01)
	t.Logf("played %.2f s of sound; silences taken out: %.2v s", float64(len(rest))/capRate, cut)
	if slices.IndexFunc(cut, func(s float64) bool { return s >= 0.05 }) < 0 {
		t.Errorf("no pause in what was played (silences %v s)", cut)
	}
	checkHeard(t, rest)
}

// speakerRun starts a private PulseAudio null sink with ALSA's default
// device recorded to files (scripts/alsa-capture), runs the test child
// in a child process playing into it, and returns what was recorded from
// the first sound to the last (mono, 44.1 kHz), the same of what the sink
// played when monitor is set (parec on its monitor, in real time), and
// the child's output.
func speakerRun(t *testing.T, child string, monitor bool) (written, played []float64, childOut string) {
	t.Helper()
	if os.Getenv(speakerChildEnv) != "" {
		t.Skip("in the child")
	}
	if _, err := exec.LookPath("pulseaudio"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pulseaudio is not installed (scripts/install-deps.sh test installs it)")
		}
		t.Fatal("pulseaudio is not installed; make test-deps should have installed it")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	dir := t.TempDir()
	start, _ := filepath.Abs("../scripts/alsa-capture/start.sh")
	stop, _ := filepath.Abs("../scripts/alsa-capture/stop.sh")
	out, err := exec.Command(start, dir).Output()
	t.Cleanup(func() { _ = exec.Command(stop, dir).Run() })
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "pulseaudio.log"))
		t.Fatalf("start.sh: %v\n%s", err, log)
	}
	vars := regexp.MustCompile(`([A-Z_]+)='([^']*)'`).FindAllStringSubmatch(string(out), -1)
	if len(vars) != 3 {
		t.Fatalf("start.sh printed %q, want three variables", out)
	}
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, v := range vars {
			if strings.HasPrefix(kv, v[1]+"=") {
				return true
			}
		}
		return false
	})
	for _, v := range vars {
		env = append(env, v[1]+"="+v[2])
	}
	env = append(env, speakerChildEnv+"=1")
	var rec *exec.Cmd
	if monitor {
		rec = startMonitor(t, dir)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+child+"$", "-test.v", "-test.count=1")
	cmd.Env = env
	var co bytes.Buffer
	cmd.Stdout, cmd.Stderr = &co, &co
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s", err, co.String())
	}
	if !strings.Contains(co.String(), "--- PASS: "+child) {
		t.Fatalf("child did not pass:\n%s", co.String())
	}

	files, _ := filepath.Glob(filepath.Join(dir, "cap.raw*"))
	slices.Sort(files) // cap.raw, cap.raw.0001, ...
	var raw []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, b...)
	}
	written = soundSpan(t, "captured", raw)
	if rec != nil {
		_ = rec.Process.Signal(os.Interrupt)
		_ = rec.Wait()
		b, err := os.ReadFile(filepath.Join(dir, "monitor.raw"))
		if err != nil {
			t.Fatal(err)
		}
		played = soundSpan(t, "played (the sink's monitor)", b)
	}
	return written, played, co.String()
}

// startMonitor records the null sink's monitor to dir/monitor.raw (parec,
// float32 stereo at capRate) until it is interrupted; it returns once the
// recording runs.
func startMonitor(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	if _, err := exec.LookPath("parec"); err != nil {
		t.Fatal("parec is not installed (pulseaudio-utils; make test-deps installs it)")
	}
	f, err := os.Create(filepath.Join(dir, "monitor.raw"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rec := exec.Command("parec", "--latency-msec=5", "-d", "nullsink.monitor",
		"--format=float32le", "--rate=44100", "--channels=2", "--raw")
	rec.Env = append(os.Environ(), "PULSE_SERVER=unix:"+filepath.Join(dir, "pa-run", "pulse", "native"))
	rec.Stdout = f
	var errb bytes.Buffer
	rec.Stderr = &errb
	if err := rec.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rec.Process.Kill() })
	poll.Until(t, "parec to record", func() bool {
		st, err := f.Stat()
		return err == nil && st.Size() > 0
	})

	return rec
}

// soundSpan is raw (float32 stereo) as mono, from its first sound to its
// last.
func soundSpan(t *testing.T, what string, raw []byte) []float64 {
	t.Helper()
	got := audiotest.MonoFromFloat32Stereo(raw)
	first := slices.IndexFunc(got, func(v float64) bool { return v > 0.01 || v < -0.01 })
	if first < 0 {
		t.Fatalf("%s: %d samples of silence", what, len(got))
	}
	last := len(got)
	for last > first && got[last-1] > -0.01 && got[last-1] < 0.01 {
		last--
	}
	t.Logf("%s: %.2f s, %.2f s from the first sound to the last", what, float64(len(got))/capRate, float64(last-first)/capRate)
	return got[first:last]
}

// capRate is the rate scripts/alsa-capture records at.
const capRate = 44100

// checkHeard checks that heard is the fixture's first speakerSeconds:
// that long, each second at its frequency, with no silent gap.
func checkHeard(t *testing.T, heard []float64) {
	t.Helper()
	if d := float64(len(heard)) / capRate; d < speakerSeconds-0.1 || d > speakerSeconds+0.1 {
		t.Errorf("heard %.2f s, want %d s", d, speakerSeconds)
	}
	fx := fixtures.Get("a128")
	for sec := range speakerSeconds {
		a, b := sec*capRate+capRate/5, (sec+1)*capRate-capRate/5
		if b > len(heard) {
			break
		}
		f := audiotest.DominantFreq(heard[a:b], capRate)
		if want := fx.FreqAt(sec); f < want-fixtures.Tolerance || f > want+fixtures.Tolerance {
			t.Errorf("second %d: heard %.1f Hz, want %.1f", sec, f, want)
		}
	}
	if gaps := audiotest.Gaps(heard, capRate, 0.01); len(gaps) > 0 {
		t.Errorf("silent gaps at %v s", gaps)
	}
}

// TestSpeakerChild runs in the child process TestSpeaker starts: it plays
// the first seconds of a fixture through NewSpeaker and the Player.
func TestSpeakerChild(t *testing.T) {
	if os.Getenv(speakerChildEnv) == "" {
		t.Skip("run by TestSpeaker")
	}
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
	out, err := NewSpeaker(44100, 0, log)
	if err != nil {
		t.Fatal(err)
	}
	p, lib := speakerPlayer(t, out, log)
	p.PlayNow([]Track{{FileID: 1, Name: "a128.mp3"}})
	poll.Until(t, "the track to play", func() bool { return len(lib.openedIDs()) == 1 && p.Status().State == Playing })
	poll.Until(t, "the track to end", func() bool { return p.Status().State == Stopped })
	// The last samples were pulled, not yet heard: wait a buffer.
	time.Sleep(2 * out.Latency())
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

// speakerPlayer is a Player on out whose track 1 is the first
// speakerSeconds of the a128 fixture, decoded.
func speakerPlayer(t *testing.T, out Output, log *slog.Logger) (*Player, *fakeLib) {
	t.Helper()
	fx := fixtures.Get("a128")
	pcm, srcRate, err := audiotest.DecodeMP3(fx.Data())
	if err != nil {
		t.Fatal(err)
	}
	const skip = 2257 // Info frame + encoder and decoder delay (see fixtures)
	n := speakerSeconds * srcRate
	if len(pcm) < skip+n {
		t.Fatalf("fixture decodes to %d samples", len(pcm))
	}
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack {
			return &fakeTrack{rate: srcRate, total: n, val: func(i int) float64 { return pcm[skip+i] }}
		},
	}}
	p, err := newPlayer(Config{Links: noLinks{}, Output: out, Volume: 100, Logger: log}, lib.open)
	if err != nil {
		t.Fatal(err)
	}
	return p, lib
}

// waitStatusOf polls p's status until cond holds, and returns it.
func waitStatusOf(t *testing.T, p *Player, what string, cond func(Status) bool) Status {
	t.Helper()
	var st Status
	poll.Until(t, what, func() bool { st = p.Status(); return cond(st) })
	return st
}

// TestSpeakerReleaseChild runs in the child process TestSpeakerReleased
// starts: as TestSpeakerChild, with a pause in the middle of the second
// second that outlasts releaseAfter (the device is released); the device
// is gone when play resumes, then back, then the rest plays.
func TestSpeakerReleaseChild(t *testing.T) {
	if os.Getenv(speakerChildEnv) == "" {
		t.Skip("run by TestSpeakerReleased")
	}
	logs := &syncbuf.Buffer{}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(os.Stdout, logs), &slog.HandlerOptions{Level: slog.LevelDebug}))
	out, err := NewSpeaker(44100, 0, log)
	if err != nil {
		t.Fatal(err)
	}
	out.(*speakerOutput).releaseAfter = 100 * time.Millisecond
	p, lib := speakerPlayer(t, out, log)
	p.PlayNow([]Track{{FileID: 1, Name: "a128.mp3"}})
	poll.Until(t, "the track to play", func() bool { return len(lib.openedIDs()) == 1 && p.Status().State == Playing })
	poll.Until(t, "1.5 s played", func() bool { return p.Status().Position >= 1500*time.Millisecond })
	p.Pause()
	poll.Until(t, "the device to be released", func() bool { return strings.Contains(logs.String(), "speaker released") })

	// Meanwhile the device went away (ALSA reads its configuration again
	// when it changes): play says so, and goes on once it is back.
	conf := os.Getenv("ALSA_CONFIG_PATH")
	good, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("</usr/share/alsa/alsa.conf>\npcm.!default { type hw card 9 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.Play()
	st := waitStatusOf(t, p, "the device's trouble said", func(st Status) bool { return strings.Contains(st.Err, "sound device can't play") })
	t.Logf("status while the device is gone: %s at %v: %q", st.State, st.Position, st.Err)
	if err := os.WriteFile(conf, good, 0o644); err != nil {
		t.Fatal(err)
	}
	// ALSA compares whole seconds of the file's time: make it another.
	later := time.Now().Add(5 * time.Second)
	if err := os.Chtimes(conf, later, later); err != nil {
		t.Fatal(err)
	}
	waitStatusOf(t, p, "the trouble to clear", func(st Status) bool { return st.Err == "" })
	poll.Until(t, "the track to end", func() bool { return p.Status().State == Stopped })
	time.Sleep(2 * out.Latency()) // the last samples were pulled, not yet heard
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestSpeakerNoDevice: with no usable ALSA device NewSpeaker says so in one
// sentence wrapping ErrNoDevice, and libasound's chatter stays off stderr.
func TestSpeakerNoDevice(t *testing.T) {
	if os.Getenv(speakerChildEnv) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte("</usr/share/alsa/alsa.conf>\npcm.!default { type hw card 9 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "ALSA_CONFIG_PATH=") || strings.HasPrefix(kv, "XDG_RUNTIME_DIR=")
	})
	env = append(env, "ALSA_CONFIG_PATH="+conf, speakerChildEnv+"=nodevice")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSpeakerNoDeviceChild$", "-test.v", "-test.count=1")
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "--- PASS: TestSpeakerNoDeviceChild") {
		t.Fatalf("child did not pass:\n%s", stdout.String())
	}
	if strings.Contains(stderr.String(), "ALSA") {
		t.Errorf("libasound wrote to stderr:\n%s", stderr.String())
	}
}

func TestSpeakerNoDeviceChild(t *testing.T) {
	if os.Getenv(speakerChildEnv) != "nodevice" {
		t.Skip("run by TestSpeakerNoDevice")
	}
	var log bytes.Buffer
	_, err := NewSpeaker(44100, 0, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if !errors.Is(err, ErrNoDevice) {
		t.Fatalf("NewSpeaker with no device: %v, want ErrNoDevice", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "--output null") || !strings.Contains(msg, "XDG_RUNTIME_DIR") || strings.Count(msg, ". ") > 0 {
		t.Errorf("error %q: want one sentence naming XDG_RUNTIME_DIR and --output null", msg)
	}
	if _, err2 := NewSpeaker(44100, 0, nil); !errors.Is(err2, ErrNoDevice) {
		t.Errorf("second NewSpeaker: %v, want the same ErrNoDevice", err2)
	}
	t.Logf("error: %v", err)
}

// TestSpeakerNoLibrary: on a machine without libasound (here
// PCPLAY_LIBASOUND names a library that is not there, or one that lacks
// ALSA's functions) NewSpeaker says so in one sentence wrapping
// ErrNoDevice, naming the library and --output null, and nothing crashes.
func TestSpeakerNoLibrary(t *testing.T) {
	if os.Getenv(speakerChildEnv) != "" {
		t.Skip("in the child")
	}
	for _, lib := range []string{"libasound-not-here.so.2", "libm.so.6"} {
		t.Run(lib, func(t *testing.T) {
			env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, alsaLibEnv+"=") })
			env = append(env, alsaLibEnv+"="+lib, speakerChildEnv+"=nolibrary")
			cmd := exec.Command(os.Args[0], "-test.run=^TestSpeakerNoLibraryChild$", "-test.v", "-test.count=1")
			cmd.Env = env
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("child: %v\n%s\n%s", err, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), "--- PASS: TestSpeakerNoLibraryChild") {
				t.Fatalf("child did not pass:\n%s", stdout.String())
			}
			t.Logf("child:\n%s", stdout.String())
		})
	}
}

func TestSpeakerNoLibraryChild(t *testing.T) {
	if os.Getenv(speakerChildEnv) != "nolibrary" {
		t.Skip("run by TestSpeakerNoLibrary")
	}
	lib := os.Getenv(alsaLibEnv)
	var log bytes.Buffer
	_, err := NewSpeaker(44100, 0, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if !errors.Is(err, ErrNoDevice) {
		t.Fatalf("NewSpeaker without libasound: %v, want ErrNoDevice", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "--output null") || !strings.Contains(msg, lib) || !strings.Contains(msg, "libasound2") || strings.Count(msg, ". ") > 0 {
		t.Errorf("error %q: want one sentence naming %s, the package libasound2 and --output null", msg, lib)
	}
	if !strings.Contains(log.String(), "cannot load ALSA's library") || !strings.Contains(log.String(), lib) {
		t.Errorf("the log does not say why:\n%s", log.String())
	}
	if _, err2 := NewSpeaker(44100, 0, nil); err2 == nil || err2.Error() != msg {
		t.Errorf("second NewSpeaker: %v, want the same error", err2)
	}
	t.Logf("error: %v\nlog: %s", err, log.String())
}
