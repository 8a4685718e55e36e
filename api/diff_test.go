package api

import (
	"testing"
)

func TestDiffAndListFolderWith(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	ctx := ctxT(t)
	page, err := c.Diff(ctx, DiffOptions{Latest: true})
	if err != nil || page.DiffID != srv.DiffID() || len(page.Entries) != 0 {
		t.Fatalf("latest: %+v %v", page, err)
	}
	id := srv.AddFolder("/Music", "New é")
	srv.Remove("/Music/New é")
	page, err = c.Diff(ctx, DiffOptions{DiffID: page.DiffID})
	if err != nil || len(page.Entries) != 2 || page.DiffID != srv.DiffID() {
		t.Fatalf("after: %+v %v", page, err)
	}
	e := page.Entries[0]
	if e.Event != EventCreateFolder || e.Metadata == nil || !e.Metadata.IsFolder || e.Metadata.FolderID != id ||
		e.Metadata.Name != "New é" || e.Time.IsZero() || page.Entries[1].Event != EventDeleteFolder {
		t.Fatalf("entries: %+v %+v", e, e.Metadata)
	}
	srv.ResetDiff()
	page, err = c.Diff(ctx, DiffOptions{DiffID: page.DiffID, Block: true})
	if err != nil || len(page.Entries) != 1 || page.Entries[0].Event != EventReset || page.Entries[0].Metadata != nil {
		t.Fatalf("reset: %+v %v", page, err)
	}
	if p := srv.Calls("diff"); p[len(p)-1].Params.Get("block") != "1" {
		t.Fatalf("block not sent: %v", p[len(p)-1].Params)
	}

	m, err := c.ListFolderWith(ctx, 0, ListOptions{NoFiles: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range m.Contents {
		if !ch.IsFolder {
			t.Fatalf("nofiles listed %q", ch.Name)
		}
	}
}

func TestListFolderWithAttempts(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	srv.FailNext(1, 5000)
	if _, err := c.ListFolderWith(ctxT(t), 0, ListOptions{Recursive: true, Attempts: 1}); err == nil {
		t.Fatal("one attempt: the 5000 was retried")
	}
	srv.FailNext(1, 5000)
	if _, err := c.ListFolderWith(ctxT(t), 0, ListOptions{}); err != nil {
		t.Fatalf("default attempts: %v", err)
	}
}
