package ui

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

// TestFolderOrderIsTheLibrarysOrder: a folder added from the Folders view
// and the library's TracksUnder of the same folder give the same tracks in
// the same order, the one the view shows.
func TestFolderOrderIsTheLibrarysOrder(t *testing.T) {
	song := func(name string) *pcloudtest.Node { return pcloudtest.AudioFile(name, mp3Stub, pcloudtest.Tags{}) }
	root := pcloudtest.Dir("",
		pcloudtest.Dir("A",
			song("10 Ten.mp3"), song("2 Two.mp3"), song("250.mp3"), song("025.mp3"), song("Zed.mp3"), song("zed.mp3"),
			pcloudtest.Dir("Very Long", song("x.mp3")),
			pcloudtest.Dir("Ñandú", song("x.mp3")),
			pcloudtest.Dir("B", song("9.mp3"), pcloudtest.Dir("10", song("a.mp3")), pcloudtest.Dir("9", song("b.mp3"))),
			pcloudtest.Dir("b2", song("1 One.mp3"))))
	srv := pcloudtest.NewServer(pcloudtest.Options{Root: root, Accounts: []pcloudtest.Account{{Email: testEmail, Password: testPass}}})
	t.Cleanup(srv.Close)
	c := newClient(t, srv, srv.Token(testEmail))
	ctx := context.Background()

	lib, err := library.Open(filepath.Join(t.TempDir(), "library.db"), library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	if err := lib.Scan(ctx, c, library.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	ts, err := lib.TracksUnder(ctx, "/A")
	if err != nil {
		t.Fatal(err)
	}
	var fromLib []uint64
	for _, tr := range ts {
		fromLib = append(fromLib, tr.FileID)
	}

	md, err := c.ListFolder(ctx, srv.FolderID("/A"), true)
	if err != nil {
		t.Fatal(err)
	}
	added := player.TracksOf(md)
	var fromView []uint64
	var names []string
	for _, tr := range added {
		fromView = append(fromView, tr.FileID)
		names = append(names, tr.Name)
	}
	want := []string{"b.mp3", "a.mp3", "9.mp3", "1 One.mp3", "x.mp3", "x.mp3", "2 Two.mp3", "10 Ten.mp3", "025.mp3", "250.mp3", "Zed.mp3", "zed.mp3"}
	if !slices.Equal(names, want) {
		t.Fatalf("the Folders view adds %q\nwant %q", names, want)
	}
	if !slices.Equal(fromView, fromLib) {
		t.Fatalf("file ids: the Folders view adds %v, the library lists %v", fromView, fromLib)
	}
}
