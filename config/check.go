package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/defaults"
)

// layer applies one source (command line or environment) and keeps its
// first error.
type layer struct {
	getenv func(string) string
	err    error
}

// fromFlag applies the flag f (when given) to dst through check; a bad
// value is l's error, naming the flag ("--region mars: ...").
func fromFlag[T any](l *layer, f *stringFlag, name string, dst *T, check func(string) (T, string)) {
	if l.err != nil || !f.set {
		return
	}
	v, msg := check(f.v)
	if msg != "" {
		l.err = &UsageError{Msg: fmt.Sprintf("%s %s: %s", name, shown(f.v), msg)}
		return
	}
	*dst = v
}

// fromEnv applies raw, the value of environment variable name, unless its
// flag was given; a value taken marks the flag as given so that the file
// does not override it.
func fromEnv[T any](l *layer, name, raw string, f *stringFlag, dst *T, check func(string) (T, string)) {
	if l.err != nil || f.set || raw == "" {
		return
	}
	v, msg := check(raw)
	if msg != "" {
		l.err = &UsageError{Msg: fmt.Sprintf("%s=%s: %s", name, shown(raw), msg)}
		return
	}
	*dst, f.set = v, true
}

func (l *layer) checkOutput(s string) (string, string) { return checkOutput(s, l.getenv) }

// The checks return the value to keep and, when the value is bad, the part of
// the sentence after the name ("must be between 16 and 320 kbit/s").

// checkIdleExit is PCPLAY_IDLE_EXIT's check: a duration such as "30m",
// or "0" for never, as the file's idle_exit.
func checkIdleExit(s string) (time.Duration, string) {
	d, ok := durationValue(s)
	if !ok {
		return 0, idleExitRange(-1)
	}
	return d, idleExitRange(d)
}

// idleExitRange is what is wrong with an idle exit of d ("" when nothing).
func idleExitRange(d time.Duration) string {
	if d < 0 || (d > 0 && d < MinIdleExit) || d > MaxIdleExit {
		return fmt.Sprintf(`must be a duration between %q and %q, or "0" for never`, shortDuration(MinIdleExit), shortDuration(MaxIdleExit))
	}
	return ""
}

func checkBitrate(s string) (int, string) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Sprintf("must be a whole number between %d and %d kbit/s", defaults.MinBitrate, defaults.MaxBitrate)
	}
	if msg := bitrateRange(int64(n)); msg != "" {
		return 0, msg
	}
	return n, ""
}

func bitrateRange(n int64) string {
	if n < defaults.MinBitrate || n > defaults.MaxBitrate {
		return fmt.Sprintf("must be between %d and %d kbit/s", defaults.MinBitrate, defaults.MaxBitrate)
	}
	return ""
}

func checkRegion(s string) (string, string) {
	switch r := strings.ToLower(strings.TrimSpace(s)); r {
	case "us", "eu", "auto":
		return r, ""
	}
	return "", "must be us, eu or auto"
}

func checkOutput(s string, getenv func(string) string) (string, string) {
	switch s {
	case "speaker", "null":
		return s, ""
	}
	const allowed = "must be speaker, null, a FILE.wav or pipe:PATH"
	if p, ok := strings.CutPrefix(s, PipePrefix); ok {
		// A FIFO for snapserver (player.NewPipe makes it when missing).
		if strings.TrimSpace(p) == "" {
			return "", "pipe: needs the path of a FIFO, such as pipe:/tmp/snapfifo"
		}
		p = expandHome(p, getenv)
		if dir := filepath.Dir(p); dir != "." {
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				return "", fmt.Sprintf("directory %s does not exist (%s)", dir, allowed)
			}
		}
		return PipePrefix + p, ""
	}
	if !strings.EqualFold(filepath.Ext(s), ".wav") || len(s) <= len(".wav") {
		return "", allowed
	}
	p := expandHome(s, getenv)
	if dir := filepath.Dir(p); dir != "." {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return "", fmt.Sprintf("directory %s does not exist (%s)", dir, allowed)
		}
	}
	return p, ""
}

// checkAPIURL accepts https URLs, and http ones only for loopback hosts.
func checkAPIURL(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "" // by region
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", "must be an https:// URL such as https://api.pcloud.com"
	}
	if u.User != nil {
		return "", "must not contain a user name or password"
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", "must not have a query string or fragment"
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return "", "plain http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https"
	}
	return strings.TrimRight(s, "/"), ""
}

// IsLoopbackHost reports whether host (a name or an IP address, without a
// port) is localhost or a loopback address (127.0.0.0/8, ::1).
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// shown is a value as an error message may show it: clipped, and for URLs
// without user info or query string (which could carry a token).
func shown(s string) string {
	if s == "" {
		return `""`
	}
	if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.Host != "" {
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			u.User = nil
			q := u.RawQuery != "" || u.Fragment != ""
			u.RawQuery, u.Fragment = "", ""
			out := u.String()
			if q {
				out += "?…"
			}
			return clip(out)
		}
	}
	return clip(s)
}

func displayDefaultPath() string {
	p, err := DefaultPath()
	if err != nil {
		return "$XDG_CONFIG_HOME/pcplay/config.toml"
	}
	return p
}
