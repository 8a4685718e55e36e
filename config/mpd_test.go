package config

import (
	"errors"
	"strings"
	"testing"
)

func TestMPDSettings(t *testing.T) {
	e := newTestEnv(t)
	if s := e.mustLoad(t); s.MPDListen != DefaultMPDListen || s.MPDPassword != "" {
		t.Fatalf("defaults: mpd_listen %q, password set %v; want %q and none", s.MPDListen, s.MPDPassword != "", DefaultMPDListen)
	}
	e.writeConfig(t, "mpd_listen = \"unix:/run/pcplay-mpd.sock\"\n")
	if s := e.mustLoad(t); s.MPDListen != "unix:/run/pcplay-mpd.sock" {
		t.Errorf("unix socket: got %q", s.MPDListen)
	}
	e.writeConfig(t, "mpd_listen = \"Off\"\n")
	if s := e.mustLoad(t); s.MPDListen != MPDOff {
		t.Errorf("Off: got %q", s.MPDListen)
	}
	// The environment wins over the file.
	e.writeConfig(t, "mpd_listen = \"off\"\n")
	e.vars[EnvMPDListen] = "127.0.0.1:16600"
	if s := e.mustLoad(t); s.MPDListen != "127.0.0.1:16600" {
		t.Errorf("%s over the file: got %q", EnvMPDListen, s.MPDListen)
	}
	// Beyond loopback: only with a password.
	e.vars[EnvMPDListen] = ":6600"
	_, _, err := e.load(t)
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "mpd_password") {
		t.Fatalf(":6600 without a password: %v; want a usage error asking for mpd_password", err)
	}
	e.writeConfig(t, "mpd_password = \"s3cret-pw\"\n")
	if s := e.mustLoad(t); s.MPDListen != ":6600" || s.MPDPassword != "s3cret-pw" {
		t.Errorf(":6600 with a password: listen %q", s.MPDListen)
	}
	if strings.Contains(e.mustLoad(t).String(), "s3cret-pw") {
		t.Error("the settings' description shows the MPD password")
	}
}

func TestMPDSettingsRefused(t *testing.T) {
	for _, c := range []struct{ file, env, want string }{
		{file: "mpd_listen = 6600\n", want: "mpd_listen = 6600: must be"},
		{file: "mpd_listen = \"localhost:99999\"\n", want: "port"},
		{file: "mpd_listen = \"unix:relative.sock\"\n", want: "absolute path"},
		{file: "mpd_password = 12\n", want: "mpd_password must be a string"},
		{env: "nonsense", want: EnvMPDListen + "=nonsense: must be"},
	} {
		e := newTestEnv(t)
		if c.file != "" {
			e.writeConfig(t, c.file)
		}
		if c.env != "" {
			e.vars[EnvMPDListen] = c.env
		}
		_, _, err := e.load(t)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(ue.Msg, c.want) {
			t.Errorf("%q / env %q: %v; want a usage error with %q", c.file, c.env, err, c.want)
		}
	}
}
