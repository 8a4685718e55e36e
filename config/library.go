package config

import (
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// LibraryFile is the music library's index in the state directory.
const LibraryFile = "library.db"

// LibraryPath is StateDir()/library.db, where the engine keeps the index.
func LibraryPath() (string, error) {
	dir, err := StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, LibraryFile), nil
}

// library applies library_folders (a list of pCloud paths) and
// library_video.
func (a *fileApplier) library(key string, p toml.Primitive, v any) {
	switch key {
	case "library_folders":
		list, ok := v.([]any)
		if !ok {
			a.fail(p, key, `library_folders = %s: must be a list of pCloud folders, e.g. ["/Music"]`, tomlValue(v))
			return
		}
		var out []string
		for _, e := range list {
			s, ok := e.(string)
			if !ok || !strings.HasPrefix(s, "/") {
				a.fail(p, key, `library_folders: %s is not a pCloud folder path (it starts with "/", e.g. "/Music")`, tomlValue(e))
				return
			}
			out = append(out, s)
		}
		a.s.LibraryFolders = out
	case "library_video":
		if b, ok := a.boolValue(key, p, v); ok {
			a.s.LibraryVideo = b
		}
	}
}
