package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// ListEvent is what [ListOptions.Visit] is told of a listing as it is read.
type ListEvent int

const (
	// ListFolder: a folder begins (its own fields; no Contents). The first
	// is the listed folder itself; then, for a recursive listing, each
	// folder below it, depth first.
	ListFolder ListEvent = iota
	// ListFile: a file of the folder begun last and not ended.
	ListFile
	// ListEnd: the folder begun last ends.
	ListEnd
)

// ListVisitor receives a listing entry by entry (see [ListOptions.Visit]).
// An error it returns ends the call with that error.
type ListVisitor func(ev ListEvent, m *Metadata) error

// visitError is a [ListVisitor]'s own failure, passed on as it is.
type visitError struct{ err error }

func (e *visitError) Error() string { return e.err.Error() }
func (e *visitError) Unwrap() error { return e.err }

// errReader remembers the error of the body it reads (not io.EOF), so
// that a network failure in the middle of a streamed answer is told apart
// from a malformed answer.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// decodeStream reads an answer object whose "metadata" member goes to
// visit as it is read, without holding the listing; the other members are
// returned (small: result, error...).
func decodeStream(dec *json.Decoder, visit ListVisitor) (map[string]jsonRaw, error) {
	if err := expectDelim(dec, '{'); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	ans := map[string]jsonRaw{}
	for dec.More() {
		k, err := key(dec)
		if err != nil {
			return nil, err
		}
		if k == "metadata" {
			s := &metaStream{dec: dec, visit: visit}
			null, err := s.object(0, "")
			if err != nil {
				return nil, err
			}
			if !null {
				ans[k] = jsonRaw(`{}`) // present (read already)
			}
			continue
		}
		var raw jsonRaw
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		ans[k] = raw
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	return ans, nil
}

func expectDelim(dec *json.Decoder, d json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != d {
		return fmt.Errorf("%v where %q was expected", t, string(d))
	}
	return nil
}

func key(dec *json.Decoder) (string, error) {
	t, err := dec.Token()
	if err != nil {
		return "", err
	}
	k, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("%v where a key was expected", t)
	}
	return k, nil
}

// metaStream reads metadata objects token by token.
type metaStream struct {
	dec   *json.Decoder
	visit ListVisitor
	skip  jsonRaw
}

func (s *metaStream) emit(ev ListEvent, m *Metadata) error {
	if err := s.visit(ev, m); err != nil {
		return &visitError{err}
	}
	return nil
}

// object reads one metadata object (null: reports so). A folder's contents
// are passed on as they are read when its name and kind came before them
// (pCloud's order); otherwise that folder is read whole first.
func (s *metaStream) object(depth int, where string) (null bool, err error) {
	t, err := s.dec.Token()
	if err != nil {
		return false, err
	}
	if t == nil {
		return true, nil
	}
	if t != json.Delim('{') {
		return false, fmt.Errorf("metadata: %v where an object was expected in %q", t, where)
	}
	var w wireMeta
	var named, kind, ided, begun bool
	var held []*wireMeta // contents read whole (out of order)
	for s.dec.More() {
		k, err := key(s.dec)
		if err != nil {
			return false, err
		}
		var into any
		switch strings.ToLower(k) {
		case "contents":
			if named && kind && ided && !begun {
				m, err := w.convert(where)
				if err != nil {
					return false, err
				}
				if !m.IsFolder {
					// A file with contents: an error unless they are empty.
					if err := s.dec.Decode(&held); err != nil {
						return false, fmt.Errorf("metadata: %w", err)
					}
					if len(held) > 0 {
						return false, fmt.Errorf("metadata: file %q has contents", m.Name)
					}
					continue
				}
				if err := s.emit(ListFolder, m); err != nil {
					return false, err
				}
				begun = true
				if err := s.contents(depth+1, m.Name); err != nil {
					return false, err
				}
				continue
			}
			into = &held
		case "name":
			into, named = &w.Name, true
		case "isfolder":
			into, kind = &w.IsFolder, true
		case "folderid":
			into, ided = &w.FolderID, true
		case "fileid":
			into, ided = &w.FileID, true
		default:
			// Every other field of wireMeta, by its json name (one
			// home: a field added there is streamed too).
			into = &s.skip
			if i, ok := wireFields[strings.ToLower(k)]; ok {
				into = reflect.ValueOf(&w).Elem().Field(i).Addr().Interface()
			}
		}
		if begun && into != &s.skip {
			// A field after the contents were passed on: too late to
			// matter, read and dropped.
			into = &s.skip
		}
		if err := s.dec.Decode(into); err != nil {
			return false, fmt.Errorf("metadata: %q: %w", k, err)
		}
	}
	if _, err := s.dec.Token(); err != nil { // '}'
		return false, err
	}
	if begun {
		return false, s.emit(ListEnd, nil)
	}
	w.Contents = held
	m, err := w.convert(where)
	if err != nil {
		return false, err
	}
	return false, s.tree(m)
}

// contents reads a contents array, passing each entry on.
func (s *metaStream) contents(depth int, where string) error {
	t, err := s.dec.Token()
	if err != nil {
		return err
	}
	if t == nil {
		return nil
	}
	if t != json.Delim('[') {
		return fmt.Errorf("metadata: %q: contents are not an array", where)
	}
	for s.dec.More() {
		null, err := s.object(depth, where)
		if err != nil {
			return err
		}
		if null {
			return fmt.Errorf("metadata: null entry in %q", where)
		}
	}
	_, err = s.dec.Token() // ']'
	return err
}

// tree passes on a metadata object read whole.
func (s *metaStream) tree(m *Metadata) error {
	if !m.IsFolder {
		return s.emit(ListFile, m)
	}
	contents := m.Contents
	m.Contents = nil
	if err := s.emit(ListFolder, m); err != nil {
		return err
	}
	for _, c := range contents {
		if err := s.tree(c); err != nil {
			return err
		}
	}
	return s.emit(ListEnd, nil)
}

// visitErr finds a [ListVisitor]'s own error in err.
func visitErr(err error) error {
	var ve *visitError
	if errors.As(err, &ve) {
		return ve.err
	}
	return nil
}

// wireFields is wireMeta's fields by their json names, lower case.
var wireFields = func() map[string]int {
	t := reflect.TypeFor[wireMeta]()
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" {
			m[strings.ToLower(name)] = i
		}
	}
	return m
}()
