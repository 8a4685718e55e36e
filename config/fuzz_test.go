package config

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/pcplay/pcplay/internal/defaults"
)

// FuzzConfigFile: any file content gives settings or a [*UsageError], never a
// panic.
func FuzzConfigFile(f *testing.F) {
	for _, seed := range []string{
		"",
		"bitrate = 128\nregion = \"eu\"\n",
		"[keys]\nnext = [\"n\", \"ctrl+n\"]\nprev = \"p\"\n",
		"keys = 3\n",
		"[keys.next]\na = 1\n",
		"[[keys]]\nnext = 1\n",
		"volume = 1e3\nspeaker_buffer = 5\nidle_exit = 0\n",
		"api_url = \"http://[::1]:80\"\noutput = \"a.wav\"\n",
		"bitrate = 9223372036854775807\n",
		"a.b.c = 1\n\"quoted\" = true\n",
		"start_folder = \"/\\u0000\"\n",
	} {
		f.Add(seed)
	}
	getenv := func(string) string { return "" }
	f.Fuzz(func(t *testing.T, body string) {
		s := Settings{Bitrate: defaults.Bitrate}
		_, err := applyFile(&s, "config.toml", []byte(body), fileOverrides{}, getenv)
		if err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("error %T %v is not a *UsageError", err, err)
			}
			return
		}
		if !defaults.ValidBitrate(s.Bitrate) || s.Volume < 0 || s.Volume > 100 {
			t.Fatalf("accepted out-of-range values: %+v", s)
		}
		for a := range s.Keys {
			if !IsKnownAction(a) {
				t.Fatalf("accepted unknown action %q", a)
			}
		}
	})
}

// FuzzSessionJSON: any session file is loaded valid or refused, never a panic.
func FuzzSessionJSON(f *testing.F) {
	good, _ := json.Marshal(withVersion(sampleSession()))
	f.Add(string(good))
	f.Add(`{"version":1,"index":-1}`)
	f.Add(`{"version":1,"position":1e308}`)
	f.Fuzz(func(t *testing.T, body string) {
		var s Session
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			return
		}
		if s.Validate() != nil {
			return
		}
		if _, err := json.Marshal(s); err != nil {
			t.Fatalf("a valid session does not marshal: %v", err)
		}
	})
}
