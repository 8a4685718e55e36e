package pcloudtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-0", "bytes=10-", "bytes=-5", "bytes=5-2", "bytes=0-1,2-3", "bytes=", "bytes=--", "items=0-1", "bytes= 3 - 4 ", "bytes=99999999999999999999-"} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			size = -size
		}
		from, to, ok, sat := parseRange(h, size)
		if sat && !ok {
			t.Fatal("satisfiable but not ok")
		}
		if sat && (from < 0 || to <= from || to > size) {
			t.Fatalf("%q size %d: [%d,%d)", h, size, from, to)
		}
	})
}

// FuzzAPI throws arbitrary methods, query strings and form bodies at the API
// handler: it must answer HTTP 200 with JSON carrying an integer result, and
// never panic.
func FuzzAPI(f *testing.F) {
	s := NewServer(Options{Root: testTree(), Accounts: []Account{{Email: alice, Password: alicePW}}})
	f.Cleanup(s.Close)
	tok := s.Token(alice)
	h := s.apiHandler("us")
	for _, seed := range []struct{ method, query, body string }{
		{"listfolder", "folderid=0&recursive=1&auth=TOKEN", ""},
		{"listfolder", "path=/Music/../x&auth=TOKEN", ""},
		{"getaudiolink", "fileid=1000&abitrate=99999999999999999999&auth=TOKEN", ""},
		{"getaudiolink", "path=%00&auth=TOKEN", ""},
		{"userinfo", "getauth=1&username=alice@example.com&digest=x&passworddigest=y", ""},
		{"login", "", "username=a&password=b"},
		{"tfa_login", "token=&code=", ""},
		{"getfilelink", "fileid=-1&auth=TOKEN", ""},
		{"logout", "auth=TOKEN", ""},
		{"", "%zz", "%%"},
	} {
		f.Add(seed.method, seed.query, seed.body)
	}
	f.Fuzz(func(t *testing.T, method, query, body string) {
		query = strings.ReplaceAll(query, "TOKEN", tok)
		u := "/" + strings.Map(func(r rune) rune {
			if r <= ' ' || r == '?' || r == '#' || r == '%' || r > 126 {
				return -1
			}
			return r
		}, method) + "?" + query
		req, err := http.NewRequest("POST", "http://127.0.0.1"+u, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("HTTP %d", rec.Code)
		}
		var m struct {
			Result *int   `json:"result"`
			Error  string `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || m.Result == nil {
			t.Fatalf("answer %q: %v", rec.Body.String(), err)
		}
		if (*m.Result != 0) != (rec.Header().Get("X-Error") != "") || (*m.Result != 0 && m.Error == "") {
			t.Fatalf("result %d, X-Error %q, error %q", *m.Result, rec.Header().Get("X-Error"), m.Error)
		}
	})
}

// FuzzStream throws arbitrary paths, start values and Range headers at a
// stream host: no panic, and only the statuses the fake documents.
func FuzzStream(f *testing.F) {
	s := NewServer(Options{Root: testTree(), Accounts: []Account{{Email: alice, Password: alicePW}}})
	f.Cleanup(s.Close)
	tok := s.Token(alice)
	c := &call{s: s, region: "us", p: vals("auth", tok, "fileid", "1000"), extra: vals()}
	c.r = httptest.NewRequest("GET", "/getaudiolink", nil)
	good := c.getlink(true)["path"].(string)
	c.p = vals("auth", tok, "fileid", "1003")
	file := c.getlink(false)["path"].(string)
	h := s.streamHandler(0, "stream0")
	f.Add(good, "start=1", "")
	f.Add(good, "start=1e300", "bytes=0-1")
	f.Add(file, "", "bytes=-1")
	f.Add(file, "", "bytes=4999-")
	f.Add("/nope", "start=x", "bytes=1-0")
	f.Fuzz(func(t *testing.T, path, query, rg string) {
		req, err := http.NewRequest("GET", "http://127.0.0.1/x", nil)
		if err != nil {
			return
		}
		req.URL.Path = path
		req.URL.RawQuery = query
		if rg != "" {
			req.Header["Range"] = []string{rg}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 206, 400, 404, 410, 416:
		default:
			t.Fatalf("status %d", rec.Code)
		}
	})
}
