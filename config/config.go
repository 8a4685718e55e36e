// Package config gathers pcplay's settings from the command line, the
// environment and the config file (in that order of precedence, over the
// defaults: [Load] makes the [Settings]), and keeps the saved login
// ([SaveLogin], [LoadLogin]) and the session state ([SaveSession],
// [LoadSession]) in private files written atomically ([WriteFileAtomic]).
// It knows where pcplay's files are ([DefaultPath], [TokenPath],
// [StateDir], [SessionPath], [LibraryPath]) and writes the usage text and
// an example config file ([Usage], [ExampleFile]). It imports nothing of
// pcplay but internal/defaults (the shared defaults and ranges): the
// session has its own types, and the root package converts them to and
// from the player's.
//
// Every value a person can get wrong is checked here, before the UI starts,
// and refused with one sentence that names the flag, variable or file line and
// the allowed values (a [*UsageError], and a [*FileError] for a line of the
// file).
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/defaults"
)

// Defaults and limits of the settings only config knows; the bitrate,
// volume and speaker-buffer ones are in internal/defaults, shared with the
// player and the UI.
const (
	DefaultRegion = "auto"
	DefaultOutput = "speaker"
	// PipePrefix starts --output pipe:PATH, raw s16le 44.1 kHz stereo to
	// a FIFO (snapserver's pipe source).
	PipePrefix = "pipe:"

	DefaultIdleExit = 10 * time.Minute
	MinIdleExit     = time.Second // besides 0, which means never
	MaxIdleExit     = 7 * 24 * time.Hour

	DefaultStartFolder = "/"
)

// Environment variables [Load] reads.
const (
	EnvToken   = "PCLOUD_TOKEN"
	EnvAPIURL  = "PCPLAY_API_URL"
	EnvRegion  = "PCPLAY_REGION"
	EnvBitrate = "PCPLAY_BITRATE"
	EnvOutput  = "PCPLAY_OUTPUT"
	EnvConfig  = "PCPLAY_CONFIG"
	// EnvIdleExit wins over the file's idle_exit; the systemd user unit
	// (`pcplay service`) sets it to 0 so that the service's engine stays.
	EnvIdleExit = "PCPLAY_IDLE_EXIT"
	// EnvCLIWait: how long a command-line call (pcplay playlist, ctl
	// add|play PATH) waits for pCloud to answer; playlistcmd reads it.
	EnvCLIWait = "PCPLAY_CLI_WAIT"
	// EnvClientID (PCPLAY_CLIENT_ID) is in clientid.go.
)

// Settings is everything pcplay was asked to do, after flags, environment,
// config file and defaults are merged and checked.
type Settings struct {
	APIURL        string              // "" → by region
	Region        string              // "us" | "eu" | "auto" (auto: try us, then eu)
	Bitrate       int                 // [defaults.MinBitrate]..[defaults.MaxBitrate] kbit/s, default [defaults.Bitrate]
	AutoBitrate   bool                // config auto_bitrate: step down on a slow link (player.Config.AutoBitrate)
	Volume        int                 // 0..100 (0 is silence, not "unset"), default [defaults.Volume]
	Output        string              // "speaker" | "null" | a path ending in .wav | "pipe:" PATH; default "speaker"
	SpeakerBuffer time.Duration       // default 500ms; 10ms..2s
	StartFolder   string              // pCloud path, default "/"
	Foreground    bool                // one process, no background engine
	IdleExit      time.Duration       // engine exits after this long idle; default 10m; 0 never
	ResumePlaying bool                // config resume_playing: a session saved playing starts playing again (else paused)
	Art           string              // config art: auto|kitty|sixel|iterm2|blocks|off (the cover in the i panel), default auto
	Keys          map[string][]string // action (one of [KnownActions]) → keys replacing its defaults; only rebound actions
	ConfigPath    string              // the config file read (or that would be read: it may not exist)
	LogPath       string              // debug log; "" none
	Demo          bool                // built-in demo library, no account, no network
	DemoWorld     string              // --demo=WORLD: the demo's world (internal/demo.Worlds); "": the first
	ClientID      string              // OAuth client_id: PCPLAY_CLIENT_ID, config client_id, or [DefaultClientID]; "" none

	// The music library (config/library.go).
	LibraryFolders []string // library_folders: pCloud paths; none: the whole account
	LibraryVideo   bool     // library_video: index the sound of video files too

	Scrobble ScrobbleSettings // ListenBrainz and Last.fm (config/scrobble.go)
	// The engine's MPD server (config/mpd.go).
	MPDListen   string // mpd_listen, PCPLAY_MPD_LISTEN: host:port, unix:PATH or "off"; default [DefaultMPDListen]
	MPDPassword string `json:"-"` // mpd_password: "" none (then only loopback or a unix socket)

	Lyrics LyricsSettings // lyrics_online, PCPLAY_LRCLIB_URL (config/lyrics.go)

	// ExplicitBitrate says the bitrate came from --bitrate or
	// PCPLAY_BITRATE (not the file or the default): it then wins over the
	// saved session's.
	ExplicitBitrate bool

	Token       string `json:"-"` // from PCLOUD_TOKEN (wins) or the saved token file; "" none
	TokenSource string // "env" | "file" | ""
	TokenKind   string // "auth" | "bearer" from the token file; "" for PCLOUD_TOKEN (either)

	Help    bool // --help or -h: print [Usage] and exit 0
	Version bool // --version: print the version and exit 0

	// Warnings are problems that do not stop pcplay (a corrupt token file, a
	// token file others could read); the caller shows them.
	Warnings []string
	// LoginProblem says why the saved login could not be read (a corrupt
	// token file), for the login screen; "" when there is none.
	LoginProblem string
}

// UsageError is a mistake in how pcplay was called: a flag, an environment
// variable or the config file. Its message is one sentence naming the flag,
// variable or file:line and the allowed values. The program exits with status
// 2. When the mistake is in the config file, [UsageError.Unwrap] gives the [*FileError].
type UsageError struct {
	Msg string
	Err error // the [*FileError], when the config file is at fault
}

func (e *UsageError) Error() string { return e.Msg }
func (e *UsageError) Unwrap() error { return e.Err }

// ExitUsage is the exit status for a usage error.
const ExitUsage = 2

// FileError is a mistake in the config file, with the line where it is.
type FileError struct {
	Path string
	Line int    // 1-based; 0 when unknown
	Key  string // the key at fault ("keys.next" inside [keys]); "" for a syntax error
	Msg  string // e.g. `bitrate = 500: must be between 16 and 320 kbit/s`
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Load merges the command line (args, without the program name), the
// environment (read through getenv; nil means [os.Getenv]) and the config file
// over the defaults, with the precedence flags > environment > file >
// defaults, and checks every value.
//
// Global flags come before the sub-command; the returned []string is what
// follows them (the sub-command and its own arguments, e.g. ["ctl",
// "status", "--json"]).
//
// The config file is --config, else $PCPLAY_CONFIG, else [DefaultPath]; a
// missing default file is fine, a missing file that was named explicitly is
// an error. The token is $PCLOUD_TOKEN, else the saved login at [TokenPath];
// a corrupt token file is a warning in [Settings.Warnings], not an error. When
// no region is given anywhere, the saved login's region is used, else
// "auto". With --help or --version, [Load] returns after the flags, without
// reading any file.
//
// A mistake in a flag, variable or the file is a [*UsageError] (exit status 2);
// other errors (an unreadable file) are plain.
func Load(args []string, getenv func(string) string) (Settings, []string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	s := Settings{
		Region:        DefaultRegion,
		Bitrate:       defaults.Bitrate,
		Volume:        defaults.Volume,
		Output:        DefaultOutput,
		SpeakerBuffer: defaults.SpeakerBuffer,
		StartFolder:   DefaultStartFolder,
		IdleExit:      DefaultIdleExit,
		MPDListen:     DefaultMPDListen,
		Art:           "auto",
	}
	fset, fv := newFlags()
	if err := fset.Parse(args); err != nil {
		return s, nil, flagError(err, fv)
	}
	rest := fset.Args()
	s.Help, s.Version = fv.help.v, fv.version.v
	if s.Help || s.Version {
		return s, rest, nil
	}
	s.Demo, s.DemoWorld = fv.demo.v, fv.demo.world
	if err := applyCommandLine(&s, fv, getenv); err != nil {
		return s, nil, err
	}
	regionSet := fv.region.set // by flag or environment
	fileRegion, err := applyConfigFile(&s, fv, getenv)
	if err != nil {
		// The sub-command too: those that need no settings (ctl, stop)
		// go on without the file (see ConfigFileError).
		return s, rest, err
	}
	if err := applyLocalFlags(&s, fv, getenv); err != nil {
		return s, nil, err
	}
	if err := applyMPD(&s, getenv); err != nil {
		return s, nil, err
	}
	if err := clientIDFromEnv(&s, getenv); err != nil {
		return s, nil, err
	}
	if err := scrobbleFromEnv(&s, getenv); err != nil {
		return s, nil, err
	}
	if err := lyricsFromEnv(&s, getenv); err != nil {
		return s, nil, err
	}
	if !s.Demo { // the demo library needs no token
		if err := applyToken(&s, regionSet || fileRegion, getenv); err != nil {
			return s, nil, err
		}
	}
	return s, rest, nil
}

// applyCommandLine applies the flags, then the environment where no flag
// was given: the command line is checked first, it is what the person just
// typed. A value taken from the environment marks its flag as given, so
// that the file does not override it.
func applyCommandLine(s *Settings, fv *flagValues, getenv func(string) string) error {
	cl := layer{getenv: getenv}
	fromFlag(&cl, &fv.apiURL, "--api-url", &s.APIURL, checkAPIURL)
	fromFlag(&cl, &fv.region, "--region", &s.Region, checkRegion)
	fromFlag(&cl, &fv.output, "--output", &s.Output, cl.checkOutput)
	fromFlag(&cl, &fv.bitrate, "--bitrate", &s.Bitrate, checkBitrate)
	if cl.err != nil {
		return cl.err
	}
	env := layer{getenv: getenv}
	fromEnv(&env, EnvAPIURL, getenv(EnvAPIURL), &fv.apiURL, &s.APIURL, checkAPIURL)
	fromEnv(&env, EnvRegion, getenv(EnvRegion), &fv.region, &s.Region, checkRegion)
	fromEnv(&env, EnvOutput, getenv(EnvOutput), &fv.output, &s.Output, env.checkOutput)
	fromEnv(&env, EnvBitrate, strings.TrimSpace(getenv(EnvBitrate)), &fv.bitrate, &s.Bitrate, checkBitrate)
	fromEnv(&env, EnvIdleExit, strings.TrimSpace(getenv(EnvIdleExit)), &fv.idleExit, &s.IdleExit, checkIdleExit)
	if env.err != nil {
		return env.err
	}
	s.ExplicitBitrate = fv.bitrate.set
	return nil
}

// applyConfigFile fills in from the config file what neither flags nor
// environment gave; regionSet says the file set the region.
func applyConfigFile(s *Settings, fv *flagValues, getenv func(string) string) (regionSet bool, err error) {
	explicit := true
	switch {
	case fv.config.set:
		s.ConfigPath = expandHome(fv.config.v, getenv)
		if s.ConfigPath == "" {
			return false, &UsageError{Msg: "--config needs a file name"}
		}
	case getenv(EnvConfig) != "":
		s.ConfigPath = expandHome(getenv(EnvConfig), getenv)
	default:
		explicit = false
		p, err := defaultPath(getenv)
		if err != nil {
			return false, &UsageError{Msg: err.Error(), Err: err}
		}
		s.ConfigPath = p
	}
	data, err := readConfigFile(s.ConfigPath)
	var ue *UsageError
	switch {
	case errors.As(err, &ue):
		return false, err
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return false, nil // no config file: defaults
	case errors.Is(err, fs.ErrNotExist):
		return false, &UsageError{Msg: fmt.Sprintf("config file %s does not exist", s.ConfigPath)}
	case err != nil:
		return false, fmt.Errorf("cannot read config file %s: %w", s.ConfigPath, reason(err))
	}
	if err := checkNesting(s.ConfigPath, data); err != nil {
		return false, err
	}
	set, err := applyFile(s, s.ConfigPath, data, fileOverrides{
		apiURL: fv.apiURL.set, region: fv.region.set, output: fv.output.set,
		bitrate: fv.bitrate.set, foreground: fv.foreground.set, log: fv.log.set,
		idleExit: fv.idleExit.set,
	}, getenv)
	return set.region, err
}

// applyLocalFlags applies --foreground and --log, which win over the file.
func applyLocalFlags(s *Settings, fv *flagValues, getenv func(string) string) error {
	if fv.foreground.set {
		s.Foreground = fv.foreground.v
	}
	if fv.log.set {
		s.LogPath = expandHome(fv.log.v, getenv)
		if s.LogPath == "" {
			return &UsageError{Msg: "--log needs a file name"}
		}
	}
	return nil
}

// applyToken finds the token: PCLOUD_TOKEN wins over the saved login, whose
// region is used when none was given (regionSet false). Problems with the
// saved login are warnings; a bad PCLOUD_TOKEN is a [*UsageError].
func applyToken(s *Settings, regionSet bool, getenv func(string) string) error {
	if raw := getenv(EnvToken); raw != "" {
		tok := strings.TrimSpace(raw)
		if tok == "" || strings.ContainsAny(tok, " \t\r\n&?#") || len(tok) > 4096 {
			return &UsageError{Msg: EnvToken + " does not look like a pCloud token (it is empty or contains spaces or URL characters)"}
		}
		s.Token, s.TokenSource = tok, "env"
		return nil
	}
	tp, err := tokenPath(getenv)
	if err != nil {
		s.Warnings = append(s.Warnings, "cannot find the saved login: "+err.Error())
		return nil
	}
	l, warn, err := loadLogin(tp)
	if err != nil {
		s.Warnings = append(s.Warnings, err.Error())
		s.LoginProblem = err.Error()
		return nil
	}
	if warn != "" {
		s.Warnings = append(s.Warnings, warn)
	}
	if l.Token != "" {
		s.Token, s.TokenSource, s.TokenKind = l.Token, "file", l.Kind
		if !regionSet && l.Region != "" {
			s.Region = l.Region
		}
	}
	return nil
}
