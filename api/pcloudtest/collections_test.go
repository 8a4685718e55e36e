package pcloudtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func num(v any) int {
	n, _ := v.(json.Number).Int64()
	return int(n)
}

func collectionsOf(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, c := range m["collections"].([]any) {
		out = append(out, c.(map[string]any))
	}
	return out
}

func positionsOf(t *testing.T, co map[string]any) []string {
	t.Helper()
	var out []string
	for i, it := range co["contents"].([]any) {
		m := it.(map[string]any)
		if num(m["position"]) == 0 || m["added"] == nil {
			t.Fatalf("item %d without position/added: %v", i, m)
		}
		out = append(out, m["name"].(string))
	}
	return out
}

func TestCollectionsLifecycle(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	one, two := s.FileID("/Music/Album/01 One.mp3"), s.FileID("/Music/Album/02 Two.mp3")
	video := s.FileID("/Music/Video.mp4")
	ids := func(v ...uint64) string {
		var p []string
		for _, id := range v {
			p = append(p, strconv.FormatUint(id, 10))
		}
		return strings.Join(p, ",")
	}

	// The system collection appears on the first list, once.
	m := postAPI(t, s.URL(), "collection_list", vals("auth", tok, "type", "1"))
	wantResult(t, m, 0)
	cols := collectionsOf(m)
	if len(cols) != 1 || cols[0]["system"] != true || cols[0]["name"] != "Most Listened" || num(cols[0]["items"]) != 3 {
		t.Fatalf("first list: %v", cols)
	}
	sys := cols[0]["id"].(json.Number).String()
	wantResult(t, postAPI(t, s.URL(), "collection_delete", vals("auth", tok, "collectionid", sys)), 2065)
	wantResult(t, postAPI(t, s.URL(), "collection_linkfiles", vals("auth", tok, "collectionid", sys, "fileids", ids(one))), 2065)

	m = postAPI(t, s.URL(), "collection_create", vals("auth", tok, "name", "Mine", "fileids", ids(two, one, two)))
	wantResult(t, m, 0)
	lr := m["linkresult"].([]any)
	if len(lr) != 3 || num(lr[0].(map[string]any)["result"]) != 0 || num(lr[2].(map[string]any)["result"]) != 2072 {
		t.Fatalf("linkresult %v", lr)
	}
	co := m["collection"].(map[string]any)
	id := co["id"].(json.Number).String()
	if num(co["items"]) != 2 || co["type"] != "audio" {
		t.Fatalf("created %v", co)
	}
	wantResult(t, postAPI(t, s.URL(), "collection_create", vals("auth", tok, "name", "Mine")), 2073)

	// noitems empties linkresult.
	m = postAPI(t, s.URL(), "collection_linkfiles", vals("auth", tok, "collectionid", id, "fileids", ids(video), "noitems", "1"))
	wantResult(t, m, 0)
	if len(m["linkresult"].([]any)) != 0 || num(m["collection"].(map[string]any)["items"]) != 3 {
		t.Errorf("noitems: %v", m)
	}
	wantResult(t, postAPI(t, s.URL(), "collection_move", vals("auth", tok, "collectionid", id, "item", "3", "position", "1")), 0)
	wantResult(t, postAPI(t, s.URL(), "collection_move", vals("auth", tok, "collectionid", id, "item", "4", "position", "1")), 2066)
	m = postAPI(t, s.URL(), "collection_details", vals("auth", tok, "collectionid", id))
	if got := positionsOf(t, m["collection"].(map[string]any)); strings.Join(got, "|") != "Video.mp4|02 Two.mp3|01 One.mp3" {
		t.Errorf("after move: %v", got)
	}

	// A short page while more remain; a trashed file vanishes.
	s.SetCollectionShortPages(true)
	m = postAPI(t, s.URL(), "collection_details", vals("auth", tok, "collectionid", id, "page", "1", "pagesize", "2"))
	if got := positionsOf(t, m["collection"].(map[string]any)); len(got) != 1 || num(m["collection"].(map[string]any)["items"]) != 3 {
		t.Errorf("short page: %v", got)
	}
	s.TrashFile(two)
	m = postAPI(t, s.URL(), "collection_details", vals("auth", tok, "collectionid", id, "page", "2", "pagesize", "2"))
	if got := positionsOf(t, m["collection"].(map[string]any)); len(got) != 0 {
		t.Errorf("page 2 after trashing its only file: %v", got)
	}
	wantResult(t, postAPI(t, s.URL(), "collection_unlinkfiles", vals("auth", tok, "collectionid", id, "positions", "1")), 0)
	if got := s.CollectionFiles(alice, "Mine"); len(got) != 1 || got[0] != one {
		t.Errorf("after unlink: %v", got)
	}

	wantResult(t, postAPI(t, s.URL(), "collection_rename", vals("auth", tok, "collectionid", "999", "name", "x")), 2065)
	wantResult(t, postAPI(t, s.URL(), "collection_rename", vals("auth", tok, "collectionid", id)), 1039)
	wantResult(t, postAPI(t, s.URL(), "collection_delete", vals("auth", tok, "collectionid", id)), 0)
	wantResult(t, postAPI(t, s.URL(), "collection_details", vals("auth", tok, "collectionid", id)), 2065)
	wantResult(t, postAPI(t, s.URL(), "collection_list", nil), 1000)
}

func TestCollectionsRefuseOAuth(t *testing.T) {
	s := newTestServer(t, func(o *Options) { o.RefuseOAuthCollections = true })
	tok := s.Token(alice)
	wantResult(t, postAPI(t, s.URL(), "collection_list", vals("access_token", tok)), OAuthRefusedCode)
	req, _ := http.NewRequest("POST", s.URL()+"/collection_create", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	wantResult(t, decode(t, "collection_create", resp), OAuthRefusedCode)
	wantResult(t, postAPI(t, s.URL(), "userinfo", vals("access_token", tok)), 0)
	wantResult(t, postAPI(t, s.URL(), "collection_list", vals("auth", tok)), 0)
}
