package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// wireCollection is a collection as pCloud sends it. pCloud's own example
// of collection_create shows "collection" as a one-element array; both
// forms are read.
type wireCollection struct {
	ID       flexUint     `json:"id"`
	Name     *flexString  `json:"name"`
	Type     flexCollType `json:"type"`
	IsMine   flexBool     `json:"ismine"`
	System   flexBool     `json:"system"`
	Items    flexInt      `json:"items"`
	Created  flexTime     `json:"created"`
	Modified flexTime     `json:"modified"`
	Contents []wireItem   `json:"contents"`
}

type plainCollection wireCollection

func (w *wireCollection) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(b, &arr); err != nil {
			return fmt.Errorf("collection: %w", err)
		}
		if len(arr) != 1 {
			return fmt.Errorf("collection: an array of %d collections where one was expected", len(arr))
		}
		b = arr[0]
	}
	var p plainCollection
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("collection: %w", err)
	}
	*w = wireCollection(p)
	return nil
}

func (w *wireCollection) convert() (Collection, error) {
	if w.ID == 0 {
		return Collection{}, errors.New("collection without an id")
	}
	co := Collection{
		ID:       uint64(w.ID),
		Type:     int(w.Type),
		IsMine:   bool(w.IsMine),
		System:   bool(w.System),
		Items:    int(w.Items),
		Created:  time.Time(w.Created),
		Modified: time.Time(w.Modified),
	}
	if w.Name != nil {
		co.Name = string(*w.Name)
	}
	for i := range w.Contents {
		it, err := w.Contents[i].convert()
		if err != nil {
			return Collection{}, fmt.Errorf("collection %d: %w", co.ID, err)
		}
		co.Contents = append(co.Contents, it)
	}
	return co, nil
}

// wireItem is a file of a collection: its metadata plus position and added.
type wireItem struct {
	raw      json.RawMessage
	Position flexInt  `json:"position"`
	Added    flexTime `json:"added"`
}

func (w *wireItem) UnmarshalJSON(b []byte) error {
	type plain struct {
		Position flexInt  `json:"position"`
		Added    flexTime `json:"added"`
	}
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	w.raw = append(json.RawMessage(nil), b...)
	w.Position, w.Added = p.Position, p.Added
	return nil
}

func (w *wireItem) convert() (CollectionItem, error) {
	m, err := DecodeMetadata(w.raw)
	if err != nil {
		return CollectionItem{}, err
	}
	if m.IsFolder {
		return CollectionItem{}, fmt.Errorf("folder %q in a collection", m.Name)
	}
	return CollectionItem{File: m, Position: int(w.Position), Added: time.Time(w.Added)}, nil
}

// wireLink is one linkresult entry; pCloud's example gives fileid as a
// string.
type wireLink struct {
	FileID   flexUint        `json:"fileid"`
	Result   flexInt         `json:"result"`
	Message  flexString      `json:"message"`
	Metadata json.RawMessage `json:"metadata"`
}

func (w wireLink) convert() (LinkResult, error) {
	r := LinkResult{FileID: uint64(w.FileID), Code: int(w.Result), Message: tidyMessage(string(w.Message))}
	if r.Code == 0 && len(w.Metadata) > 0 && !isNull(w.Metadata) {
		var it wireItem
		if err := it.UnmarshalJSON(w.Metadata); err != nil {
			return LinkResult{}, fmt.Errorf("linkresult for %d: %w", r.FileID, err)
		}
		ci, err := it.convert()
		if err != nil {
			return LinkResult{}, fmt.Errorf("linkresult for %d: %w", r.FileID, err)
		}
		r.Item = ci
		if r.FileID == 0 {
			r.FileID = ci.File.FileID
		}
	}
	return r, nil
}

// flexCollType is a collection type: a number, or a name ("audio" is 1).
type flexCollType int

func (f *flexCollType) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	switch v := strings.ToLower(strings.TrimSpace(string(s))); v {
	case "audio", "playlist":
		*f = CollectionAudio
	default:
		var n flexInt
		if n.UnmarshalJSON([]byte(v)) == nil {
			*f = flexCollType(n)
		}
	}
	return nil
}
