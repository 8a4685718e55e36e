package pcloudtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

func Example() {
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "me@example.com", Password: "pw"}},
		Root: pcloudtest.Dir("",
			pcloudtest.Dir("Music",
				pcloudtest.AudioFile("01 Song.mp3", map[int][]byte{128: []byte("not really mp3")},
					pcloudtest.Tags{Artist: "Someone", Title: "Song", TrackNo: 1}))),
	})
	defer srv.Close()
	tok := srv.Token("me@example.com")

	q := url.Values{"auth": {tok}, "fileid": {fmt.Sprint(srv.FileID("/Music/01 Song.mp3"))}, "abitrate": {"192"}}
	resp, err := http.Get(srv.URL() + "/getaudiolink?" + q.Encode())
	if err != nil {
		panic(err)
	}
	var link struct {
		Result int      `json:"result"`
		Path   string   `json:"path"`
		Hosts  []string `json:"hosts"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&link)
	resp.Body.Close()

	resp, err = http.Get("http://" + link.Hosts[0] + link.Path)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	c := srv.Calls("getaudiolink")[0]
	fmt.Println(link.Result, len(link.Hosts), resp.Header.Get("Content-Type"), string(body))
	fmt.Println(c.Params.Get("auth"), c.Params.Get("abitrate"), c.Params.Get("served"))
	// Output:
	// 0 2 audio/mpeg not really mp3
	// REDACTED 192 128
}
