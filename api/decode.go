package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

type jsonRaw = json.RawMessage

// decodeAnswer reads a pCloud answer: one JSON object.
func decodeAnswer(body []byte) (map[string]jsonRaw, error) {
	var ans map[string]jsonRaw
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if ans == nil {
		return nil, errors.New("not a JSON object: null")
	}
	return ans, nil
}

// resultOf reads "result" and "error".
func resultOf(ans map[string]jsonRaw) (int, string, error) {
	raw, ok := ans["result"]
	if !ok {
		return 0, "", errors.New(`no "result" in the answer`)
	}
	var code flexInt
	if err := json.Unmarshal(raw, &code); err != nil {
		return 0, "", fmt.Errorf(`"result": %w`, err)
	}
	if code < 0 || code > math.MaxInt32 {
		return 0, "", fmt.Errorf(`"result" %d out of range`, code)
	}
	var msg flexString
	if r, ok := ans["error"]; ok {
		_ = json.Unmarshal(r, &msg)
	}
	return int(code), string(msg), nil
}

// field decodes ans[name] into v; a missing or null member leaves v as is.
func field(ans map[string]jsonRaw, name string, v any) error {
	raw, ok := ans[name]
	if !ok || isNull(raw) {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%q: %w", name, err)
	}
	return nil
}

func isNull(raw []byte) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// jsonString decodes a JSON string literal; a plain one (no escapes, valid
// UTF-8) without another pass of the JSON scanner.
func jsonString(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		in := b[1 : len(b)-1]
		if bytes.IndexByte(in, '\\') < 0 && bytes.IndexByte(in, '"') < 0 && utf8.Valid(in) {
			return string(in), nil
		}
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// number reads a JSON number or a string holding one.
func number(raw []byte) (string, bool, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || isNull(raw) {
		return "", false, nil
	}
	if raw[0] == '"' {
		s, err := jsonString(raw)
		if err != nil {
			return "", false, err
		}
		s = strings.TrimSpace(s)
		return s, s != "", nil
	}
	if raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') {
		return string(raw), true, nil
	}
	return "", false, fmt.Errorf("%.20s is not a number", raw)
}

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

// wireMeta is a metadata object as pCloud sends it.
type wireMeta struct {
	Name           *string     `json:"name"`
	IsFolder       flexBool    `json:"isfolder"`
	FolderID       flexUint    `json:"folderid"`
	FileID         flexUint    `json:"fileid"`
	ParentFolderID flexUint    `json:"parentfolderid"`
	Category       flexInt     `json:"category"`
	ContentType    flexString  `json:"contenttype"`
	Size           flexInt     `json:"size"`
	Hash           flexUint    `json:"hash"`
	Created        flexTime    `json:"created"`
	Modified       flexTime    `json:"modified"`
	Artist         flexString  `json:"artist"`
	Album          flexString  `json:"album"`
	Title          flexString  `json:"title"`
	Genre          flexString  `json:"genre"`
	TrackNo        flexTrackNo `json:"trackno"`
	Contents       []*wireMeta `json:"contents"`
}

// DecodeMetadata reads one pCloud metadata object (a file, or a folder with
// its contents) as listfolder returns it under "metadata".
func DecodeMetadata(data []byte) (*Metadata, error) {
	var w wireMeta
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return w.convert("")
}

func (w *wireMeta) convert(where string) (*Metadata, error) {
	if w == nil {
		return nil, fmt.Errorf("metadata: null entry in %q", where)
	}
	if w.Name == nil {
		return nil, fmt.Errorf("metadata: entry without a name in %q", where)
	}
	m := &Metadata{
		Name:           *w.Name,
		IsFolder:       bool(w.IsFolder),
		ParentFolderID: uint64(w.ParentFolderID),
		Category:       Category(w.Category),
		ContentType:    string(w.ContentType),
		Size:           int64(w.Size),
		Hash:           uint64(w.Hash),
		Created:        time.Time(w.Created),
		Modified:       time.Time(w.Modified),
		Artist:         string(w.Artist),
		Album:          string(w.Album),
		Title:          string(w.Title),
		Genre:          string(w.Genre),
		TrackNo:        int(w.TrackNo),
	}
	if m.IsFolder {
		m.FolderID = uint64(w.FolderID)
		m.Category = CategoryOther
	} else {
		m.FileID = uint64(w.FileID)
		if m.Category < CategoryOther || m.Category > CategoryArchive {
			m.Category = CategoryOther
		}
	}
	if len(w.Contents) > 0 {
		if !m.IsFolder {
			return nil, fmt.Errorf("metadata: file %q has contents", m.Name)
		}
		m.Contents = make([]*Metadata, 0, len(w.Contents))
		for _, cw := range w.Contents {
			cm, err := cw.convert(m.Name)
			if err != nil {
				return nil, err
			}
			m.Contents = append(m.Contents, cm)
		}
	}
	return m, nil
}

// wireUser is userinfo's answer (also login's and tfa_login's).
type wireUser struct {
	Email     flexString
	UserID    flexUint
	Premium   flexBool
	Quota     flexInt
	UsedQuota flexInt
}

func decodeUser(ans map[string]jsonRaw) (UserInfo, error) {
	var w wireUser
	for _, f := range []struct {
		name string
		v    any
	}{{"email", &w.Email}, {"userid", &w.UserID}, {"premium", &w.Premium}, {"quota", &w.Quota}, {"usedquota", &w.UsedQuota}} {
		if err := field(ans, f.name, f.v); err != nil {
			return UserInfo{}, err
		}
	}
	return UserInfo{
		Email:     string(w.Email),
		UserID:    uint64(w.UserID),
		Premium:   bool(w.Premium),
		Quota:     int64(w.Quota),
		UsedQuota: int64(w.UsedQuota),
	}, nil
}

// decodeLink reads getaudiolink's or getfilelink's answer.
func decodeLink(ans map[string]jsonRaw, scheme string) (Link, error) {
	var path string
	var hosts []string
	var exp flexTime
	if err := field(ans, "path", &path); err != nil {
		return Link{}, err
	}
	if err := field(ans, "hosts", &hosts); err != nil {
		return Link{}, err
	}
	if err := field(ans, "expires", &exp); err != nil {
		return Link{}, err
	}
	if !strings.HasPrefix(path, "/") {
		return Link{}, fmt.Errorf("link path %q does not start with /", path)
	}
	good := hosts[:0]
	for _, h := range hosts {
		if validHost(h) {
			good = append(good, h)
		}
	}
	if len(good) == 0 {
		return Link{}, errors.New("link without usable hosts")
	}
	if scheme == "" {
		scheme = "https"
	}
	return Link{Hosts: good, Path: path, Expires: time.Time(exp), Scheme: scheme}, nil
}

// validHost accepts host or host:port, nothing that would change the URL's
// meaning (user info, paths, queries).
func validHost(h string) bool {
	if h == "" || strings.ContainsAny(h, "/\\?#@ \t\r\n%") {
		return false
	}
	return true
}
