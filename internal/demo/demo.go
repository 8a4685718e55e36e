// Package demo is the built-in demo library that `pcplay --demo` plays: six
// short synthesised pieces, five on two albums of two made-up artists and
// one loose track at the top, made by scripts/mkdemo.sh (22.05 kHz mono
// mp3, VBR, with ID3 tags that match the table below; see [Tracks]).
package demo

import (
	"embed"
	"fmt"
)

//go:embed data/*.mp3
var files embed.FS

// Track is one file of the demo library.
type Track struct {
	Folder                      string // path of its folder from the library root, "" for the root; e.g. "Demo Artist/First Album"
	File                        string // file name shown in listings, e.g. "01 Morning Pentatonic.mp3"
	Title, Artist, Album, Genre string
	TrackNo                     int    // 0 when none
	Seconds                     int    // length, rounded down
	Data                        []byte // the mp3
}

type entry struct {
	data string // file in data/
	Track
}

var table = []entry{
	{"01.mp3", Track{Folder: "Demo Artist/First Album", File: "01 Morning Pentatonic.mp3", Title: "Morning Pentatonic", Artist: "Demo Artist", Album: "First Album", Genre: "Ambient", TrackNo: 1, Seconds: 24}},
	{"02.mp3", Track{Folder: "Demo Artist/First Album", File: "02 Slow Pad.mp3", Title: "Slow Pad", Artist: "Demo Artist", Album: "First Album", Genre: "Ambient", TrackNo: 2, Seconds: 26}},
	{"03.mp3", Track{Folder: "Demo Artist/First Album", File: "03 Bass and Lead.mp3", Title: "Bass and Lead", Artist: "Demo Artist", Album: "First Album", Genre: "Electronic", TrackNo: 3, Seconds: 24}},
	{"04.mp3", Track{Folder: "The Sine Waves/Music Box Sessions", File: "01 Music Box.mp3", Title: "Music Box", Artist: "The Sine Waves", Album: "Music Box Sessions", Genre: "Ambient", TrackNo: 1, Seconds: 22}},
	{"05.mp3", Track{Folder: "The Sine Waves/Music Box Sessions", File: "02 Evening Waltz.mp3", Title: "Evening Waltz", Artist: "The Sine Waves", Album: "Music Box Sessions", Genre: "Ambient", TrackNo: 2, Seconds: 24}},
	{"06.mp3", Track{Folder: "", File: "Drift.mp3", Title: "Drift", Artist: "Loose Tones", Genre: "Ambient", Seconds: 28}},
}

// Tracks returns the demo library, in a fixed order (folder by folder, by
// track number, the loose track last). Each call returns fresh copies of the
// data.
func Tracks() []Track {
	out := make([]Track, 0, len(table))
	for _, e := range table {
		t := e.Track
		b, err := files.ReadFile("data/" + e.data)
		if err != nil {
			panic(fmt.Sprintf("demo: %s is not embedded: %v", e.data, err))
		}
		t.Data = b
		out = append(out, t)
	}
	return out
}
