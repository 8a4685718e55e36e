// Command fakepcloud serves mp3 files from the fake pCloud (api/pcloudtest)
// on loopback, for benchmarks that run the real program against it.
//
//	fakepcloud [-bitrate 128] [-cover] FILE.mp3...
//
// The files are in /Music, served as the given bitrate's variant; with
// -cover, /Music also holds cover.jpg, a 500x500 colour gradient (the
// album's cover for the now-playing panel). It prints
// two lines, the API URL and a token for PCLOUD_TOKEN (the token is a
// throw-away for this fake only), then serves until SIGINT, SIGTERM or
// SIGHUP.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

const account = "bench@pcplay.invalid"

func main() {
	bitrate := flag.Int("bitrate", 128, "the bitrate variant the files are served as (kbit/s)")
	cover := flag.Bool("cover", false, "put a cover.jpg in /Music")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: fakepcloud [-bitrate 128] FILE.mp3...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var files []*pcloudtest.Node
	for _, p := range flag.Args() {
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fakepcloud:", err)
			os.Exit(1)
		}
		files = append(files, pcloudtest.AudioFile(filepath.Base(p), map[int][]byte{*bitrate: b}, pcloudtest.Tags{}))
	}
	if *cover {
		files = append(files, pcloudtest.ImageFile("cover.jpg", gradient()))
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: account, Password: "bench"}},
		Root:     pcloudtest.Dir("", pcloudtest.Dir("Music", files...)),
	})
	defer srv.Close()
	fmt.Println(srv.URL())
	fmt.Println(srv.Token(account))

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	<-sig
}

// gradient is a 500x500 JPEG: red across, blue down.
func gradient() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 500, 500))
	for y := range 500 {
		for x := range 500 {
			img.SetRGBA(x, y, color.RGBA{uint8(x / 2), 80, uint8(y / 2), 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	return b.Bytes()
}
