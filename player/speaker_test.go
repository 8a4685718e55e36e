//go:build cgo

package player

import (
	"bytes"
	"context"
	"errors"
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
)

const speakerChildEnv = "PCPLAY_SPEAKER_CHILD"

// speakerSeconds of the fixture are played through the real speaker.
const speakerSeconds = 3

// TestSpeaker plays a fixture through the speaker (player/alsa.go), with ALSA's
// default device routed into a file by a private PulseAudio null sink
// (scripts/alsa-capture), and checks what came out: the fixture's seconds in
// order, at their frequencies, with no gap.
func TestSpeaker(t *testing.T) {
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

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSpeakerChild$", "-test.v", "-test.count=1")
	cmd.Env = env
	var child bytes.Buffer
	cmd.Stdout, cmd.Stderr = &child, &child
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s", err, child.String())
	}
	if !strings.Contains(child.String(), "--- PASS: TestSpeakerChild") {
		t.Fatalf("child did not pass:\n%s", child.String())
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
	got := audiotest.MonoFromFloat32Stereo(raw)
	const capRate = 44100
	first := slices.IndexFunc(got, func(v float64) bool { return v > 0.01 || v < -0.01 })
	if first < 0 {
		t.Fatalf("captured %d samples of silence (files %v)\nchild:\n%s", len(got), files, child.String())
	}
	last := len(got)
	for last > first && got[last-1] > -0.01 && got[last-1] < 0.01 {
		last--
	}
	heard := got[first:last]
	t.Logf("captured %.2f s, %.2f s sounding", float64(len(got))/capRate, float64(len(heard))/capRate)
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
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
	out, err := NewSpeaker(44100, 0, log)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlayer(Config{Links: noLinks{}, Output: out, Volume: 100, Logger: log}, lib.open)
	if err != nil {
		t.Fatal(err)
	}
	p.PlayNow([]Track{{FileID: 1, Name: fx.File}})
	waitFor(t, "the track to play", func() bool { return len(lib.openedIDs()) == 1 && p.Status().State == Playing })
	waitFor(t, "the track to end", func() bool { return p.Status().State == Stopped })
	// The last samples were pulled, not yet heard: wait a buffer.
	time.Sleep(2 * out.Latency())
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
