package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

const docFile = `{"name":"Simple Audio.mp3","isfolder":false,"fileid":1723778,"parentfolderid":0,
 "id":"f1723778","icon":"audio","category":3,"contenttype":"audio/mpeg",
 "size":11252576,"hash":5380817599554757000,"created":"Thu, 21 Mar 2013 18:31:45 +0000","modified":1363890705,
 "ismine":true,"isshared":false,"thumb":false,
 "artist":"Pcloud","album":"The album","title":"Simple Audio","genre":"Genre","trackno":1}`

const docTree = `{"name":"/","isfolder":true,"folderid":0,"created":1363890705,"modified":1363890705,"contents":[
 {"name":"Music","isfolder":true,"folderid":12,"parentfolderid":0,"contents":[
  {"name":"a.flac","isfolder":false,"fileid":99,"parentfolderid":12,"category":3,"hash":"18446744073709551615","size":"42","trackno":"3/12"},
  {"name":"b.mp3","isfolder":false,"fileid":100,"parentfolderid":12,"category":3,"hash":9223372036854775808,"trackno":" 07 "},
  {"name":"c.mp3","isfolder":false,"fileid":101,"parentfolderid":12,"category":3,"trackno":"side A"},
  {"name":"1999","isfolder":false,"fileid":102,"parentfolderid":12,"category":2,"title":1999,"trackno":2.0}
 ]},
 {"name":"notes.txt","isfolder":false,"fileid":7,"category":4,"size":10,"hash":1}
]}`

func TestDecodeMetadataDocExample(t *testing.T) {
	m, err := DecodeMetadata([]byte(docFile))
	if err != nil {
		t.Fatal(err)
	}
	want := Metadata{
		Name: "Simple Audio.mp3", FileID: 1723778, Category: CategoryAudio, ContentType: "audio/mpeg",
		Size: 11252576, Hash: 5380817599554757000,
		Created:  time.Date(2013, 3, 21, 18, 31, 45, 0, time.UTC),
		Modified: time.Date(2013, 3, 21, 18, 31, 45, 0, time.UTC),
		Artist:   "Pcloud", Album: "The album", Title: "Simple Audio", Genre: "Genre", TrackNo: 1,
	}
	if !m.Created.Equal(want.Created) || !m.Modified.Equal(want.Modified) {
		t.Fatalf("dates %v %v", m.Created, m.Modified)
	}
	m.Created, m.Modified, want.Created, want.Modified = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if m.Contents != nil || !reflect.DeepEqual(*m, want) {
		t.Fatalf("got  %+v\nwant %+v", *m, want)
	}
}

func TestDecodeMetadataTree(t *testing.T) {
	m, err := DecodeMetadata([]byte(docTree))
	if err != nil {
		t.Fatal(err)
	}
	if !m.IsFolder || len(m.Contents) != 2 || m.Created.Unix() != 1363890705 {
		t.Fatalf("root %+v", m)
	}
	music := m.Contents[0]
	if music.FolderID != 12 || len(music.Contents) != 4 {
		t.Fatalf("music %+v", music)
	}
	a, b, c, d := music.Contents[0], music.Contents[1], music.Contents[2], music.Contents[3]
	if a.Hash != 18446744073709551615 || a.Size != 42 || a.TrackNo != 3 || a.FileID != 99 || a.ParentFolderID != 12 {
		t.Fatalf("a %+v", a)
	}
	if b.Hash != 1<<63 || b.TrackNo != 7 {
		t.Fatalf("b %+v", b)
	}
	if c.TrackNo != 0 {
		t.Fatalf("c %+v", c)
	}
	if d.Title != "1999" || d.TrackNo != 2 || !d.Playable() {
		t.Fatalf("d %+v", d)
	}
	if n := m.Contents[1]; n.Playable() || n.Category != CategoryDocument {
		t.Fatalf("notes %+v", n)
	}
}

func TestDecodeFlexible(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{{`3`, 3}, {`"3"`, 3}, {`"3/12"`, 3}, {`"03 "`, 3}, {`"x"`, 0}, {`""`, 0}, {`null`, 0}, {`-4`, 0}, {`"1e3"`, 1000}, {`{}`, 0}, {`[1]`, 0}, {`99999999999999`, 0}} {
		var f flexTrackNo
		if err := json.Unmarshal([]byte(tc.in), &f); err != nil || int(f) != tc.want {
			t.Errorf("trackno %s = %d, %v; want %d", tc.in, f, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want uint64
		bad  bool
	}{{`0`, 0, false}, {`18446744073709551615`, 1<<64 - 1, false}, {`"12"`, 12, false}, {`5.380817599554757e18`, 5380817599554757000, false},
		{`18446744073709551616`, 0, true}, {`-1`, 0, true}, {`1.5`, 0, true}, {`"x"`, 0, true}, {`true`, 0, true}, {`{}`, 0, true},
		{`"12/3"`, 0, true}, {`"0x10"`, 0, true}, {`1e999999999`, 0, true}, {`"1_000"`, 0, true}, {`120e-1`, 12, false}} {
		var f flexUint
		err := json.Unmarshal([]byte(tc.in), &f)
		if (err != nil) != tc.bad || (!tc.bad && uint64(f) != tc.want) {
			t.Errorf("uint %s = %d, %v", tc.in, f, err)
		}
	}
	for _, tc := range []struct {
		in   string
		want int64 // unix; 0 = zero time
	}{{`1363890705`, 1363890705}, {`"1363890705"`, 1363890705}, {`"Thu, 21 Mar 2013 18:31:45 +0000"`, 1363890705},
		{`"Thu, 21 Mar 2013 19:31:45 +0100"`, 1363890705}, {`"Thu, 21 Mar 2013 18:31:45 UTC"`, 1363890705},
		{`"2013-03-21T18:31:45Z"`, 1363890705}, {`"yesterday"`, 0}, {`""`, 0}, {`null`, 0}, {`-5`, 0}, {`1e300`, 0}} {
		var f flexTime
		if err := json.Unmarshal([]byte(tc.in), &f); err != nil {
			t.Errorf("time %s: %v", tc.in, err)
			continue
		}
		got := time.Time(f)
		if (tc.want == 0 && !got.IsZero()) || (tc.want != 0 && got.Unix() != tc.want) {
			t.Errorf("time %s = %v, want %d", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want bool
		bad  bool
	}{{`true`, true, false}, {`1`, true, false}, {`"true"`, true, false}, {`false`, false, false}, {`0`, false, false}, {`"maybe"`, false, true}} {
		var f flexBool
		err := json.Unmarshal([]byte(tc.in), &f)
		if (err != nil) != tc.bad || bool(f) != tc.want {
			t.Errorf("bool %s = %v, %v", tc.in, f, err)
		}
	}
}

func TestDecodeMetadataErrors(t *testing.T) {
	for _, in := range []string{
		``, `null`, `[]`, `"x"`, `{}`, `{"name":1}`,
		`{"name":"f","isfolder":false,"fileid":-3}`,
		`{"name":"f","isfolder":"perhaps"}`,
		`{"name":"f","isfolder":true,"contents":[null]}`,
		`{"name":"f","isfolder":true,"contents":[{"isfolder":false}]}`,
		`{"name":"f","isfolder":false,"contents":[{"name":"g"}]}`,
		`{"name":"f","isfolder":true,"contents":{}}`,
		`{"name":"f"` + strings.Repeat(`,"contents":[{"name":"x"`, 1) + `}`,
		strings.Repeat(`{"name":"d","isfolder":true,"contents":[`, 20000),
	} {
		if m, err := DecodeMetadata([]byte(in)); err == nil {
			t.Errorf("DecodeMetadata(%.60q) = %+v, want an error", in, m)
		}
	}
}

func FuzzDecodeMetadata(f *testing.F) {
	f.Add([]byte(docFile))
	f.Add([]byte(docTree))
	f.Add([]byte(`{"name":"","isfolder":true,"folderid":0,"contents":[]}`))
	f.Add([]byte(`{"name":"x","hash":"18446744073709551615","trackno":"3/12","created":"Thu, 21 Mar 2013 18:31:45 +0000"}`))
	f.Add([]byte(`{"name":"x","isfolder":true,"contents":[{"name":"y","isfolder":true,"contents":[{"name":"z","fileid":1,"category":3,"trackno":"7"}]}]}`))
	f.Add([]byte(`{"name":"x","size":1e400}`))
	f.Add([]byte(`{"name":"x","category":-9,"size":"-1"}`))
	f.Add([]byte(`"plain \u00e9 \" string"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The string fast path agrees with encoding/json on valid input.
		var want string
		if json.Unmarshal(data, &want) == nil {
			if got, err := jsonString(bytes.TrimSpace(data)); err != nil || got != want {
				t.Fatalf("jsonString(%q) = %q, %v; want %q", data, got, err, want)
			}
		}
		m, err := DecodeMetadata(data)
		if err != nil {
			if m != nil {
				t.Fatal("metadata with an error")
			}
			return
		}
		walk(m, func(x *Metadata) {
			if x.IsFolder && x.FileID != 0 || !x.IsFolder && (x.FolderID != 0 || len(x.Contents) != 0) {
				t.Fatalf("inconsistent %+v", x)
			}
			if x.TrackNo < 0 || x.Category < CategoryOther || x.Category > CategoryArchive {
				t.Fatalf("out of range %+v", x)
			}
			_ = x.Playable()
		})
	})
}
