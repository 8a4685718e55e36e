package config

import (
	"slices"
	"strings"
	"testing"
)

func TestLibraryKeys(t *testing.T) {
	e := newTestEnv(t)
	if s := e.mustLoad(t); s.LibraryFolders != nil || s.LibraryVideo {
		t.Fatalf("defaults: folders %q, video %v; want the whole account, no video", s.LibraryFolders, s.LibraryVideo)
	}
	e.writeConfig(t, "library_folders = [\"/Music\", \"/Live Recordings\"]\nlibrary_video = true\n")
	if s := e.mustLoad(t); !slices.Equal(s.LibraryFolders, []string{"/Music", "/Live Recordings"}) || !s.LibraryVideo {
		t.Fatalf("got folders %q, video %v", s.LibraryFolders, s.LibraryVideo)
	}
	for body, want := range map[string]string{
		"library_folders = \"/Music\"\n":  `library_folders = "/Music": must be a list of pCloud folders, e.g. ["/Music"]`,
		"library_folders = [\"Music\"]\n": `library_folders: "Music" is not a pCloud folder path (it starts with "/", e.g. "/Music")`,
		"library_folders = [3]\n":         `library_folders: 3 is not a pCloud folder path`,
		"library_video = \"yes\"\n":       `library_video = "yes": must be true or false`,
	} {
		e.writeConfig(t, body)
		_, _, err := e.load(t)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", body, err, want)
		}
	}
}
