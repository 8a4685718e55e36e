package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pcplay/pcplay/internal/defaults"
	"github.com/pcplay/pcplay/internal/demo"
)

// flagValues holds the raw command line.
type flagValues struct {
	apiURL, region, bitrate, output, config, log stringFlag
	foreground, version, help                    boolFlag
	demo                                         demoFlag
	idleExit                                     stringFlag // no flag: PCPLAY_IDLE_EXIT only
	bad                                          string     // a sentence for a bad boolean value
}

// stringFlag remembers whether it was given.
type stringFlag struct {
	v   string
	set bool
}

func (f *stringFlag) String() string { return f.v }

func (f *stringFlag) Set(s string) error {
	f.v, f.set = s, true
	return nil
}

// boolFlag is a boolean flag that remembers whether it was given.
type boolFlag struct {
	v, set bool
	name   string
	bad    *string
}

func (f *boolFlag) String() string { return strconv.FormatBool(f.v) }

func (f *boolFlag) IsBoolFlag() bool { return true }

func (f *boolFlag) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		if f.bad != nil && *f.bad == "" {
			*f.bad = fmt.Sprintf("--%s=%s: must be true or false", f.name, clip(s))
		}
		return errors.New("must be true or false")
	}
	f.v, f.set = b, true
	return nil
}

// demoFlag is --demo, or --demo=WORLD: one of the demo's worlds
// (internal/demo), or true/false.
type demoFlag struct {
	v     bool
	world string
	bad   *string
}

func (f *demoFlag) String() string { return strconv.FormatBool(f.v) }

func (f *demoFlag) IsBoolFlag() bool { return true }

func (f *demoFlag) Set(s string) error {
	if b, err := strconv.ParseBool(s); err == nil {
		f.v, f.world = b, ""
		return nil
	}
	if _, ok := demo.WorldNamed(s); !ok {
		if f.bad != nil && *f.bad == "" {
			*f.bad = fmt.Sprintf("--demo=%s: there is no such demo world; the worlds are %s", clip(s), demo.WorldNames())
		}
		return errors.New("no such demo world")
	}
	f.v, f.world = true, s
	return nil
}

// flagHelp lists the flags in the order --help shows them.
var flagHelp = []struct{ name, arg, help string }{
	{"api-url", "URL", "API base URL; default by region; http only on loopback"},
	{"region", "REGION", "us, eu or auto (try us, then eu); default auto"},
	{"bitrate", "N", fmt.Sprintf("stream bitrate in kbit/s, %d..%d; default %d", defaults.MinBitrate, defaults.MaxBitrate, defaults.Bitrate)},
	{"output", "OUT", "speaker, null, FILE.wav or pipe:FIFO; default speaker"},
	{"config", "FILE", "config file instead of the one named below"},
	{"log", "FILE", "write a debug log to FILE"},
	{"demo", "[=WORLD]", "demo library (no account): " + demo.WorldNames()},
	{"foreground", "", "run the player in this process, no background engine"},
	{"version", "", "print the version and exit"},
	{"help", "", "print this help and exit (also -h)"},
}

func newFlags() (*flag.FlagSet, *flagValues) {
	v := &flagValues{}
	fs := flag.NewFlagSet("pcplay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	strs := map[string]*stringFlag{
		"api-url": &v.apiURL, "region": &v.region, "bitrate": &v.bitrate,
		"output": &v.output, "config": &v.config, "log": &v.log,
	}
	bools := map[string]*boolFlag{
		"foreground": &v.foreground, "version": &v.version, "help": &v.help,
	}
	v.demo.bad = &v.bad
	for _, f := range flagHelp {
		if s, ok := strs[f.name]; ok {
			fs.Var(s, f.name, f.help)
			continue
		}
		if f.name == "demo" {
			fs.Var(&v.demo, f.name, f.help)
			continue
		}
		b := bools[f.name]
		b.name, b.bad = f.name, &v.bad
		fs.Var(b, f.name, f.help)
	}
	v.help.name = "help"
	fs.Var(&v.help, "h", "print this help and exit")
	return fs, v
}

// flagError turns the flag package's error into one sentence.
func flagError(err error, fv *flagValues) error {
	msg := err.Error()
	switch {
	case fv.bad != "":
		msg = fv.bad
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-")
		msg = fmt.Sprintf("unknown flag --%s; run pcplay --help to see the flags", clip(name))
	case strings.HasPrefix(msg, "flag needs an argument: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-")
		msg = fmt.Sprintf("--%s needs a value", name)
		for _, f := range flagHelp {
			if f.name == name && f.arg != "" {
				msg = fmt.Sprintf("--%s needs a value (--%s %s)", name, name, f.arg)
			}
		}
	default:
		msg += "; run pcplay --help to see the flags"
	}
	return &UsageError{Msg: msg, Err: err}
}
