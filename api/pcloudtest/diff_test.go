package pcloudtest

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func entries(m map[string]any) []map[string]any {
	raw, _ := m["entries"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, e := range raw {
		out = append(out, e.(map[string]any))
	}
	return out
}

func field(m map[string]any, k string) uint64 {
	switch v := m[k].(type) {
	case float64:
		return uint64(v)
	case json.Number:
		n, _ := strconv.ParseUint(v.String(), 10, 64)
		return n
	}
	return 0
}

func TestDiffEvents(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	m := callAPI(t, s.URL(), "diff", vals("auth", tok, "last", "0"))
	wantResult(t, m, 0)
	start := field(m, "diffid")
	if start != s.DiffID() || len(entries(m)) != 0 {
		t.Fatalf("last=0: %v", m)
	}
	album := s.FolderID("/Music/Album")
	id := s.AddFile("/Music/Album", AudioFile("03 Three.mp3", map[int][]byte{64: frames(10, 64)}, Tags{Title: "Three"}))
	s.Move("/Music/Album", "/Docs", "Moved")
	s.SetTags("/Docs/Moved/03 Three.mp3", Tags{Title: "Drei"})
	s.Remove("/Docs/Moved")

	m = callAPI(t, s.URL(), "diff", vals("auth", tok, "diffid", sprintf("%d", start), "timeformat", "timestamp"))
	wantResult(t, m, 0)
	var got []string
	for _, e := range entries(m) {
		md, _ := e["metadata"].(map[string]any)
		got = append(got, e["event"].(string)+":"+str(md, "name"))
	}
	want := "createfile:03 Three.mp3 modifyfolder:Moved modifyfile:03 Three.mp3 deletefile:01 One.mp3 deletefile:02 Two.mp3 deletefile:03 Three.mp3 deletefolder:Moved"
	if strings.Join(got, " ") != want {
		t.Fatalf("events:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	first := entries(m)[0]
	if md := first["metadata"].(map[string]any); field(md, "fileid") != id || field(md, "parentfolderid") != album {
		t.Fatalf("createfile metadata: %v", md)
	}
	if field(m, "diffid") != s.DiffID() {
		t.Fatalf("diffid %d, want %d", field(m, "diffid"), s.DiffID())
	}
	// limit pages the feed; the diffid given back is the last one sent.
	m = callAPI(t, s.URL(), "diff", vals("auth", tok, "diffid", sprintf("%d", start), "limit", "2"))
	if len(entries(m)) != 2 || field(m, "diffid") != start+2 {
		t.Fatalf("limit 2: %v", m)
	}
	// A forgotten history answers reset.
	s.ForgetDiffs()
	m = callAPI(t, s.URL(), "diff", vals("auth", tok, "diffid", sprintf("%d", start)))
	if es := entries(m); len(es) != 1 || es[0]["event"] != "reset" {
		t.Fatalf("old diffid: %v", m)
	}
	if m := callAPI(t, s.URL(), "diff", vals("diffid", "1")); result(m) != 1000 {
		t.Fatalf("no token: %v", m)
	}
}

func TestDiffBlockWakes(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	start := s.DiffID()
	var wg sync.WaitGroup
	var m map[string]any
	wg.Add(1)
	go func() {
		defer wg.Done()
		m = callAPIQuiet(s.URL(), "diff", "auth="+tok+"&block=1&diffid="+sprintf("%d", start))
	}()
	// Wait until the call is in, then change something.
	deadline := time.Now().Add(10 * time.Second)
	for s.waitingDiffs() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	s.AddFolder("/", "New")
	wg.Wait()
	if es := entries(m); len(es) != 1 || es[0]["event"] != "createfolder" {
		t.Fatalf("blocked diff answered %v", m)
	}
	// Nothing new: held until the block timeout, then no entries.
	s.SetDiffBlockTimeout(50 * time.Millisecond)
	m = callAPI(t, s.URL(), "diff", vals("auth", tok, "block", "1", "diffid", sprintf("%d", s.DiffID())))
	if len(entries(m)) != 0 || field(m, "diffid") != s.DiffID() {
		t.Fatalf("quiet block: %v", m)
	}
}

func callAPIQuiet(base, method, query string) map[string]any {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/"+method+"?"+query, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return map[string]any{"err": err.Error()}
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return m
}

func TestListLimits(t *testing.T) {
	s := NewServer(Options{Root: Dir("", Dir("A", Dir("B", Dir("C", OtherFile("x", 0, 1)))), Dir("Big",
		OtherFile("1", 0, 1), OtherFile("2", 0, 1), OtherFile("3", 0, 1))), Accounts: []Account{{Email: alice, Password: alicePW}}})
	t.Cleanup(s.Close)
	tok := s.Token(alice)
	s.SetListLimits(ListLimits{RefuseRootRecursive: true, MaxRecursiveFiles: 2, MaxDepth: 2})
	m := callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0", "recursive", "1"))
	if _, ok := m["metadata"]; ok || result(m) != 0 {
		t.Fatalf("root recursive: %v", m)
	}
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0")), 0)
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "path", "/Big", "recursive", "1")), 5000)
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "path", "/Big")), 0)
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "path", "/A", "recursive", "1")), 5000)
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "path", "/A/B", "recursive", "1")), 0)
	s.SetListLimits(ListLimits{})
	wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0", "recursive", "1")), 0)
}

func TestGenerate(t *testing.T) {
	a, b := Generate(GenOptions{Tracks: 3000, Seed: 7}), Generate(GenOptions{Tracks: 3000, Seed: 7})
	var count func(n *Node, depth int) (audio, other, untagged, discs int, names string)
	count = func(n *Node, depth int) (audio, other, untagged, discs int, names string) {
		for _, c := range n.Children {
			if c.Folder {
				a, o, u, d, s := count(c, depth+1)
				audio, other, untagged, discs, names = audio+a, other+o, untagged+u, discs+d, names+"/"+c.Name+s
				if strings.HasPrefix(c.Name, "Disc ") {
					discs++
				}
				continue
			}
			names += "," + c.Name
			if c.Category == 3 {
				audio++
				if c.Artist == "" {
					untagged++
				}
			} else {
				other++
			}
		}
		return
	}
	au, ot, un, di, na := count(a, 0)
	_, _, _, _, nb := count(b, 0)
	if au != 3000 || ot == 0 || un == 0 || un == au || di == 0 {
		t.Fatalf("audio %d other %d untagged %d discs %d", au, ot, un, di)
	}
	if na != nb {
		t.Fatal("the same seed gave two trees")
	}
	for _, want := range []string{"é", "ヒカル", "Compilations", " - "} {
		if !strings.Contains(na, want) {
			t.Errorf("no %q in the generated names", want)
		}
	}
	s := NewServer(Options{Root: a}) // panics on duplicate names
	s.Close()
}
