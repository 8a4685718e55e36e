package api

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

// bigListing is a recursive listfolder "metadata" of n files in folders of
// 20, shaped like pCloud's (all fields, tags on every file).
func bigListing(n int) []byte {
	type obj = map[string]any
	var folders []any
	for f := 0; f*20 < n; f++ {
		var files []any
		for i := 0; i < 20 && f*20+i < n; i++ {
			id := f*20 + i + 1000
			files = append(files, obj{
				"name": fmt.Sprintf("%02d Some Track Title %d.flac", i+1, id), "isfolder": false, "fileid": id,
				"parentfolderid": f + 1, "id": fmt.Sprintf("f%d", id), "icon": "audio", "category": 3,
				"contenttype": "audio/flac", "size": 31234567, "hash": uint64(id) * 2654435761 << 20,
				"created": 1700000000 + id, "modified": 1700000000 + id, "ismine": true, "isshared": false, "thumb": false,
				"artist": "Some Artist", "album": fmt.Sprintf("Album %d", f), "title": fmt.Sprintf("Some Track Title %d", id),
				"genre": "Jazz", "trackno": i + 1,
			})
		}
		folders = append(folders, obj{"name": fmt.Sprintf("Album %d", f), "isfolder": true, "folderid": f + 1,
			"parentfolderid": 0, "created": 1700000000, "modified": 1700000000, "contents": files})
	}
	b, _ := json.Marshal(obj{"name": "/", "isfolder": true, "folderid": 0, "contents": folders})
	return b
}

func BenchmarkDecodeMetadata10k(b *testing.B) {
	data := bigListing(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeMetadata(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListFolderRecursive(b *testing.B) {
	var albums []*pcloudtest.Node
	for a := 0; a < 50; a++ {
		var files []*pcloudtest.Node
		for i := 0; i < 20; i++ {
			files = append(files, pcloudtest.AudioFile(fmt.Sprintf("%02d Track.mp3", i+1), map[int][]byte{128: testAudio}, pcloudtest.Tags{Artist: "A", Album: fmt.Sprint(a), TrackNo: i + 1}))
		}
		albums = append(albums, pcloudtest.Dir(fmt.Sprintf("Album %d", a), files...))
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: usEmail, Password: usPass}},
		Root:     pcloudtest.Dir("", albums...),
	})
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL(), Token: srv.Token(usEmail)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m, err := c.ListFolder(b.Context(), 0, true)
		if err != nil || len(m.Contents) != 50 {
			b.Fatal(err)
		}
	}
}

func BenchmarkAudioLink(b *testing.B) {
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: usEmail, Password: usPass}},
		Root:     testTree(),
	})
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL(), Token: srv.Token(usEmail)})
	if err != nil {
		b.Fatal(err)
	}
	id := srv.FileID("/Music/03 Third.mp3")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.AudioLink(b.Context(), id, 128); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRedact(b *testing.B) {
	s := `pcloud: listfolder: Post "https://api.pcloud.com/listfolder?folderid=0&auth=abcdef0123456789abcdef0123456789": dial tcp 1.2.3.4:443: connect: connection refused`
	for b.Loop() {
		_ = Redact(s)
	}
}
