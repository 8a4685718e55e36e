package host

import (
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/player"
)

// OutputRate is the one rate the output runs at; tracks of another rate
// are resampled (the speaker can be opened once per process).
const OutputRate = 44100

// playerGCPercent is the GC target of the process that plays ($GOGC, when
// set, wins). go-mp3 allocates about 2 MB a second, so the heap sits near
// its GC target: bench/players.sh measured the engine's RSS 26.0 → 23.4 MB
// at 50 (anon 11.8 → 9.1 MB), and its CPU within the run-to-run noise.
const playerGCPercent = 50

// newPlayer opens the output and makes the player on it.
func newPlayer(s config.Settings, links player.LinkSource, logger *slog.Logger) (*player.Player, error) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(playerGCPercent)
	}
	out, err := openOutput(s, logger)
	if err != nil {
		return nil, err
	}
	p, err := player.New(player.Config{
		Links:       links,
		Output:      out,
		Bitrate:     s.Bitrate,
		AutoBitrate: s.AutoBitrate,
		Volume:      s.Volume,
		Logger:      logger,
	})
	if err != nil {
		out.Close()
		return nil, err
	}
	return p, nil
}

// openOutput opens where the sound goes. The speaker says in one sentence
// why it can't play (no device, or an SSH login with no sound session).
func openOutput(s config.Settings, logger *slog.Logger) (player.Output, error) {
	switch s.Output {
	case "null":
		return player.NewNull(OutputRate), nil
	case "speaker", "":
		return player.NewSpeaker(OutputRate, s.SpeakerBuffer, logger)
	default:
		if p, ok := strings.CutPrefix(s.Output, config.PipePrefix); ok {
			return player.NewPipe(p, OutputRate, logger)
		}
		return player.NewWAV(s.Output, OutputRate)
	}
}
