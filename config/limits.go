package config

import (
	"fmt"
	"io"
	"os"
)

// Limits on the config file, checked before the TOML library sees it: the
// library takes time quadratic in the nesting of inline tables and in the
// parts of a dotted key (8000 levels: seconds), and a pcplay config file is
// a few lines.
const (
	MaxFileSize = 1 << 20 // bytes
	MaxNesting  = 32      // levels of [ ] and { }, and parts of a dotted key
)

// readConfigFile reads path, at most [MaxFileSize] bytes: a larger file is
// a [*UsageError].
func readConfigFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		fe := &FileError{Path: path, Msg: fmt.Sprintf("the file is larger than %d KiB; a pcplay config file is a few lines (see pcplay --help)", MaxFileSize>>10)}
		return nil, &UsageError{Msg: fe.Error(), Err: fe}
	}
	return data, nil
}

// checkNesting refuses a file nested deeper than [MaxNesting] (brackets and
// braces, or parts of one dotted key) with the line where it goes too deep.
// Strings and comments are skipped.
func checkNesting(path string, data []byte) error {
	depth, dots, line := 0, 0, 1
	tooDeep := func() error {
		fe := &FileError{Path: path, Line: line, Msg: fmt.Sprintf("nested deeper than %d levels; a pcplay config file needs 2", MaxNesting)}
		return &UsageError{Msg: fe.Error(), Err: fe}
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
			dots = 0
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i-- // the newline is counted above
		case '"', '\'':
			end, nl := skipString(data, i)
			i, line = end, line+nl
		case '[', '{':
			depth++
			dots = 0
			if depth > MaxNesting {
				return tooDeep()
			}
		case ']', '}':
			depth = max(0, depth-1)
			dots = 0
		case '=', ',':
			dots = 0
		case '.':
			dots++
			if dots >= MaxNesting {
				return tooDeep()
			}
		}
	}
	return nil
}

// skipString returns the index of the last byte of the string that starts
// at data[i] (a quote) and the newlines in it; an unterminated one runs to
// the end (the TOML library says what is wrong).
func skipString(data []byte, i int) (end, newlines int) {
	q := data[i]
	multi := i+2 < len(data) && data[i+1] == q && data[i+2] == q
	j := i + 1
	if multi {
		j = i + 3
	}
	for ; j < len(data); j++ {
		switch data[j] {
		case '\\':
			if q == '"' {
				if j+1 < len(data) && data[j+1] == '\n' {
					newlines++
				}
				j++
			}
		case '\n':
			newlines++
			if !multi {
				return j - 1, newlines - 1 // the newline ends the line, not the string's business
			}
		case q:
			if !multi {
				return j, newlines
			}
			if j+2 < len(data) && data[j+1] == q && data[j+2] == q {
				return j + 2, newlines
			}
		}
	}
	return len(data) - 1, newlines
}
