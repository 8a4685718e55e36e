package ui

import (
	"strings"
	"testing"
)

// header is the browser pane's title row.
func header(h *harness) string {
	return strings.TrimRight(strings.SplitN(noStyle(h.m), "\n", 2)[0], " ")
}

func wantHeader(t *testing.T, h *harness, prefix string) {
	t.Helper()
	if got := header(h); !strings.HasPrefix(got, prefix+" ") && got != prefix {
		t.Fatalf("header %q, want it to start with %q", got, prefix)
	}
}

// A folder restored by path shows the same breadcrumbs as the same folder
// reached by hand, and so do its children and its parents.
func TestStartPathBreadcrumbs(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {30, 12}} {
		w, hgt := size[0], size[1]
		byHand, _ := browse(t, w, hgt, Options{})
		byHand.keys("enter", "j", "j", "enter") // Music, Live
		restored, _ := browse(t, w, hgt, Options{StartPath: "Music/Live/"})
		if a, b := header(restored), header(byHand); a != b {
			t.Fatalf("%dx%d: restored header %q, by hand %q", w, hgt, a, b)
		}
		byHand.keys("enter")
		restored.keys("enter") // 1969
		if a, b := header(restored), header(byHand); a != b {
			t.Fatalf("%dx%d: child of the restored folder %q, by hand %q", w, hgt, a, b)
		}
		if w >= 80 {
			wantHeader(t, restored, "pCloud › Music › Live › 1969")
		} else {
			wantHeader(t, restored, "… › 1969") // too long for 30 columns
		}
	}

	h, _ := browse(t, 80, 24, Options{StartPath: "/Music/Live"})
	wantHeader(t, h, "pCloud › Music › Live")
	if f := h.m.Folder(); f.Path != "/Music/Live" || f.Name != "Live" {
		t.Fatalf("restored folder %+v", f)
	}
	// Backspace goes to the parent by id; its breadcrumbs and path are
	// known from the restored path.
	h.keys("backspace")
	wantHeader(t, h, "pCloud › Music")
	if f := h.m.Folder(); f.Path != "/Music" || f.Name != "Music" {
		t.Fatalf("parent of the restored folder %+v", f)
	}
	if got := selectedName(h); got != "Live" {
		t.Fatalf("cursor on %q, want Live", got)
	}
	h.keys("backspace")
	wantHeader(t, h, "pCloud")
	if f := h.m.Folder(); f.Path != "/" || f.ID != 0 {
		t.Fatalf("top folder %+v", f)
	}
	wantScreen(t, h, "▸ Music/")
	// And down again by hand: the usual breadcrumbs.
	h.keys("enter")
	wantHeader(t, h, "pCloud › Music")

	// A restored path that no longer exists: breadcrumbs with the error.
	h2, _ := browse(t, 80, 24, Options{StartPath: "/Music/Gone"})
	wantHeader(t, h2, "pCloud › Music › Gone")
	wantScreen(t, h2, "✗ ")

	// A one-level path.
	h3, _ := browse(t, 80, 24, Options{StartPath: "/Music"})
	wantHeader(t, h3, "pCloud › Music")
	h3.keys("backspace")
	wantHeader(t, h3, "pCloud")
}

func TestPathHelpers(t *testing.T) {
	for _, c := range []struct{ in, base, parent string }{
		{"/Music/Album", "Album", "/Music"},
		{"Music/Album/", "Album", "/Music"},
		{"/Music", "Music", "/"},
		{"/", "pCloud", ""},
		{"", "pCloud", ""},
		{"/a/b/c", "c", "/a/b"},
	} {
		if got := baseName(c.in); got != c.base {
			t.Errorf("baseName(%q) = %q, want %q", c.in, got, c.base)
		}
		if got := parentPath(c.in); got != c.parent {
			t.Errorf("parentPath(%q) = %q, want %q", c.in, got, c.parent)
		}
	}
}

// The breadcrumbs shorten from the left a folder at a time, only as much
// as the row needs beside its info: they became "… › 1969" though more
// fitted, and at 44 columns one was cut in the middle.
func TestBreadcrumbsShortenOnlyAsNeeded(t *testing.T) {
	for w, want := range map[int]string{
		30: "… › 1969 ",
		40: "… › Live › 1969 ",
		44: "… › Music › Live › 1969 ",
		50: "pCloud › Music › Live › 1969 ",
	} {
		h, _ := browse(t, w, 16, Options{})
		h.keys("enter", "j", "j", "enter", "enter") // Music, Live, 1969
		if got := header(h); !strings.HasPrefix(got, want) {
			t.Errorf("%d columns: %q, want it to start with %q", w, got, want)
		}
	}
}
