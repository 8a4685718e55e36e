package api_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
)

func Example() {
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "me@example.com", Password: "secret", Region: "eu"}},
		Root: pcloudtest.Dir("", pcloudtest.Dir("Music",
			pcloudtest.AudioFile("01 Song.mp3", map[int][]byte{128: []byte("mp3 bytes")}, pcloudtest.Tags{Artist: "Someone", TrackNo: 1}))),
	})
	defer srv.Close()
	ctx := context.Background()

	c, err := api.New(api.Options{
		Region:     api.RegionUS, // wrong on purpose: the client finds the EU
		RegionURLs: map[api.Region]string{api.RegionUS: srv.RegionURL("us"), api.RegionEU: srv.RegionURL("eu")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.Login(ctx, "me@example.com", "wrong"); err != nil {
		fmt.Println(api.Sentence(err))
	}
	ui, err := c.Login(ctx, "me@example.com", "secret")
	var tfa *api.TFARequired
	if errors.As(err, &tfa) {
		ui, err = c.TFALogin(ctx, tfa.Token, "123456", true)
	}
	if err != nil {
		fmt.Println(api.Sentence(err))
		return
	}
	fmt.Println(ui.Email, c.Region())

	root, err := c.ListFolder(ctx, 0, true)
	if err != nil {
		fmt.Println(api.Sentence(err))
		return
	}
	song := root.Contents[0].Contents[0]
	fmt.Println(song.Name, song.Artist, song.TrackNo, song.Playable())

	link, err := c.AudioLink(ctx, song.FileID, 128)
	if err != nil {
		fmt.Println(api.Sentence(err))
		return
	}
	fmt.Println(len(link.URLs()) >= 2, link.Scheme)

	_, err = c.ListFolder(ctx, 4242, false)
	fmt.Println(err)
	fmt.Println(api.Sentence(err))
	// Output:
	// Wrong e-mail or password (pCloud's US and EU regions both refused it).
	// me@example.com eu
	// 01 Song.mp3 Someone 1 true
	// true http
	// pcloud: listfolder: 2005 Directory does not exist.
	// That folder does not exist in your pCloud (moved or deleted?).
}
