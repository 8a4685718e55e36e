package pcloudtest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/pcplay/pcplay/internal/fixtures"
)

// GenOptions describe a generated library (see Generate).
type GenOptions struct {
	Tracks int    // audio files (category 3) in the whole tree
	Seed   uint64 // the same seed gives the same tree
}

// Generate builds a realistic account of o.Tracks audio files, the same for
// the same options:
//
//	/Music/<Artist>/<Album>/NN Title.mp3       tagged (most) or untagged
//	/Music/<Artist>/<Album>/Disc N/NN Title.mp3 some multi-disc albums
//	/Music/<Artist> - <Album>/NN - Title.flac   untagged, artist in the folder
//	/Music/Compilations/<Album>/NN - Artist - Title.mp3  various artists
//	/Music/*.mp3, /*.mp3                        loose files
//	cover.jpg, notes.txt, /Videos/*.mp4, /Documents  non-audio
//
// Names include accents and other scripts (Beyoncé, Sigur Rós, 宇多田ヒカル).
// Every audio file streams the same small mp3 (the "mono" fixture).
func Generate(o GenOptions) *Node {
	g := &gen{r: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), left: o.Tracks,
		audio: map[int][]byte{64: fixtures.Get("mono").Data()}, used: map[string]bool{}}
	music := Dir("Music")
	root := Dir("", music, Dir("Documents", OtherFile("taxes.pdf", 4, 120000), OtherFile("photo.jpg", 1, 90000)),
		Dir("Videos", VideoFile("concert.mp4", g.audio)))
	comp := Dir("Compilations")
	for g.left > 0 {
		switch k := g.r.IntN(100); {
		case k < 2:
			music.Children = append(music.Children, g.track(fmt.Sprintf("loose %s %d.mp3", g.title(), g.seq()), Tags{}))
		case k < 3:
			root.Children = append(root.Children, g.track(fmt.Sprintf("Voice memo %d.mp3", g.seq()), Tags{}))
		case k < 8:
			comp.Children = append(comp.Children, g.compilation())
		case k < 14:
			a := g.name(artists)
			music.Children = append(music.Children, g.album(a, a+" - "+g.title(), false, ".flac"))
		default:
			music.Children = append(music.Children, g.artist())
		}
	}
	if len(comp.Children) > 0 {
		music.Children = append(music.Children, comp)
	}
	return root
}

type gen struct {
	r     *rand.Rand
	left  int
	audio map[int][]byte
	used  map[string]bool // names taken in /Music
	n     int
}

func (g *gen) seq() int { g.n++; return g.n }

var (
	artists = []string{"Beyoncé", "Sigur Rós", "Björk", "Mötley Crüe", "Café Tacvba", "宇多田ヒカル", "Мумий Тролль",
		"Ólafur Arnalds", "The Beatles", "Nina Simone", "Daft Punk", "Radiohead", "Miles Davis", "Röyksopp",
		"Zoé", "Amadou & Mariam", "Los Lobos", "Sébastien Tellier", "Jóhann Jóhannsson", "Håkan Hellström"}
	words = []string{"Blue", "Night", "River", "Dance", "Love", "Fire", "Moon", "Heart", "Song", "Dream",
		"Rain", "City", "Gold", "Storm", "Été", "Niño", "Straße", "Señorita", "Cœur", "Øre", "夜", "Звезда",
		"Echo", "Glass", "Wild", "Silver", "Ocean", "Paper", "Velvet", "Shadow", "Summer", "Winter", "Light"}
)

func (g *gen) word() string { return words[g.r.IntN(len(words))] }

func (g *gen) title() string {
	switch g.r.IntN(3) {
	case 0:
		return g.word()
	case 1:
		return g.word() + " " + g.word()
	}
	return "The " + g.word() + " of " + g.word()
}

// name picks a name from list, made unique in /Music with a number.
func (g *gen) name(list []string) string {
	base := list[g.r.IntN(len(list))]
	if g.r.IntN(3) > 0 {
		base = g.word() + " " + base
	}
	n := base
	for i := 2; g.used[n]; i++ {
		n = fmt.Sprintf("%s %d", base, i)
	}
	g.used[n] = true
	return n
}

func (g *gen) track(name string, t Tags) *Node {
	g.left--
	return AudioFile(name, g.audio, t)
}

func (g *gen) artist() *Node {
	a := g.name(artists)
	d := Dir(a)
	seen := map[string]bool{}
	for i, n := 0, 1+g.r.IntN(4); i < n && g.left > 0; i++ {
		t := g.title()
		if seen[t] {
			continue
		}
		seen[t] = true
		if g.r.IntN(3) == 0 {
			t = fmt.Sprintf("%d - %s", 1960+g.r.IntN(66), t)
		}
		d.Children = append(d.Children, g.album(a, t, true, ".mp3"))
	}
	if g.r.IntN(4) == 0 {
		d.Children = append(d.Children, OtherFile("artist.jpg", 1, 40000))
	}
	return d
}

// album makes an album folder of 6..14 tracks; tagged albums are tagged
// with 90% chance, some have Disc N folders.
func (g *gen) album(artist, folder string, mayTag bool, ext string) *Node {
	d := Dir(folder, OtherFile("cover.jpg", 1, 50000))
	tagged := mayTag && g.r.IntN(10) < 9
	album := folder
	if i := strings.Index(folder, " - "); i >= 0 && !mayTag {
		album = folder[i+3:]
	}
	discs := 1
	if g.r.IntN(20) == 0 {
		discs = 2 + g.r.IntN(2)
	}
	for disc := 1; disc <= discs && g.left > 0; disc++ {
		into := d
		if discs > 1 {
			into = Dir(fmt.Sprintf("Disc %d", disc))
			d.Children = append(d.Children, into)
		}
		for no, n := 1, 6+g.r.IntN(9); no <= n && g.left > 0; no++ {
			title := fmt.Sprintf("%s %d", g.title(), no)
			var t Tags
			name := fmt.Sprintf("%02d %s%s", no, title, ext)
			if tagged {
				t = Tags{Artist: artist, Album: album, Title: title, Genre: "Rock", TrackNo: no}
			} else if !mayTag {
				name = fmt.Sprintf("%02d - %s%s", no, title, ext)
			}
			into.Children = append(into.Children, g.track(name, t))
		}
	}
	if g.r.IntN(10) == 0 {
		d.Children = append(d.Children, OtherFile("notes.txt", 0, 300))
	}
	return d
}

func (g *gen) compilation() *Node {
	d := Dir(fmt.Sprintf("%s Hits %d", g.word(), g.seq()))
	for no, n := 1, 10+g.r.IntN(10); no <= n && g.left > 0; no++ {
		a := artists[g.r.IntN(len(artists))]
		d.Children = append(d.Children, g.track(fmt.Sprintf("%02d - %s - %s.mp3", no, a, g.title()), Tags{}))
	}
	return d
}
