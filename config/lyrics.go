package config

import (
	"strings"

	"github.com/BurntSushi/toml"
)

// The lyrics settings' environment and default.
const (
	EnvLRCLIBURL     = "PCPLAY_LRCLIB_URL" // LRCLIB's API root (tests)
	DefaultLRCLIBURL = "https://lrclib.net"
)

// LyricsSettings are the lyrics settings.
type LyricsSettings struct {
	// Online: look lyrics up on LRCLIB when pCloud has none (lyrics_online;
	// off by default: it sends the artist and title to a third party).
	Online    bool
	LRCLIBURL string // PCPLAY_LRCLIB_URL; default [DefaultLRCLIBURL]
}

// lyrics applies lyrics_online.
func (a *fileApplier) lyrics(key string, p toml.Primitive, v any) {
	if b, ok := a.boolValue(key, p, v); ok {
		a.s.Lyrics.Online = b
	}
}

// lyricsFromEnv applies PCPLAY_LRCLIB_URL, then the default.
func lyricsFromEnv(s *Settings, getenv func(string) string) error {
	if raw := getenv(EnvLRCLIBURL); raw != "" {
		u, problem := checkAPIURL(raw)
		if problem != "" {
			return &UsageError{Msg: EnvLRCLIBURL + " " + strings.Replace(problem, "https://api.pcloud.com", DefaultLRCLIBURL, 1)}
		}
		s.Lyrics.LRCLIBURL = u
	}
	if s.Lyrics.LRCLIBURL == "" {
		s.Lyrics.LRCLIBURL = DefaultLRCLIBURL
	}
	return nil
}
