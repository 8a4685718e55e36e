package demo

import "strings"

// World is one of the fake pCloud's worlds `pcplay --demo=WORLD` opens:
// the same real client, stream and player against a library or a fault
// made to try pcplay with.
type World struct{ Name, About string }

// Worlds are the demo's worlds, in the order --help lists them; the first
// is what --demo alone opens.
var Worlds = []World{
	{"small", "the six demo tracks (what --demo alone opens)"},
	{"big", "10,000 generated tracks in artist and album folders, accents and other scripts"},
	{"outage", "the demo tracks, and pCloud gone for 20 s of every minute"},
	{"hostile", "the demo tracks beside names and tags made to attack a terminal"},
}

// WorldNamed is the world of that name ("" is the first); ok is false for
// none.
func WorldNamed(name string) (w World, ok bool) {
	if name == "" {
		return Worlds[0], true
	}
	for _, w := range Worlds {
		if w.Name == name {
			return w, true
		}
	}
	return World{}, false
}

// WorldNames is "small, big, outage or hostile".
func WorldNames() string {
	names := make([]string, len(Worlds))
	for i, w := range Worlds {
		names[i] = w.Name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// HostileNames are the names of the hostile world (no slash: no pCloud
// name has one): each made to do
// something to a terminal that prints it raw (write the clipboard, clear
// the screen, make the terminal answer, reverse the text, break a line).
var HostileNames = []string{
	"PL \x1b]52;c;cGxheWxpc3Q=\x07 clipboard",
	"\x1b[2J\x1b[H cleared",
	"\x1bP+q544e\x1b\\ asks the terminal",
	"\x1b]8;;http:x\x1b\\link\x1b]8;;\x1b\\",
	"\u009b31m C1 \u009d0;title\u009c",
	"\u202Eevil\u200B reversed",
	"two\nlines",
}
