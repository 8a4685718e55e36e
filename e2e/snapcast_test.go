//go:build unix

package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/poll"
)

// needTools fails the test on CI when a tool is missing, skips it elsewhere.
func needTools(t *testing.T, pkg string, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing on CI: install it (apt-get install %s)", tool, pkg)
			}
			t.Skipf("%s is not installed (apt-get install %s)", tool, pkg)
		}
	}
}

// freePorts are n TCP ports free on the loopback now.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// startProc starts a program of the test (not pcplay) with env, its
// output in a log file shown when the test fails; it is stopped at the end.
func startProc(t *testing.T, env []string, logPath string, name string, args ...string) *proc {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	c := exec.Command(name, args...)
	c.Env = env
	c.Stdout, c.Stderr = logf, logf
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: c, done: make(chan struct{})}
	go func() { c.Wait(); logf.Close(); close(p.done) }()
	t.Cleanup(func() {
		syscall.Kill(-c.Process.Pid, syscall.SIGTERM)
		if !poll.Eventually(10*time.Second, p.exited) {
			syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
			<-p.done
		}
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			if len(b) > 8000 {
				b = b[len(b)-8000:]
			}
			t.Logf("%s said:\n%s", name, b)
		}
	})
	return p
}

// snapRPC is a connection to snapserver's JSON-RPC control port.
type snapRPC struct {
	t  *testing.T
	c  net.Conn
	r  *bufio.Reader
	id int
}

// call sends method with params and returns the result, skipping the
// notifications snapserver sends meanwhile.
func (s *snapRPC) call(method string, params any) json.RawMessage {
	s.t.Helper()
	s.id++
	req, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": s.id, "method": method, "params": params})
	s.c.SetDeadline(time.Now().Add(patience))
	if _, err := s.c.Write(append(req, '\n')); err != nil {
		s.t.Fatalf("snapserver %s: %v", method, err)
	}
	for {
		line, err := s.r.ReadBytes('\n')
		if err != nil {
			s.t.Fatalf("snapserver %s: %v", method, err)
		}
		var m struct {
			ID     *int            `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &m) != nil || m.ID == nil || *m.ID != s.id {
			continue
		}
		if len(m.Error) > 0 {
			s.t.Fatalf("snapserver %s: error %s", method, m.Error)
		}
		return m.Result
	}
}

// snapStatus is what the test reads of Server.GetStatus.
type snapStatus struct {
	Server struct {
		Groups []struct {
			Clients []struct {
				Connected bool `json:"connected"`
			} `json:"clients"`
		} `json:"groups"`
		Streams []struct {
			ID         string `json:"id"`
			Properties struct {
				PlaybackStatus string `json:"playbackStatus"`
				Metadata       struct {
					Title  string   `json:"title"`
					Artist []string `json:"artist"`
				} `json:"metadata"`
			} `json:"properties"`
		} `json:"streams"`
	} `json:"server"`
}

func (s *snapRPC) status() snapStatus {
	s.t.Helper()
	var st snapStatus
	if err := json.Unmarshal(s.call("Server.GetStatus", nil), &st); err != nil {
		s.t.Fatal(err)
	}
	return st
}

// heard is what a recording of the fixtures played, in order: each
// fixture once per stretch, with the first and the last second heard of it.
// A sound shorter than 0.15 s does not count: the first mp3 frames decoded
// after a seek (no bit reservoir yet) can be a short burst of anything.
func heard(pcm []byte) (names []string, first, last map[string]int) {
	first, last = map[string]int{}, map[string]int{}
	for _, r := range audiotest.Runs(audiotest.Timeline(audiotest.MonoFromInt16Stereo(pcm), 44100, 0.1, 0.05)) {
		if r.Fixture == "" || r.Points < 4 {
			continue
		}
		if n := len(names); n == 0 || names[n-1] != r.Fixture {
			names = append(names, r.Fixture)
		}
		if _, ok := first[r.Fixture]; !ok {
			first[r.Fixture] = r.Second
		}
		last[r.Fixture] = r.Second
	}
	return names, first, last
}

// pcplay's engine plays into a FIFO (--output pipe:), a real snapserver
// reads it, a real snapclient plays what it serves into a file: the file
// holds the tracks in order, from where playback waited for snapserver.
// The stream's controlscript is the shipped wrapper of pcplay
// snapcast-plugin: snapserver's status shows the track's title and
// artist, its Stream.Control "next" moves pcplay to the next track, and
// its Stream.SetProperty sets pcplay's volume.
func TestSnapcastPipeAndPlugin(t *testing.T) {
	t.Parallel()
	needTools(t, "snapserver", "snapserver")
	needTools(t, "snapclient", "snapclient")
	w := newEngineWorld(t)
	fifo := w.path("snapfifo")
	w.flags = []string{"--output", "pipe:" + fifo, "--bitrate", "128", "--api-url", w.srv.URL()}
	w.startEngine()

	// No snapserver yet: playback waits where it is, and says so.
	w.ctl("play", "/Music/Album")
	w.ctl("seek", "17")
	waiting := "Waiting for a reader on " + fifo + " (snapserver)"
	poll.Until(t, "the engine to say it waits for snapserver", func() bool {
		st := w.status()
		return strings.HasPrefix(st.Error, waiting) && st.Index == 0 && st.PositionSeconds == 17
	})
	w.ctl("pause") // until snapclient is there to hear it

	ports := freePorts(t, 3)
	stream, control, http := ports[0], ports[1], ports[2]
	wrapper, err := filepath.Abs(filepath.Join("..", "packaging", "pcplay-snapcast-plugin"))
	if err != nil {
		t.Fatal(err)
	}
	conf := w.path("snapserver.conf")
	os.Mkdir(w.path("snapserver"), 0o700)
	err = os.WriteFile(conf, []byte(fmt.Sprintf(`[server]
datadir = %s
[http]
enabled = true
bind_to_address = 127.0.0.1
port = %d
doc_root =
[tcp]
enabled = true
bind_to_address = 127.0.0.1
port = %d
[stream]
bind_to_address = 127.0.0.1
port = %d
source = pipe://%s?name=pcplay&sampleformat=44100:16:2&codec=pcm&controlscript=%s
buffer = 500
[logging]
filter = *:info
`, w.path("snapserver"), http, control, stream, fifo, wrapper)), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	// The plugin runs as snapserver's child: pcplay on its PATH, and the
	// world's directories (where it finds the engine).
	env := slices.Clone(w.env)
	for i, e := range env {
		if p, ok := strings.CutPrefix(e, "PATH="); ok {
			env[i] = "PATH=" + filepath.Dir(bin) + ":" + p
		}
	}
	server := startProc(t, env, w.path("snapserver.log"), "snapserver", "--config", conf)

	var rpc *snapRPC
	poll.Until(t, "snapserver's control port", func() bool {
		if server.exited() {
			t.Fatal("snapserver exited")
		}
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", control))
		if err != nil {
			return false
		}
		rpc = &snapRPC{t: t, c: c, r: bufio.NewReader(c)}
		return true
	})
	defer rpc.c.Close()

	out := w.path("snapclient.pcm")
	startProc(t, env, w.path("snapclient.log"), "snapclient", "--host", "127.0.0.1", "--port", fmt.Sprint(stream),
		"--hostID", "pcplay-e2e", "--player", "file:filename="+out, "--logsink", "stderr")
	poll.Until(t, "snapclient to connect", func() bool {
		for _, g := range rpc.status().Server.Groups {
			for _, c := range g.Clients {
				if c.Connected {
					return true
				}
			}
		}
		return false
	})
	// The plugin found the engine: the stream shows the paused track.
	poll.Until(t, "the stream to show pcplay's track", func() bool {
		for _, s := range rpc.status().Server.Streams {
			if s.ID == "pcplay" && s.Properties.Metadata.Title == "a128" && s.Properties.PlaybackStatus == "paused" {
				return true
			}
		}
		return false
	})

	w.ctl("play")
	poll.Until(t, "b128 to play a second", func() bool {
		st := w.status()
		return st.Error == "" && st.Index == 1 && st.PositionSeconds >= 1
	})
	// snapserver's Stream.Control reaches pcplay through the plugin.
	if res := rpc.call("Stream.Control", map[string]any{"id": "pcplay", "command": "next"}); string(res) != `"ok"` {
		t.Errorf("Stream.Control next answered %s", res)
	}
	poll.Until(t, "pcplay to play the next track", func() bool { return w.status().Index == 2 })
	// And Stream.SetProperty.
	if res := rpc.call("Stream.SetProperty", map[string]any{"id": "pcplay", "property": "volume", "value": 55}); string(res) != `"ok"` {
		t.Errorf("Stream.SetProperty volume answered %s", res)
	}
	poll.Until(t, "pcplay's volume to be 55", func() bool { return w.status().Volume == 55 })
	poll.Until(t, "the stream's metadata to show the tagged track", func() bool {
		for _, s := range rpc.status().Server.Streams {
			m := s.Properties.Metadata
			if s.ID == "pcplay" && m.Title == "Tone Title" && slices.Equal(m.Artist, []string{"Fixture Artist"}) {
				return true
			}
		}
		return false
	})
	// What snapclient played: a128 from where it waited, b128, tagged.
	var (
		names []string
		first map[string]int
		pcm   []byte
	)
	poll.Until(t, "snapclient to play the tagged track", func() bool {
		pcm, err = os.ReadFile(out)
		if err != nil {
			return false
		}
		var last map[string]int
		names, first, last = heard(pcm)
		return last["tagged"] >= 1
	})
	defer func() {
		if t.Failed() {
			t.Logf("snapclient played %v", audiotest.Labels(audiotest.Timeline(audiotest.MonoFromInt16Stereo(pcm), 44100, 0.1, 0.05)))
		}
	}()
	if !slices.Equal(names, []string{"a128", "b128", "tagged"}) {
		t.Errorf("snapclient played %v, want a128, b128, tagged in order", names)
	}
	if first["a128"] != 17 || first["b128"] != 0 || first["tagged"] != 0 {
		t.Errorf("first seconds heard %v, want a128 from 17 (where it waited), b128 and tagged from 0", first)
	}
}

// pcplay snapcast-plugin: its help, an argument refused, snapserver's
// flags taken; a broken config file does not stop it (it only finds the
// engine), and the end of its stdin ends it.
func TestSnapcastPluginCommandLine(t *testing.T) {
	w := newWorld(t)
	for _, args := range [][]string{{"snapcast-plugin", "--help"}, {"help", "snapcast-plugin"}} {
		if r := w.run("", args...); r.code != 0 || !strings.HasPrefix(r.stdout, "usage: pcplay snapcast-plugin") {
			t.Errorf("pcplay %q: exit %d, %q %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := w.run("", "snapcast-plugin", "now"); r.code != 2 || !strings.Contains(r.stderr, "snapcast-plugin takes no argument") {
		t.Errorf("an argument: exit %d, %q", r.code, r.stderr)
	}
	if err := os.MkdirAll(w.path("config", "pcplay"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.path("config", "pcplay", "config.toml"), []byte("bitrate = loud\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := w.run(`{"jsonrpc":"2.0","id":1,"method":"Plugin.Stream.Player.GetProperties"}`+"\n",
		"snapcast-plugin", "--stream=pcplay", "--snapcast-port=1780", "--snapcast-host=localhost")
	if r.code != 0 || !strings.Contains(r.stderr, "the config file is ignored") ||
		!strings.HasPrefix(r.stdout, `{"jsonrpc":"2.0","method":"Plugin.Stream.Ready"}`+"\n"+`{"jsonrpc":"2.0","id":1,"result":{"playbackStatus":"stopped"`) {
		t.Errorf("with no engine and a broken config: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
