package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// SavedLogin is what `pcplay login` keeps: the token (never the password),
// its kind and the region of the account.
type SavedLogin struct {
	Token  string `json:"token"`
	Kind   string `json:"kind"`   // "auth" (password login) | "bearer" (OAuth access token)
	Region string `json:"region"` // "us" | "eu"; "" when unknown
	Email  string `json:"email,omitempty"`
}

// Token kinds.
const (
	KindAuth   = "auth"
	KindBearer = "bearer"
)

// maxLoginFile bounds what [LoadLogin] reads; a real token file is ~200 bytes.
const maxLoginFile = 64 << 10

// Validate reports a saved login that cannot be used. The error quotes none
// of the fields (a token pasted into the wrong field must not leak).
func (l SavedLogin) Validate() error {
	switch {
	case l.Token == "":
		return errors.New("it has no token")
	case len(l.Token) > 4096 || strings.ContainsAny(l.Token, " \t\r\n&?#"):
		return errors.New("its token is malformed")
	}
	switch l.Kind {
	case KindAuth, KindBearer:
	default:
		return errors.New("its kind is not auth or bearer")
	}
	switch l.Region {
	case "us", "eu", "":
	default:
		return errors.New("its region is not us or eu")
	}
	return nil
}

// SaveLogin writes l to path atomically (see [WriteFileAtomic]) with mode 0600,
// creating path's directory with mode 0700, or tightening it to 0700 if it
// exists with looser permissions.
func SaveLogin(path string, l SavedLogin) error {
	if err := l.Validate(); err != nil {
		return fmt.Errorf("cannot save the login: %v", err)
	}
	return savePrivateJSON(path, l, "the login")
}

// savePrivateJSON writes v as indented JSON to path atomically, 0600, in a
// 0700 directory (created, or tightened when looser); what names it in an
// error ("the login").
func savePrivateJSON(path string, v any, what string) error {
	if err := ensurePrivateDir(filepath.Dir(path)); err != nil {
		return err
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("cannot save %s: %v", what, err)
	}
	return WriteFileAtomic(path, append(data, '\n'), 0o600)
}

// LoadLogin reads the saved login at path. A missing file is not an error: it
// returns the zero [SavedLogin] and nil. A file that is not valid JSON, or whose
// fields are unusable, is an error whose text names the file but never shows
// its contents; the caller reports it and carries on as logged out.
//
// A token file readable or writable by group or others is still loaded, and
// [LoadLogin] tightens it to 0600 on the spot ([Load] reports this as a warning).
func LoadLogin(path string) (SavedLogin, error) {
	l, _, err := loadLogin(path)
	return l, err
}

// loadLogin is [LoadLogin] that also returns a warning for a caller that shows
// warnings ([Load]).
func loadLogin(path string) (l SavedLogin, warning string, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return SavedLogin{}, "", nil
	}
	if err != nil {
		return SavedLogin{}, "", fmt.Errorf("cannot read token file %s: %w", path, reason(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return SavedLogin{}, "", fmt.Errorf("cannot read token file %s: %w", path, reason(err))
	}
	if !fi.Mode().IsRegular() {
		return SavedLogin{}, "", fmt.Errorf("token file %s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxLoginFile+1))
	if err != nil {
		return SavedLogin{}, "", fmt.Errorf("cannot read token file %s: %w", path, reason(err))
	}
	if len(data) > maxLoginFile {
		return SavedLogin{}, "", fmt.Errorf("token file %s is too large to be a token file", path)
	}
	// Decoding errors are not wrapped: json's messages can quote bytes of the
	// file, and the file holds the token.
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&l); err != nil {
		return SavedLogin{}, "", fmt.Errorf("token file %s is not valid JSON; log in again", path)
	}
	if dec.More() {
		return SavedLogin{}, "", fmt.Errorf("token file %s is not valid JSON; log in again", path)
	}
	if err := l.Validate(); err != nil {
		return SavedLogin{}, "", fmt.Errorf("token file %s is not usable: %v; log in again", path, err)
	}
	if runtime.GOOS != "windows" {
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			if err := f.Chmod(0o600); err != nil {
				warning = fmt.Sprintf("token file %s can be read by other users (mode %04o) and could not be made private: %v", path, perm, reason(err))
			} else {
				warning = fmt.Sprintf("token file %s was readable by other users (mode %04o); it is now 0600", path, perm)
			}
		}
	}
	return l, warning, nil
}

// DeleteLogin removes the saved login. A missing file is not an error.
func DeleteLogin(path string) error {
	err := os.Remove(path)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		if err == nil {
			_ = syncDir(filepath.Dir(path))
		}
		return nil
	}
	return fmt.Errorf("cannot delete token file %s: %w", path, reason(err))
}

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 40
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
