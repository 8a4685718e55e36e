package api

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

// rebuild makes a tree of the events of a streamed listing.
type rebuild struct {
	root  *Metadata
	stack []*Metadata
}

func (r *rebuild) visit(ev ListEvent, m *Metadata) error {
	switch ev {
	case ListFolder:
		if len(r.stack) == 0 {
			r.root = m
		} else {
			top := r.stack[len(r.stack)-1]
			top.Contents = append(top.Contents, m)
		}
		r.stack = append(r.stack, m)
	case ListFile:
		top := r.stack[len(r.stack)-1]
		top.Contents = append(top.Contents, m)
	case ListEnd:
		r.stack = r.stack[:len(r.stack)-1]
	}
	return nil
}

func streamed(t *testing.T, answer string) (*Metadata, error) {
	t.Helper()
	var r rebuild
	ans, err := decodeStream(json.NewDecoder(strings.NewReader(answer)), r.visit)
	if err != nil {
		return nil, err
	}
	if _, ok := ans["result"]; !ok {
		t.Fatalf("result lost: %v", ans)
	}
	if len(r.stack) != 0 {
		t.Fatalf("%d folders left open", len(r.stack))
	}
	return r.root, nil
}

// reorder moves every "contents" member of an object to its start: a
// folder whose contents come before its name is read whole, the same.
func reorder(t *testing.T, s string) string {
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var enc func(v any) string
	enc = func(v any) string {
		switch x := v.(type) {
		case map[string]any:
			var parts []string
			if c, ok := x["contents"]; ok {
				parts = append(parts, `"contents":`+enc(c))
			}
			for k, e := range x {
				if k != "contents" {
					kb, _ := json.Marshal(k)
					parts = append(parts, string(kb)+":"+enc(e))
				}
			}
			return "{" + strings.Join(parts, ",") + "}"
		case []any:
			var parts []string
			for _, e := range x {
				parts = append(parts, enc(e))
			}
			return "[" + strings.Join(parts, ",") + "]"
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	return enc(v)
}

func TestListStreamMatchesWholeDecode(t *testing.T) {
	want, err := DecodeMetadata([]byte(docTree))
	if err != nil {
		t.Fatal(err)
	}
	for name, answer := range map[string]string{
		"pCloud's order, result last": `{"metadata":` + docTree + `,"result":0}`,
		"result first":                `{"result":0,"metadata":` + docTree + `}`,
		"contents first":              `{"result":0,"metadata":` + reorder(t, docTree) + `}`,
	} {
		got, err := streamed(t, answer)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: streamed\n%+v\nwant\n%+v", name, got, want)
		}
	}
}

func TestListStreamMalformed(t *testing.T) {
	for _, answer := range []string{
		`{"result":0,"metadata":{"name":"x","isfolder":true,"folderid":1,"contents":[{"name":"a"`,
		`{"result":0,"metadata":{"name":"x","isfolder":true,"folderid":1,"contents":[null]}}`,
		`{"result":0,"metadata":{"name":"x","isfolder":true,"folderid":1,"contents":[{"isfolder":false,"fileid":3}]}}`,
		`{"result":0,"metadata":{"name":"x","isfolder":false,"fileid":1,"contents":[{"name":"a","fileid":3}]}}`,
		`{"result":0,"metadata":{"name":"x","isfolder":true,"folderid":1,"contents":7}}`,
		`[1]`,
	} {
		if _, err := streamed(t, answer); err == nil {
			t.Errorf("%s: no error", answer)
		}
	}
}

// Through the fake over HTTP: a recursive listing passed on as it is read
// is the listing read whole; the visitor's own error ends the call as it is.
func TestListFolderVisit(t *testing.T) {
	srv := newServer(t, func(o *pcloudtest.Options) { o.Root = pcloudtest.Generate(pcloudtest.GenOptions{Tracks: 300, Seed: 3}) })
	c := newClient(t, srv, RegionUS, func(o *Options) { o.Token = srv.Token(usEmail) })
	ctx := ctxT(t)
	music := srv.FolderID("/Music")
	whole, err := c.ListFolderWith(ctx, music, ListOptions{Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	var r rebuild
	root, err := c.ListFolderWith(ctx, music, ListOptions{Recursive: true, Visit: r.visit})
	if err != nil {
		t.Fatal(err)
	}
	if root.Contents != nil && root != r.root {
		t.Fatal("the root came back with contents")
	}
	if !reflect.DeepEqual(r.root, whole) {
		t.Fatal("the streamed listing differs from the listing read whole")
	}
	stop := errors.New("stop here")
	n := 0
	_, err = c.ListFolderWith(ctx, music, ListOptions{Recursive: true, Visit: func(ev ListEvent, m *Metadata) error {
		if n++; n == 50 {
			return stop
		}
		return nil
	}})
	if err != stop {
		t.Fatalf("the visitor's error came back as %v", err)
	}
}
