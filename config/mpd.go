package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// The MPD server of the engine (the mpd package): where it listens and its
// password.
const (
	// DefaultMPDListen is mpd_listen's default: MPD's port, this machine
	// only.
	DefaultMPDListen = "localhost:6600"
	// MPDOff is the mpd_listen that turns the MPD server off.
	MPDOff = "off"
	// EnvMPDListen wins over the file's mpd_listen.
	EnvMPDListen = "PCPLAY_MPD_LISTEN"
	// MaxMPDPassword bounds mpd_password (MPD's lines are 64 KiB).
	MaxMPDPassword = 256
)

// mpdListenHelp is what mpd_listen takes, after "must be".
const mpdListenHelp = `"host:port" (e.g. "localhost:6600", ":6600" for every interface), "unix:/path/to/socket" or "off"`

// checkMPDListen checks an mpd_listen: "off", "unix:PATH" (an absolute
// path), or host:port with a port 1..65535.
func checkMPDListen(s string) (string, string) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, MPDOff) {
		return MPDOff, ""
	}
	if p, ok := strings.CutPrefix(s, "unix:"); ok {
		if !strings.HasPrefix(p, "/") || strings.ContainsRune(p, 0) || len(p) > 100 {
			return "", "a unix socket needs an absolute path of at most 100 bytes, e.g. \"unix:/run/user/1000/pcplay-mpd.sock\""
		}
		return s, ""
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil || strings.ContainsAny(host, " \t/") {
		return "", "must be " + mpdListenHelp
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Sprintf("the port %q must be a number between 1 and 65535", clip(port))
	}
	return s, ""
}

// MPDLoopback reports whether an mpd_listen is reachable from this machine
// only: a unix socket, localhost or a loopback address.
func MPDLoopback(listen string) bool {
	if strings.HasPrefix(listen, "unix:") || listen == MPDOff {
		return true
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// MPDExposed is the sentence refusing an mpd_listen beyond this machine
// without an mpd_password; "" when the two are fine together.
func MPDExposed(listen, password string) string {
	if password != "" || MPDLoopback(listen) {
		return ""
	}
	return fmt.Sprintf("mpd_listen %q lets other machines control pcplay: set mpd_password in the config file too, or listen on localhost", listen)
}

// mpd applies mpd_listen and mpd_password.
func (a *fileApplier) mpd(key string, p toml.Primitive, v any) {
	str, ok := v.(string)
	switch key {
	case "mpd_listen":
		l, msg := checkMPDListen(str)
		switch {
		case !ok:
			a.fail(p, key, "mpd_listen = %s: must be %s", tomlValue(v), mpdListenHelp)
		case msg != "":
			a.fail(p, key, "mpd_listen = %q: %s", shown(str), msg)
		default:
			a.s.MPDListen = l
		}
	case "mpd_password":
		switch {
		case !ok || len(str) > MaxMPDPassword || strings.ContainsAny(str, "\r\n\x00"):
			// The value is a secret: never shown.
			a.fail(p, key, "mpd_password must be a string of at most %d bytes on one line", MaxMPDPassword)
		default:
			a.s.MPDPassword = str
		}
	}
}

// applyMPD applies PCPLAY_MPD_LISTEN over the file's mpd_listen, then
// refuses a listen address beyond this machine without a password.
func applyMPD(s *Settings, getenv func(string) string) error {
	if raw := getenv(EnvMPDListen); strings.TrimSpace(raw) != "" {
		l, msg := checkMPDListen(raw)
		if msg != "" {
			return &UsageError{Msg: fmt.Sprintf("%s=%s: %s", EnvMPDListen, shown(raw), msg)}
		}
		s.MPDListen = l
	}
	if msg := MPDExposed(s.MPDListen, s.MPDPassword); msg != "" {
		return &UsageError{Msg: msg}
	}
	return nil
}
