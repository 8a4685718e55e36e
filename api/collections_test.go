package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

// bigTree is /Many/Track 000.mp3 … Track NNN.mp3 (tagged) and /Other/x.pdf.
func bigTree(n int) *pcloudtest.Node {
	many := pcloudtest.Dir("Many")
	for i := range n {
		many.Children = append(many.Children, pcloudtest.AudioFile(fmt.Sprintf("Track %03d.mp3", i),
			map[int][]byte{128: testAudio}, pcloudtest.Tags{Artist: "Ärtist", Title: fmt.Sprintf("Song %d", i), TrackNo: i + 1}))
	}
	return pcloudtest.Dir("", many, pcloudtest.Dir("Other", pcloudtest.OtherFile("x.pdf", 4, 10)))
}

func collWorld(t *testing.T, files int, mod ...func(*pcloudtest.Options)) (*pcloudtest.Server, testClient, []uint64) {
	t.Helper()
	srv := newServer(t, append([]func(*pcloudtest.Options){func(o *pcloudtest.Options) { o.Root = bigTree(files) }}, mod...)...)
	c := newClient(t, srv, RegionUS, func(o *Options) { o.Token = srv.Token(usEmail) })
	ids := make([]uint64, files)
	for i := range ids {
		ids[i] = srv.FileID(fmt.Sprintf("/Many/Track %03d.mp3", i))
	}
	return srv, c, ids
}

func fileIDsOf(co Collection) []uint64 {
	var out []uint64
	for _, it := range co.Contents {
		out = append(out, it.File.FileID)
	}
	return out
}

func sameIDs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCollectionsListHasSystemOnes(t *testing.T) {
	_, c, _ := collWorld(t, 8)
	ctx := ctxT(t)
	cols, err := c.Collections(ctx, CollectionAudio, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) != 1 || !cols[0].System || cols[0].Name != "Most Listened" || cols[0].Type != CollectionAudio {
		t.Fatalf("first list: %+v", cols)
	}
	if cols[0].Items != 5 || len(cols[0].Contents) != 2 || cols[0].Contents[0].Position != 1 {
		t.Errorf("system collection items %d, contents %d (pagesize 2)", cols[0].Items, len(cols[0].Contents))
	}
	err = c.DeleteCollection(ctx, cols[0].ID)
	if e, ok := apiCode(err); !ok || e.Code != CodeCollection {
		t.Fatalf("deleting a system collection: %v", err)
	}
	if s := Sentence(err); !strings.Contains(s, "can't be deleted") {
		t.Errorf("sentence %q", s)
	}
	if again, _ := c.Collections(ctx, CollectionAudio, false, 0); len(again) != 1 {
		t.Errorf("system collection gone or doubled: %+v", again)
	}
}

// Every page is short while more remain: all 250 items come back anyway,
// in order.
func TestCollectionDetailsReadsAllPages(t *testing.T) {
	srv, c, ids := collWorld(t, 1200)
	ctx := ctxT(t)
	co, rep, err := c.CreateCollection(ctx, "Long one", ids)
	if err != nil || rep.Linked() != len(ids) {
		t.Fatalf("create: %v, linked %d", err, rep.Linked())
	}
	srv.SetCollectionShortPages(true)
	srv.ResetLog()
	got, err := c.CollectionDetails(ctx, co.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !sameIDs(fileIDsOf(got), ids) {
		t.Fatalf("got %d items, want %d in order", len(got.Contents), len(ids))
	}
	pages := srv.Calls("collection_details")
	if len(pages) < 3 {
		t.Errorf("%d pages for 1200 items at %d a page", len(pages), DetailsPageSize)
	}
	if got.Contents[0].File.Artist != "Ärtist" || got.Contents[1199].Position != 1200 {
		t.Errorf("items: %+v / %+v", got.Contents[0], got.Contents[1199])
	}
}

// A trashed file vanishes; paging still reaches the end.
func TestCollectionTrashedFilesVanish(t *testing.T) {
	srv, c, ids := collWorld(t, 12)
	ctx := ctxT(t)
	co, _, err := c.CreateCollection(ctx, "Mix", ids)
	if err != nil {
		t.Fatal(err)
	}
	srv.TrashFile(ids[3])
	got, err := c.CollectionDetails(ctx, co.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]uint64{}, ids[:3]...), ids[4:]...)
	if !sameIDs(fileIDsOf(got), want) {
		t.Errorf("after trashing: %v, want %v", fileIDsOf(got), want)
	}
}

// 250 files go in batches of 100; duplicates are reported, not linked.
func TestLinkFilesInBatches(t *testing.T) {
	srv, c, ids := collWorld(t, 260)
	ctx := ctxT(t)
	co, rep, err := c.CreateCollection(ctx, "Batches", nil)
	if err != nil || len(rep.Results) != 0 || co.Items != 0 {
		t.Fatalf("empty create: %+v %+v %v", co, rep, err)
	}
	srv.ResetLog()
	rep, err = c.LinkFiles(ctx, co.ID, ids[:250])
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls("collection_linkfiles")
	if len(calls) != 3 {
		t.Fatalf("%d calls for 250 files", len(calls))
	}
	for i, n := range []int{100, 100, 50} {
		if got := len(strings.Split(calls[i].Params.Get("fileids"), ",")); got != n {
			t.Errorf("batch %d has %d ids, want %d", i, got, n)
		}
	}
	if rep.Linked() != 250 || rep.Collection.Items != 250 || len(rep.Duplicates()) != 0 {
		t.Errorf("linked %d, items %d, duplicates %v", rep.Linked(), rep.Collection.Items, rep.Duplicates())
	}
	// Three already there, one new, one twice in the list.
	rep, err = c.LinkFiles(ctx, co.ID, []uint64{ids[0], ids[1], ids[251], ids[2], ids[251]})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Linked() != 1 || len(rep.Duplicates()) != 4 || len(rep.Failed()) != 0 {
		t.Errorf("linked %d, duplicates %v, failed %v", rep.Linked(), rep.Duplicates(), rep.Failed())
	}
	if got := srv.CollectionFiles(usEmail, "Batches"); len(got) != 251 || got[250] != ids[251] {
		t.Errorf("server holds %d files", len(got))
	}
	// A file that does not exist fails alone.
	rep, err = c.LinkFiles(ctx, co.ID, []uint64{999999, ids[252]})
	if err != nil || rep.Linked() != 1 || len(rep.Failed()) != 1 || rep.Failed()[0].Code != 2009 {
		t.Errorf("missing file: %+v, %v", rep, err)
	}
}

func TestCreateCollectionNameTaken(t *testing.T) {
	_, c, ids := collWorld(t, 3)
	ctx := ctxT(t)
	if _, _, err := c.CreateCollection(ctx, "Jazz ♫", ids[:1]); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.CreateCollection(ctx, "Jazz ♫", ids[1:])
	if !IsNameTaken(err) {
		t.Fatalf("second create: %v", err)
	}
	if s := Sentence(err); !strings.Contains(s, "already have a playlist with that name") {
		t.Errorf("sentence %q", s)
	}
	co, _, err := c.CreateCollection(ctx, "Blues", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RenameCollection(ctx, co.ID, "Jazz ♫"); !IsNameTaken(err) {
		t.Errorf("rename onto a taken name: %v", err)
	}
	r, err := c.RenameCollection(ctx, co.ID, "Blues 2")
	if err != nil || r.Name != "Blues 2" {
		t.Errorf("rename: %+v %v", r, err)
	}
}

func TestUnlinkMoveDelete(t *testing.T) {
	srv, c, ids := collWorld(t, 6)
	ctx := ctxT(t)
	co, _, err := c.CreateCollection(ctx, "Edit", ids)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := c.UnlinkPositions(ctx, co.ID, []int{1, 3}); err != nil || r.Items != 4 {
		t.Fatalf("unlink positions: %+v %v", r, err)
	}
	want := []uint64{ids[1], ids[3], ids[4], ids[5]}
	if got := srv.CollectionFiles(usEmail, "Edit"); !sameIDs(got, want) {
		t.Fatalf("after unlink: %v, want %v", got, want)
	}
	if err := c.MoveItem(ctx, co.ID, 4, ids[5], 1); err != nil {
		t.Fatal(err)
	}
	want = []uint64{ids[5], ids[1], ids[3], ids[4]}
	if got := srv.CollectionFiles(usEmail, "Edit"); !sameIDs(got, want) {
		t.Fatalf("after move: %v, want %v", got, want)
	}
	if _, err := c.UnlinkFiles(ctx, co.ID, []uint64{ids[1]}); err != nil {
		t.Fatal(err)
	}
	if r, err := c.UnlinkAll(ctx, co.ID); err != nil || r.Items != 0 {
		t.Fatalf("unlink all: %+v %v", r, err)
	}
	if err := c.DeleteCollection(ctx, co.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.CollectionDetails(ctx, co.ID)
	if e, ok := apiCode(err); !ok || e.Code != CodeCollection || !strings.Contains(Sentence(err), "no longer exists") {
		t.Errorf("details of a deleted collection: %v", err)
	}
}

// With the refusal switch, a bearer token is refused by collection_* while
// userinfo accepts it; the same token sent as auth= works.
func TestCollectionsRefusedForOAuth(t *testing.T) {
	srv, _, _ := collWorld(t, 2, func(o *pcloudtest.Options) { o.RefuseOAuthCollections = true })
	tok := srv.Token(usEmail)
	bearer := newClient(t, srv, RegionUS, func(o *Options) { o.Token, o.TokenKind = tok, TokenBearer })
	ctx := ctxT(t)
	if _, err := bearer.UserInfo(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := bearer.Collections(ctx, CollectionAudio, false, 0)
	if e, ok := apiCode(err); !ok || e.Code != pcloudtest.OAuthRefusedCode || !IsCollectionMethod(err) {
		t.Fatalf("bearer: %v", err)
	}
	auth := newClient(t, srv, RegionUS, func(o *Options) { o.Token = tok })
	if _, err := auth.Collections(ctx, CollectionAudio, false, 0); err != nil {
		t.Errorf("auth=: %v", err)
	}
}

// pCloud's documented shapes: "collection" as a one-element array, "type"
// as "audio", linkresult fileids as strings.
func TestDecodeCollectionShapes(t *testing.T) {
	c := &Client{}
	ans, err := decodeAnswer([]byte(`{"result":0,"collection":[{"name":"my music","id":40,"ismine":true,"items":1,"system":false,"type":"audio",
		"created":"Thu, 13 Feb 2014 12:34:22 +0000","contents":[]}],
		"linkresult":[{"fileid":"599457","result":0,"metadata":{"fileid":599457,"name":"Demo Audio 2.mp3","isfolder":false,"category":3,"position":9,"added":"Tue, 18 Feb 2014 11:16:24 +0000"}},
		{"fileid":"123","result":2009,"message":"File not found."}]}`))
	if err != nil {
		t.Fatal(err)
	}
	co, res, err := c.decodeCollection("collection_create", ans)
	if err != nil {
		t.Fatal(err)
	}
	if co.ID != 40 || co.Type != CollectionAudio || co.Created.Year() != 2014 || len(res) != 2 {
		t.Fatalf("%+v %+v", co, res)
	}
	if res[0].FileID != 599457 || res[0].Item.Position != 9 || res[0].Item.File.Name != "Demo Audio 2.mp3" || res[1].Code != 2009 || res[1].FileID != 123 {
		t.Errorf("linkresult %+v", res)
	}
	for _, bad := range []string{`{"result":0}`, `{"result":0,"collection":[]}`, `{"result":0,"collection":{"name":"x"}}`, `{"result":0,"collection":{"id":1,"contents":[{"name":"d","isfolder":true}]}}`} {
		ans, _ := decodeAnswer([]byte(bad))
		if _, _, err := c.decodeCollection("collection_details", ans); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// Whether collection_details counts pages from 0 or from 1 is not
// documented: a 3-page playlist is read whole and in order either way (a
// server counting from 0 lost its first page: 3 tracks showed as 1).
func TestCollectionDetailsEitherPageBase(t *testing.T) {
	for _, base := range []int{1, 0} {
		srv, c, ids := collWorld(t, 3*DetailsPageSize-7)
		ctx := ctxT(t)
		co, _, err := c.CreateCollection(ctx, "Three pages", ids)
		if err != nil {
			t.Fatal(err)
		}
		srv.SetCollectionPageBase(base)
		got, err := c.CollectionDetails(ctx, co.ID)
		if err != nil {
			t.Fatalf("base %d: %v", base, err)
		}
		if !sameIDs(fileIDsOf(got), ids) || got.Items != len(ids) {
			t.Errorf("base %d: %d of %d items (collection says %d), or out of order", base, len(got.Contents), len(ids), got.Items)
		}
		for i, it := range got.Contents {
			if it.Position != i+1 {
				t.Fatalf("base %d: entry %d has position %d", base, i, it.Position)
			}
		}
	}
}
