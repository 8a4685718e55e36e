package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A bad value is refused before the UI starts: exit status 2 and one
// sentence on stderr naming the flag and what is allowed.
func TestBadValuesRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cases := []struct {
		args []string
		want []string // words the sentence must hold
	}{
		{[]string{"--bitrate", "500"}, []string{"--bitrate", "500", "16", "320"}},
		{[]string{"--region", "mars"}, []string{"--region", "mars", "us", "eu"}},
		{[]string{"--api-url", "http://example.com"}, []string{"--api-url", "http://example.com", "loopback", "https"}},
		{[]string{"--output", "foo.mp3"}, []string{"--output", "foo.mp3", "speaker", "null", ".wav"}},
		{[]string{"frob"}, []string{"frob", "login", "logout"}},
		{[]string{"--no-such-flag"}, []string{"no-such-flag"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := w.run("", c.args...)
			if r.code != 2 {
				t.Errorf("exit status %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout should be empty (no UI), got %q", r.stdout)
			}
			msg := strings.TrimSpace(r.stderr)
			if strings.Contains(msg, "\n") && c.args[0] != "--no-such-flag" {
				t.Errorf("want one sentence, got several lines:\n%s", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("the message %q does not mention %q", msg, w)
				}
			}
			if strings.Contains(msg, "\x1b[") {
				t.Errorf("the message has terminal escapes: %q", msg)
			}
		})
	}
}

// A bad value in the environment or in the config file is refused too (the
// file's with its path and line); a flag wins over the environment.
func TestBadValueFromEnvAndConfig(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// logout with no saved login does nothing but check the settings.
	w.setenv("PCPLAY_BITRATE", "999")
	r := w.run("", "logout")
	if r.code != 2 || !strings.Contains(r.stderr, "PCPLAY_BITRATE=999") {
		t.Errorf("PCPLAY_BITRATE=999: exit %d, stderr %q; want 2 naming the variable and value", r.code, r.stderr)
	}
	if r = w.run("", "--bitrate", "128", "logout"); r.code != 0 {
		t.Errorf("--bitrate 128 should win over PCPLAY_BITRATE=999: exit %d, stderr %q", r.code, r.stderr)
	}
	w.setenv("PCPLAY_BITRATE", "")

	cfg := w.path("config", "pcplay", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("# mine\nbitrate = 1000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = w.run("", "logout")
	if r.code != 2 || !strings.Contains(r.stderr, "config.toml:2") {
		t.Errorf("config bitrate = 1000: exit %d, stderr %q; want 2 naming the file and line", r.code, r.stderr)
	}
}

func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := w.run("", "--help")
	if r.code != 0 {
		t.Fatalf("--help: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{
		"--api-url", "--region", "--bitrate", "--output", "--config", "--log", "--demo", "--foreground",
		"PCLOUD_TOKEN", "PCPLAY_API_URL",
		"login", "logout",
		// the config file's path as it is for this HOME
		filepath.Join(w.home, "config", "pcplay", "config.toml"),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--help does not mention %q:\n%s", want, r.stdout)
		}
	}
	r = w.run("", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "pcplay ") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("--version: exit %d, stdout %q; want one line \"pcplay VERSION\"", r.code, r.stdout)
	}
}

// pcplay login --password reads the e-mail and the password from stdin, saves the
// token (0600 in a 0700 directory) and pcplay logout revokes it with pCloud
// and deletes the file.
func TestLoginLogout(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := w.login()
	if strings.Contains(r.stdout+r.stderr, password) {
		t.Errorf("login printed the password: %q %q", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, email) {
		t.Errorf("login should say who is logged in, printed %q", r.stdout)
	}
	fi, err := os.Stat(w.tokenFile())
	if err != nil {
		t.Fatalf("no token file after login: %v", err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("token file mode %o, want 600", m)
	}
	di, err := os.Stat(filepath.Dir(w.tokenFile()))
	if err != nil {
		t.Fatal(err)
	}
	if m := di.Mode().Perm(); m != 0o700 {
		t.Errorf("token directory mode %o, want 700", m)
	}
	b, err := os.ReadFile(w.tokenFile())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), password) {
		t.Error("the token file holds the password")
	}
	var saved map[string]any
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatalf("token file is not JSON: %v", err)
	}
	if len(w.srv.Calls("login")) == 0 {
		t.Errorf("login never called the login method; the fake saw:\n%s", w.logText())
	}

	r = w.run("", "--api-url", w.api, "logout")
	if r.code != 0 {
		t.Fatalf("logout: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	lo := w.srv.Calls("logout")
	if len(lo) != 1 || lo[0].Result != 0 {
		t.Fatalf("the fake saw %d successful logout calls, want 1; its log:\n%s", len(lo), w.logText())
	}
	if _, err := os.Stat(w.tokenFile()); !os.IsNotExist(err) {
		t.Errorf("the token file is still there after logout (%v)", err)
	}
	// The token really is revoked: a second logout has nothing to do.
	r = w.run("", "--api-url", w.api, "logout")
	if r.code != 0 || !strings.Contains(r.stdout, "Not logged in") {
		t.Errorf("second logout: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestLoginWrongPassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := w.run(email+"\nnot the password\n", "--api-url", w.api, "login", "--password")
	if r.code != 1 {
		t.Errorf("exit status %d, want 1", r.code)
	}
	msg := strings.TrimSpace(r.stderr)
	if !strings.Contains(msg, "Wrong e-mail or password") || strings.Count(msg, "\n") != 0 {
		t.Errorf("want the 2000 sentence on one line, got %q", msg)
	}
	if strings.Contains(r.stdout+r.stderr, "not the password") {
		t.Error("the password was printed")
	}
	if _, err := os.Stat(w.tokenFile()); !os.IsNotExist(err) {
		t.Errorf("a token file exists after a failed login (%v)", err)
	}
}

func TestLoginTwoFactor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := w.run(tfaEmail+"\n"+password+"\n"+tfaCode+"\n", "--api-url", w.api, "login", "--password")
	if r.code != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "two-factor") {
		t.Errorf("the code was not asked for (a script gets the sentence, not the prompt): %q", r.stdout)
	}
	if len(w.srv.Calls("tfa_login")) != 1 {
		t.Errorf("want one tfa_login call; the fake saw:\n%s", w.logText())
	}
	if _, err := os.Stat(w.tokenFile()); err != nil {
		t.Errorf("no token saved after the 2FA login: %v", err)
	}

	// A wrong code fails with a sentence and saves nothing.
	w2 := newWorld(t)
	r = w2.run(tfaEmail+"\n"+password+"\n000000\n", "--api-url", w2.api, "login", "--password")
	if r.code != 1 || !strings.Contains(r.stderr, "code is wrong") {
		t.Errorf("wrong code: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(w2.tokenFile()); !os.IsNotExist(err) {
		t.Errorf("a token file exists after a wrong code (%v)", err)
	}
}

// With no sound device pcplay says so in one sentence before the UI,
// suggests --output null and exits 3, in every mode (the engine's reason
// reaches the pcplay that started it); libasound's own complaints don't
// reach the terminal. XDG_RUNTIME_DIR is unset, as over SSH.
func TestNoSoundDevice(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	alsa := w.path("asound.conf")
	// ALSA's own configuration, with the default PCM and control on a card
	// that does not exist.
	conf := "pcm.!default { type hw card 97 }\nctl.!default { type hw card 97 }\n"
	if _, err := os.Stat("/usr/share/alsa/alsa.conf"); err == nil {
		conf = "</usr/share/alsa/alsa.conf>\n" + conf
	}
	if err := os.WriteFile(alsa, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	w.setenv("ALSA_CONFIG_PATH", alsa)
	w.setenv("XDG_RUNTIME_DIR", "")
	w.setenv("PULSE_SERVER", "")
	w.setenv("PCLOUD_TOKEN", w.srv.Token(email))

	modes := []struct {
		name string
		args []string
	}{
		{"foreground", []string{"--foreground", "--api-url", w.api}},
		{"demo", []string{"--demo"}},
		{"engine", []string{"--api-url", w.api}}, // the engine says why; the pcplay that started it says it
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			logFile := w.path("speaker-" + mode.name + ".log")
			tm := w.start(append([]string{"--output", "speaker", "--log", logFile}, mode.args...)...)
			code := tm.wait()
			out := tm.output()
			// libasound did complain (into the log), so its absence from
			// the terminal means something.
			if log, _ := os.ReadFile(logFile); !strings.Contains(string(log), "ALSA lib") {
				t.Errorf("libasound said nothing into the log: this test no longer provokes it; log:\n%s", log)
			}
			if code != 3 {
				t.Errorf("exit status %d with no sound device, want 3; output %q", code, out)
			}
			if strings.Contains(out, "\x1b[?1049h") {
				t.Errorf("the UI started before the sound device was checked; output %q", tail(out, 300))
			}
			if strings.Contains(out, "ALSA lib") || strings.Contains(out, "snd_") {
				t.Errorf("libasound wrote to the terminal: %q", out)
			}
			msg := strings.TrimSpace(strings.ReplaceAll(out, "\r\n", "\n"))
			if !strings.Contains(msg, "--output null") || !strings.Contains(msg, "Running over SSH") || strings.Count(msg, "cannot open the sound device") != 1 {
				t.Errorf("the message does not say the sound device once, suggest --output null and point at Running over SSH: %q", msg)
			}
			if n := strings.Count(msg, "\n"); n > 1 {
				t.Errorf("want one sentence, got %d lines: %q", n+1, msg)
			}
		})
	}
}

// Without a terminal on stdin (here an empty pipe) the UI can't run:
// pcplay says so in a sentence and exits, instead of waiting forever or
// quoting bubbletea's internals.
func TestNoTerminal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setenv("PCLOUD_TOKEN", w.srv.Token(email))
	for _, args := range [][]string{{"--demo", "--output", "null"}, {"--foreground", "--output", "null", "--api-url", w.api}} {
		r := w.run("", args...)
		msg := strings.TrimSpace(r.stderr)
		if r.code == 0 || !strings.Contains(msg, "terminal") || strings.Contains(msg, "bubbletea") || strings.Contains(msg, "epoll") {
			t.Errorf("pcplay %v with stdin not a terminal: exit %d, stderr %q; want a sentence saying it needs a terminal", args, r.code, msg)
		}
	}
}

// A corrupt token file is reported once, and logout still removes it.
func TestLogoutCorruptTokenFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if err := os.MkdirAll(filepath.Dir(w.tokenFile()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.tokenFile(), []byte("{corrupt"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := w.run("", "--api-url", w.api, "logout")
	if n := strings.Count(r.stderr, "not valid JSON"); n != 1 {
		t.Errorf("the corrupt file is reported %d times: %q", n, r.stderr)
	}
	if _, err := os.Stat(w.tokenFile()); !os.IsNotExist(err) {
		t.Errorf("the corrupt token file is still there after logout (%v)", err)
	}
}
