package scrobble

import (
	"strconv"
	"time"
)

func keyOf(fileID uint64, started time.Time) string {
	return strconv.FormatUint(fileID, 10) + "@" + strconv.FormatInt(started.Unix(), 10)
}
