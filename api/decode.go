package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
	Thumb          flexBool    `json:"thumb"`
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
		Thumb:          bool(w.Thumb),
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
