package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// appDir is the name of pcplay's directory under the config and state
// directories.
const appDir = "pcplay"

// DefaultPath is the config file's default location:
// os.UserConfigDir()/pcplay/config.toml, which on Linux is
// $XDG_CONFIG_HOME/pcplay/config.toml or ~/.config/pcplay/config.toml.
func DefaultPath() (string, error) {
	return defaultPath(os.Getenv)
}

// TokenPath is where the saved login lives: next to the config file, in
// os.UserConfigDir()/pcplay/token.json. [SaveLogin] creates the directory 0700
// and the file 0600.
func TokenPath() (string, error) {
	return tokenPath(os.Getenv)
}

// StateDir is the directory for session state: $XDG_STATE_HOME/pcplay, or
// ~/.local/state/pcplay when XDG_STATE_HOME is unset (on Windows
// %LocalAppData%\pcplay). It is created with mode 0700 if missing, and
// tightened to 0700 if it exists with looser permissions.
func StateDir() (string, error) {
	dir, err := stateDir(os.Getenv)
	if err != nil {
		return "", err
	}
	if err := ensurePrivateDir(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// SessionPath is StateDir()/session.json (the directory is created).
func SessionPath() (string, error) {
	dir, err := StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "session.json"), nil
}

func defaultPath(getenv func(string) string) (string, error) {
	dir, err := configDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, appDir, "config.toml"), nil
}

func tokenPath(getenv func(string) string) (string, error) {
	dir, err := configDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, appDir, "token.json"), nil
}

// configDir is [os.UserConfigDir], but reading the environment through getenv
// so that tests (and [Load]) can pass their own.
func configDir(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		return os.UserConfigDir()
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		if !filepath.IsAbs(d) {
			return "", fmt.Errorf("XDG_CONFIG_HOME=%s: must be an absolute path", d)
		}
		return d, nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("neither XDG_CONFIG_HOME nor HOME is set; use --config")
	}
	return filepath.Join(home, ".config"), nil
}

func stateDir(getenv func(string) string) (string, error) {
	if runtime.GOOS == "windows" {
		d, err := os.UserCacheDir() // %LocalAppData%
		if err != nil {
			return "", err
		}
		return filepath.Join(d, appDir), nil
	}
	if d := getenv("XDG_STATE_HOME"); d != "" {
		if !filepath.IsAbs(d) {
			return "", fmt.Errorf("XDG_STATE_HOME=%s: must be an absolute path", d)
		}
		return filepath.Join(d, appDir), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", errors.New("neither XDG_STATE_HOME nor HOME is set")
		}
	}
	return filepath.Join(home, ".local", "state", appDir), nil
}

// ensurePrivateDir creates dir (and its parents) and makes sure dir itself is
// mode 0700, tightening it if it already existed with looser permissions.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create directory %s: %w", dir, reason(err))
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("cannot make directory %s private (mode 0700): %w", dir, reason(err))
		}
	}
	return nil
}

// expandHome turns a leading "~/" into the home directory from getenv.
func expandHome(p string, getenv func(string) string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

// StatePath is the state directory StateDir makes, without making it.
func StatePath() (string, error) { return stateDir(os.Getenv) }
