package api

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// flexUint is a uint64 from a number (also one beyond int64, or in
// exponent form) or a string holding one.
type flexUint uint64

func (f *flexUint) UnmarshalJSON(b []byte) error {
	s, ok, err := number(b)
	if err != nil || !ok {
		return err
	}
	if v, err := strconv.ParseUint(s, 10, 64); err == nil {
		*f = flexUint(v)
		return nil
	}
	v, ok := exactInt(s)
	if !ok || !v.IsUint64() {
		return fmt.Errorf("%.30q is not an unsigned 64-bit integer", s)
	}
	*f = flexUint(v.Uint64())
	return nil
}

// exactInt reads a decimal number in any JSON form ("12", "1.2e1",
// "120e-1") exactly, when it is an integer of modest size.
func exactInt(s string) (*big.Int, bool) {
	if len(s) > 64 {
		return nil, false
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e < -64 || e > 64 {
			return nil, false
		}
		mant, exp = s[:i], e
	}
	if !plainDecimal(mant) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(mant)
	if !ok {
		return nil, false
	}
	if exp != 0 {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp))), nil)
		if exp > 0 {
			r.Mul(r, new(big.Rat).SetInt(p))
		} else {
			r.Quo(r, new(big.Rat).SetInt(p))
		}
	}
	if !r.IsInt() {
		return nil, false
	}
	return r.Num(), true
}

// plainDecimal accepts -?digits[.digits].
func plainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" {
		return false
	}
	for _, part := range []string{ip, fp} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// flexInt is an int64 from a number or a string holding one.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s, ok, err := number(b)
	if err != nil || !ok {
		return err
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(v)
		return nil
	}
	v, ok := exactInt(s)
	if !ok || !v.IsInt64() {
		return fmt.Errorf("%.30q is not a 64-bit integer", s)
	}
	*f = flexInt(v.Int64())
	return nil
}

// flexBool is a bool from true/false, 0/1 or their strings.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch strings.Trim(string(bytes.TrimSpace(b)), `"`) {
	case "true", "1":
		*f = true
	case "false", "0", "", "null":
		*f = false
	default:
		return fmt.Errorf("%.20s is not a boolean", b)
	}
	return nil
}

// flexString is a string from a string, or the text of a number or bool
// (tags like a title "1999" may come as numbers).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || isNull(b) {
		return nil
	}
	if b[0] == '"' {
		s, err := jsonString(b)
		if err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	if b[0] == '{' || b[0] == '[' {
		return fmt.Errorf("%.20s is not a string", b)
	}
	*f = flexString(b)
	return nil
}

// flexTrackNo is a track number from a number or a string ("3", "3/12",
// " 03 "); anything else is 0.
type flexTrackNo int

func (f *flexTrackNo) UnmarshalJSON(b []byte) error {
	*f = 0
	b = bytes.TrimSpace(b)
	var s string
	if len(b) > 0 && b[0] == '"' {
		var err error
		if s, err = jsonString(b); err != nil {
			return nil
		}
	} else {
		s = string(b)
	}
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "/ "); i >= 0 {
		s = s[:i]
	}
	if v, err := strconv.ParseInt(s, 10, 32); err == nil && v > 0 {
		*f = flexTrackNo(v)
		return nil
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 1 && v < math.MaxInt32 {
		*f = flexTrackNo(v)
	}
	return nil
}

// flexTime is a time from Unix seconds (number or string) or an RFC 1123
// date with numeric zone (pCloud's default format); an unreadable date is
// the zero time.
type flexTime time.Time

func (f *flexTime) UnmarshalJSON(b []byte) error {
	*f = flexTime{}
	b = bytes.TrimSpace(b)
	var s string
	if len(b) > 0 && b[0] == '"' {
		var err error
		if s, err = jsonString(b); err != nil {
			return nil
		}
	} else {
		s = string(b)
	}
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		if v > 0 && v < 1<<40 {
			*f = flexTime(time.Unix(v, 0).UTC())
		}
		return nil
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if v > 0 && v < 1<<40 {
			*f = flexTime(time.Unix(int64(v), 0).UTC())
		}
		return nil
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, time.RFC3339, time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, s); err == nil {
			*f = flexTime(t)
			return nil
		}
	}
	return nil
}
