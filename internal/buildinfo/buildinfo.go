// Package buildinfo tells which pcplay this is: the version stamped at
// build time, or else what the Go toolchain recorded (the module's version
// for `go install ...@v1.2.3`, the commit for a build from a checkout).
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// Version is stamped (ldflags) when it is not "dev" or empty; otherwise it
// is the module version `go install` recorded, else "dev-COMMIT" (with
// "-dirty" for uncommitted changes) from the VCS stamp of `go build` in a
// checkout, else "dev".
func Version(stamped string) string {
	if stamped != "" && stamped != "dev" {
		return stamped
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return fromBuildInfo(bi)
}

func fromBuildInfo(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" && !strings.Contains(v, "+dirty") {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "dev-" + rev
	if modified == "true" {
		v += "-dirty"
	}
	return v
}
