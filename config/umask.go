package config

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// Umasked is perm as a new file made by the person gets it: less the
// process's umask (read from /proc/self/status; 022 where it can't be
// read). A file pcplay writes for the person, such as an exported
// playlist, is made so, like one their shell would make.
func Umasked(perm os.FileMode) os.FileMode {
	return perm &^ umask()
}

func umask() os.FileMode {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0o022
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Umask:"); ok {
			if n, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32); err == nil {
				return os.FileMode(n) & 0o777
			}
		}
	}
	return 0o022
}
