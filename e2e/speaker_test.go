//go:build linux

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
)

// TestEngineSpeaker: the binary, built as the releases are (CGO_ENABLED=0;
// see TestMain: purego opens libasound as the speaker opens), plays through
// ALSA's default device into a PulseAudio null sink that records it
// (scripts/alsa-capture): the engine plays the a128 fixture from the fake
// pCloud, and what was recorded is its first seconds, each at its
// frequency, with no gap.
func TestEngineSpeaker(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pulseaudio"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pulseaudio is not installed (scripts/install-deps.sh test installs it)")
		}
		t.Fatal("pulseaudio is not installed; make test-deps should have installed it")
	}
	w := newEngineWorld(t)
	capDir := t.TempDir()
	start, _ := filepath.Abs("../scripts/alsa-capture/start.sh")
	stop, _ := filepath.Abs("../scripts/alsa-capture/stop.sh")
	out, err := exec.Command(start, capDir).Output()
	t.Cleanup(func() { _ = exec.Command(stop, capDir).Run() })
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(capDir, "pulseaudio.log"))
		t.Fatalf("start.sh: %v\n%s", err, log)
	}
	m := regexp.MustCompile(`ALSA_CONFIG_PATH='([^']*)'`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("start.sh printed %q, want ALSA_CONFIG_PATH", out)
	}
	// The world's own HOME and XDG_RUNTIME_DIR hold no PulseAudio
	// server, as start.sh's would not: ALSA's default stays the capture's.
	w.setenv("ALSA_CONFIG_PATH", m[1])
	w.setenv("PULSE_SERVER", "")
	w.flags[1] = "speaker" // --output

	fx := fixtures.Get("a128")
	err = config.SaveSession(w.sessionFile(), config.Session{
		Folder: config.Folder{Path: "/Music/Album"}, Index: 0, Volume: 100, Bitrate: 128,
		Queue: []config.SessionTrack{{FileID: w.ids["a128"], Name: fx.File, Title: fx.Title, Artist: fx.Artist}},
	})
	if err != nil {
		t.Fatal(err)
	}
	w.startEngine()
	w.ctl("play")
	const secs = 3
	poll.Until(t, "3.5 s played", func() bool { return w.status().PositionSeconds >= secs+0.5 })
	w.ctl("pause")
	time.Sleep(time.Second) // the speaker's buffer: written, and heard
	w.stopAll()

	files, _ := filepath.Glob(filepath.Join(capDir, "cap.raw*"))
	slices.Sort(files) // cap.raw, cap.raw.0001, ...
	var raw []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, b...)
	}
	const rate = 44100 // the capture's: float32 stereo
	got := audiotest.MonoFromFloat32Stereo(raw)
	first := slices.IndexFunc(got, func(v float64) bool { return v > 0.01 || v < -0.01 })
	if first < 0 || len(got)-first < secs*rate {
		if b, _ := os.ReadFile(w.path("state", "pcplay", "engine.log")); len(b) > 0 {
			t.Logf("engine log:\n%s", tail(string(b), 3000))
		}
		t.Fatalf("recorded %.2f s, sound from %d: want %d s of sound", float64(len(got))/rate, first, secs)
	}
	heard := got[first : first+secs*rate]
	for sec := range secs {
		f := audiotest.DominantFreq(heard[sec*rate+rate/5:(sec+1)*rate-rate/5], rate)
		if want := fx.FreqAt(sec); f < want-fixtures.Tolerance || f > want+fixtures.Tolerance {
			t.Errorf("second %d: heard %.1f Hz, want %.1f", sec, f, want)
		}
	}
	if gaps := audiotest.Gaps(heard, rate, 0.01); len(gaps) > 0 {
		t.Errorf("silent gaps at %v s", gaps)
	}
	if b, err := os.ReadFile(w.path("state", "pcplay", "engine.log")); err != nil || !strings.Contains(string(b), "speaker opened") {
		t.Errorf("the engine log does not say the speaker opened (%v)", err)
	}
}

// TestNoALSALibrary: on a machine without libasound (PCPLAY_LIBASOUND
// names a library that is not there) the binary says so in one sentence
// that names the library and --output null, and exits 3, as with no sound
// device; it does not crash.
func TestNoALSALibrary(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setenv("PCPLAY_LIBASOUND", "libasound-not-here.so.2")
	tm := w.start("--demo", "--output", "speaker")
	code := tm.wait()
	msg := strings.TrimSpace(strings.ReplaceAll(tm.output(), "\r\n", "\n"))
	if code != 3 {
		t.Errorf("exit status %d without libasound, want 3; output %q", code, msg)
	}
	if !strings.Contains(msg, "libasound-not-here.so.2 is not installed") || !strings.Contains(msg, "--output null") ||
		strings.Count(msg, "cannot open the sound device") != 1 || strings.Count(msg, "\n") > 0 {
		t.Errorf("want one sentence naming the library and --output null: %q", msg)
	}
	if strings.Contains(msg, "panic") || strings.Contains(msg, "SIG") {
		t.Errorf("it crashed: %q", msg)
	}
}
