package config

import (
	"fmt"
	"log/slog"
	"sort"
	"strings"
)

// String describes the settings for a debug log. The token is never shown,
// only whether there is one and where it came from. fmt's %v and %+v use it.
func (s Settings) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "api_url=%q region=%s bitrate=%d volume=%d output=%q speaker_buffer=%s start_folder=%q",
		s.APIURL, s.Region, s.Bitrate, s.Volume, s.Output, s.SpeakerBuffer, s.StartFolder)
	fmt.Fprintf(&b, " foreground=%v idle_exit=%s config=%q log=%q demo=%v token=%s",
		s.Foreground, s.IdleExit, s.ConfigPath, s.LogPath, s.Demo, s.tokenDesc())
	if len(s.Keys) > 0 {
		actions := make([]string, 0, len(s.Keys))
		for a := range s.Keys {
			actions = append(actions, a)
		}
		sort.Strings(actions)
		fmt.Fprintf(&b, " rebound=%s", strings.Join(actions, ","))
	}
	return b.String()
}

// LogValue makes slog show the settings without the token.
func (s Settings) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("api_url", s.APIURL),
		slog.String("region", s.Region),
		slog.Int("bitrate", s.Bitrate),
		slog.Int("volume", s.Volume),
		slog.String("output", s.Output),
		slog.Duration("speaker_buffer", s.SpeakerBuffer),
		slog.String("start_folder", s.StartFolder),
		slog.Bool("foreground", s.Foreground),
		slog.Duration("idle_exit", s.IdleExit),
		slog.String("config", s.ConfigPath),
		slog.String("log", s.LogPath),
		slog.Bool("demo", s.Demo),
		slog.String("token", s.tokenDesc()),
		slog.Int("rebound_actions", len(s.Keys)),
	)
}

func (s Settings) tokenDesc() string {
	if s.Token == "" {
		return "none"
	}
	src := s.TokenSource
	if src == "" {
		src = "set"
	}
	if s.TokenKind != "" {
		return src + "/" + s.TokenKind + " (hidden)"
	}
	return src + " (hidden)"
}
