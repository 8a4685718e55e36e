package pcloudtest

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCollectionRefusal(t *testing.T) {
	for _, on := range []bool{false, true} {
		s := NewServer(Options{Accounts: []Account{{Email: "a@b.c", Password: "pw"}}, RefuseOAuthCollections: on})
		defer s.Close()
		if s.RefusesOAuthCollections() != on {
			t.Fatalf("RefusesOAuthCollections = %v, want %v", !on, on)
		}
		ask := func(form url.Values) int {
			r := httptest.NewRequest("POST", "/collection_list", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if err := r.ParseForm(); err != nil {
				t.Fatal(err)
			}
			return (&call{s: s, region: "us", r: r, p: r.Form}).collectionRefusal()
		}
		want := 0
		if on {
			want = OAuthRefusedCode
		}
		if got := ask(url.Values{"access_token": {s.OAuthToken("a@b.c")}}); got != want {
			t.Errorf("on=%v: an OAuth token gets %d, want %d", on, got, want)
		}
		if got := ask(url.Values{"auth": {s.Token("a@b.c")}}); got != 0 {
			t.Errorf("on=%v: an auth token gets %d", on, got)
		}
	}
}
