package api

import (
	"strings"
	"testing"
	"time"
)

func TestNewBaseURLs(t *testing.T) {
	for _, tc := range []struct {
		name       string
		o          Options
		base       string
		region     Region
		wantErr    string // substring; "" = no error
		notInError string
	}{
		{name: "default", o: Options{}, base: "https://api.pcloud.com", region: RegionUS},
		{name: "eu", o: Options{Region: RegionEU}, base: "https://eapi.pcloud.com", region: RegionEU},
		{name: "EU upper", o: Options{Region: "EU"}, base: "https://eapi.pcloud.com", region: RegionEU},
		{name: "eu by url", o: Options{BaseURL: "https://eapi.pcloud.com/"}, base: "https://eapi.pcloud.com", region: RegionEU},
		{name: "custom https", o: Options{BaseURL: "https://proxy.example.org/pcloud/"}, base: "https://proxy.example.org/pcloud", region: RegionUS},
		{name: "loopback v4", o: Options{BaseURL: "http://127.0.0.1:8080"}, base: "http://127.0.0.1:8080", region: RegionUS},
		{name: "loopback 127/8", o: Options{BaseURL: "http://127.1.2.3:9"}, base: "http://127.1.2.3:9", region: RegionUS},
		{name: "loopback v6", o: Options{BaseURL: "http://[::1]:8080"}, base: "http://[::1]:8080", region: RegionUS},
		{name: "localhost", o: Options{BaseURL: "http://localhost:1"}, base: "http://localhost:1", region: RegionUS},
		{name: "region urls", o: Options{Region: RegionEU, RegionURLs: map[Region]string{RegionUS: "http://127.0.0.1:1", RegionEU: "http://127.0.0.1:2/"}}, base: "http://127.0.0.1:2", region: RegionEU},
		{name: "base matches region url", o: Options{BaseURL: "http://127.0.0.1:2", RegionURLs: map[Region]string{RegionUS: "http://127.0.0.1:1", RegionEU: "http://127.0.0.1:2"}}, base: "http://127.0.0.1:2", region: RegionEU},

		{name: "http remote", o: Options{BaseURL: "http://api.pcloud.com"}, wantErr: "refusing plain http:// to api.pcloud.com"},
		{name: "http private", o: Options{BaseURL: "http://192.168.1.10:8080"}, wantErr: "192.168.1.10"},
		{name: "http lookalike", o: Options{BaseURL: "http://127.0.0.1.evil.example"}, wantErr: "refusing"},
		{name: "userinfo", o: Options{BaseURL: "https://bob:hunter22@api.pcloud.com"}, wantErr: "user name or password", notInError: "hunter22"},
		{name: "query", o: Options{BaseURL: "https://api.pcloud.com/?auth=tok9999"}, wantErr: "query", notInError: "tok9999"},
		{name: "no scheme", o: Options{BaseURL: "api.pcloud.com"}, wantErr: "scheme and a host"},
		{name: "ftp", o: Options{BaseURL: "ftp://api.pcloud.com"}, wantErr: "not http or https"},
		{name: "garbage", o: Options{BaseURL: "http://[::1"}, wantErr: "bad API URL"},
		{name: "bad region", o: Options{Region: "asia"}, wantErr: "unknown region"},
		{name: "bad region url", o: Options{RegionURLs: map[Region]string{RegionEU: "http://10.0.0.1"}}, wantErr: "10.0.0.1"},
		{name: "negative attempts", o: Options{MaxAttempts: -1}, wantErr: "negative"},
		{name: "bad token kind", o: Options{TokenKind: 7}, wantErr: "token kind"},
		{name: "token with newline", o: Options{Token: "abc\ndef"}, wantErr: "white space", notInError: "abc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.o)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if tc.notInError != "" && strings.Contains(err.Error()+Sentence(err), tc.notInError) {
					t.Fatalf("error shows a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL() != tc.base || c.Region() != tc.region {
				t.Fatalf("base %q region %q", c.BaseURL(), c.Region())
			}
		})
	}
}

func TestOtherRegionKnown(t *testing.T) {
	mk := func(o Options) *Client {
		c, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{}, "https://eapi.pcloud.com"},
		{Options{Region: RegionEU}, "https://api.pcloud.com"},
		{Options{BaseURL: "https://api.pcloud.com"}, "https://eapi.pcloud.com"},
		{Options{BaseURL: "https://proxy.example.org"}, ""},
		{Options{RegionURLs: map[Region]string{RegionUS: "http://127.0.0.1:1", RegionEU: "http://127.0.0.1:2"}}, "http://127.0.0.1:2"},
		{Options{RegionURLs: map[Region]string{RegionUS: "http://127.0.0.1:1"}}, ""},
	} {
		c := mk(tc.o)
		_, got, ok := c.otherBase(c.snapshot())
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%+v: other %q %v, want %q", tc.o, got, ok, tc.want)
		}
	}
}

func TestParseRegionAndBaseURL(t *testing.T) {
	for in, want := range map[string]Region{"us": RegionUS, " EU ": RegionEU, "Us": RegionUS} {
		if got, err := ParseRegion(in); err != nil || got != want {
			t.Errorf("ParseRegion(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "europe", "u s"} {
		if _, err := ParseRegion(in); err == nil {
			t.Errorf("ParseRegion(%q) accepted", in)
		}
	}
	if BaseURL(RegionUS) != "https://api.pcloud.com" || BaseURL(RegionEU) != "https://eapi.pcloud.com" {
		t.Fatal("BaseURL")
	}
	if TokenAuth.String() != "auth" || TokenBearer.String() != "bearer" {
		t.Fatal("TokenKind.String")
	}
}

func TestDefaultBackoff(t *testing.T) {
	for attempt := -1; attempt <= 20; attempt++ {
		full := 250 * time.Millisecond
		for i := 1; i < attempt; i++ {
			full *= 2
			if full > 5*time.Second {
				full = 5 * time.Second
				break
			}
		}
		for range 50 {
			d := DefaultBackoff(attempt)
			if d < full/2 || d > full {
				t.Fatalf("DefaultBackoff(%d) = %v, want %v..%v", attempt, d, full/2, full)
			}
		}
	}
}

func TestLinkURLs(t *testing.T) {
	for _, tc := range []struct {
		l    Link
		want []string
	}{
		{Link{Hosts: []string{"c1.pcloud.com", "c2.pcloud.com"}, Path: "/hash/My Audio.mp3", Scheme: "https"},
			[]string{"https://c1.pcloud.com/hash/My%20Audio.mp3", "https://c2.pcloud.com/hash/My%20Audio.mp3"}},
		{Link{Hosts: []string{"h"}, Path: "/x/Ça va — déjà.mp3"}, []string{"https://h/x/%C3%87a%20va%20%E2%80%94%20d%C3%A9j%C3%A0.mp3"}},
		{Link{Hosts: []string{"h"}, Path: "/x/100% what?#1.mp3", Scheme: "http"}, []string{"http://h/x/100%25%20what%3F%231.mp3"}},
		{Link{Hosts: []string{"127.0.0.1:80"}, Path: "/x/My%20Audio.mp3", Scheme: "http"}, []string{"http://127.0.0.1:80/x/My%20Audio.mp3"}},
		{Link{Hosts: []string{"h"}, Path: "/x/a%2Fb.mp3"}, []string{"https://h/x/a%2Fb.mp3"}},
		{Link{Path: "/x"}, []string{}},
	} {
		got := tc.l.URLs()
		if !eq(got, tc.want) {
			t.Errorf("%+v.URLs() = %q, want %q", tc.l, got, tc.want)
		}
	}
}
