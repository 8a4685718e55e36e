package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// Scrobbling: where the services are, the Last.fm app's key and secret,
// and the credentials `pcplay scrobble login` saves beside the pCloud
// token (0600).

// Environment variables for scrobbling.
const (
	EnvListenBrainzToken = "PCPLAY_LISTENBRAINZ_TOKEN" // a ListenBrainz user token for one run
	EnvListenBrainzURL   = "PCPLAY_LISTENBRAINZ_URL"   // the ListenBrainz API root
	EnvLastfmURL         = "PCPLAY_LASTFM_URL"         // the Last.fm API root (tests, other servers)
)

// Default API roots.
const (
	DefaultListenBrainzURL = "https://api.listenbrainz.org"
	DefaultLastfmURL       = "https://ws.audioscrobbler.com/2.0/"
	DefaultLastfmAuthURL   = "https://www.last.fm/api/auth/"
)

// DefaultLastfmAPIKey and DefaultLastfmSecret are the Last.fm app pcplay
// scrobbles as when the config file gives none. Empty in the source; a
// build sets them like [DefaultClientID]:
//
//	-ldflags "-X github.com/pcplay/pcplay/config.DefaultLastfmAPIKey=KEY -X github.com/pcplay/pcplay/config.DefaultLastfmSecret=SECRET"
var (
	DefaultLastfmAPIKey = ""
	DefaultLastfmSecret = ""
)

// NoLastfmAppSentence says how to get a Last.fm API key and secret.
const NoLastfmAppSentence = "Scrobbling to Last.fm needs an API account: create one at https://www.last.fm/api/account/create, then put lastfm_api_key = \"...\" and lastfm_secret = \"...\" in the config file."

// ScrobbleSettings are the scrobbling settings.
type ScrobbleSettings struct {
	ListenBrainzURL   string // listenbrainz_url / PCPLAY_LISTENBRAINZ_URL; default [DefaultListenBrainzURL]
	ListenBrainzToken string `json:"-"` // PCPLAY_LISTENBRAINZ_TOKEN; "" none (the saved one then)
	LastfmURL         string // PCPLAY_LASTFM_URL; default [DefaultLastfmURL]
	LastfmAPIKey      string `json:"-"` // lastfm_api_key, or [DefaultLastfmAPIKey]
	LastfmSecret      string `json:"-"` // lastfm_secret, or [DefaultLastfmSecret]
}

// String never shows the token or the secret.
func (s ScrobbleSettings) String() string {
	return fmt.Sprintf("listenbrainz_url=%q lastfm_url=%q", s.ListenBrainzURL, s.LastfmURL)
}

// scrobble applies listenbrainz_url, lastfm_api_key and lastfm_secret.
func (a *fileApplier) scrobble(key string, p toml.Primitive, v any) {
	str, ok := v.(string)
	if !ok {
		a.fail(p, key, "%s = %s: must be a string", key, tomlValue(v))
		return
	}
	switch key {
	case "listenbrainz_url":
		u, problem := checkServiceURL(str)
		if problem != "" {
			a.fail(p, key, "listenbrainz_url = %q: %s", clip(str), problem)
			return
		}
		a.s.Scrobble.ListenBrainzURL = u
	case "lastfm_api_key", "lastfm_secret":
		s := strings.TrimSpace(str)
		if len(s) > 200 || strings.ContainsAny(s, " \t\r\n&?#/=%\"'") {
			a.fail(p, key, "%s is not a Last.fm API key or secret (it has spaces or URL characters)", key)
			return
		}
		if key == "lastfm_api_key" {
			a.s.Scrobble.LastfmAPIKey = s
		} else {
			a.s.Scrobble.LastfmSecret = s
		}
	}
}

// checkServiceURL checks a scrobbling service's API root: http(s), plain
// http for loopback hosts only (as api_url).
func checkServiceURL(s string) (string, string) {
	u, problem := checkAPIURL(s)
	if problem != "" {
		problem = strings.Replace(problem, "https://api.pcloud.com", "https://api.listenbrainz.org", 1)
	}
	return u, problem
}

// scrobbleFromEnv applies the environment over the file, then the
// defaults.
func scrobbleFromEnv(s *Settings, getenv func(string) string) error {
	sc := &s.Scrobble
	if raw := getenv(EnvListenBrainzURL); raw != "" {
		u, problem := checkServiceURL(raw)
		if problem != "" {
			return &UsageError{Msg: EnvListenBrainzURL + " " + problem}
		}
		sc.ListenBrainzURL = u
	}
	if raw := getenv(EnvLastfmURL); raw != "" {
		u, problem := checkServiceURL(raw)
		if problem != "" {
			return &UsageError{Msg: EnvLastfmURL + " " + problem}
		}
		sc.LastfmURL = u
	}
	if raw := getenv(EnvListenBrainzToken); raw != "" {
		tok := strings.TrimSpace(raw)
		if !plausibleSecret(tok) {
			return &UsageError{Msg: EnvListenBrainzToken + " does not look like a ListenBrainz token (it is empty or contains spaces or URL characters)"}
		}
		sc.ListenBrainzToken = tok
	}
	if sc.ListenBrainzURL == "" {
		sc.ListenBrainzURL = DefaultListenBrainzURL
	}
	if sc.LastfmURL == "" {
		sc.LastfmURL = DefaultLastfmURL
	}
	if sc.LastfmAPIKey == "" && sc.LastfmSecret == "" {
		sc.LastfmAPIKey, sc.LastfmSecret = DefaultLastfmAPIKey, DefaultLastfmSecret
	}
	return nil
}

func plausibleSecret(s string) bool {
	return s != "" && len(s) <= 4096 && !strings.ContainsAny(s, " \t\r\n&?#\"\\")
}

// ScrobbleLogin is a scrobbling service's saved credential: a ListenBrainz
// user token, or a Last.fm session key, and the account's name.
type ScrobbleLogin struct {
	Secret string `json:"secret"`
	User   string `json:"user,omitempty"`
}

// ScrobbleLoginPath is where a service's credential is saved: beside the
// pCloud token, os.UserConfigDir()/pcplay/SERVICE.json ("listenbrainz",
// "lastfm").
func ScrobbleLoginPath(service string) (string, error) {
	tp, err := TokenPath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(tp), service+".json"), nil
}

// SaveScrobbleLogin writes l to path, 0600 (the directory 0700).
func SaveScrobbleLogin(path string, l ScrobbleLogin) error {
	if !plausibleSecret(l.Secret) {
		return errors.New("cannot save the credential: it is malformed")
	}
	return savePrivateJSON(path, l, "the credential")
}

// LoadScrobbleLogin reads the credential at path; none saved is the zero
// login and no error. Errors never quote the file's bytes.
func LoadScrobbleLogin(path string) (ScrobbleLogin, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ScrobbleLogin{}, nil
	}
	if err != nil {
		return ScrobbleLogin{}, fmt.Errorf("cannot read %s: %w", path, reason(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		_ = f.Chmod(0o600)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxLoginFile+1))
	if err != nil || len(data) > maxLoginFile {
		return ScrobbleLogin{}, fmt.Errorf("cannot read %s; log in again", path)
	}
	var l ScrobbleLogin
	if json.Unmarshal(data, &l) != nil || !plausibleSecret(l.Secret) {
		return ScrobbleLogin{}, fmt.Errorf("%s is not usable; log in again", path)
	}
	return l, nil
}

// DeleteScrobbleLogin removes the credential at path; none is fine.
func DeleteScrobbleLogin(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// ScrobbleQueueFile is the queue of listens not yet sent, in the state
// directory.
const ScrobbleQueueFile = "scrobble.db"

// ScrobbleQueuePath is StateDir()/scrobble.db (the directory is created
// when make is true).
func ScrobbleQueuePath(create bool) (string, error) {
	dir, err := StatePath()
	if create {
		dir, err = StateDir()
	}
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, ScrobbleQueueFile), nil
}
