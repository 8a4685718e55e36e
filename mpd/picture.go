package mpd

import (
	"net/http"
	"strconv"
)

// coverPx is the size of the covers served: what MPD clients show (a
// phone's now-playing screen, ncmpcpp's) without a large download.
const coverPx = 500

// picture is a client's last picture: a client reads one in chunks
// (albumart URI 0, then URI 8192, ...), and the chunks after the first
// are cut from it rather than found again.
type picture struct {
	uri  string
	data []byte // nil: the file has no cover
	ok   bool
}

// cmdPicture is albumart (embedded false) and readpicture: the cover of
// the song at a URI, from an offset, as a binary answer of at most the
// client's binarylimit bytes. Both answer the same picture, the one
// pcplay shows (pCloud's thumbnail of the track, the picture in its tag,
// or its folder's cover image). Without one, albumart answers MPD's "No
// file exists", readpicture an answer with no data.
func cmdPicture(read bool) func(*client, []string) error {
	return func(c *client, args []string) error {
		off, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil || off < 0 {
			return ackf(ackArg, "Integer expected: %s", args[1])
		}
		data, err := c.picture(args[0], off == 0)
		if err != nil {
			return err
		}
		if data == nil {
			if read {
				return nil
			}
			return ackf(ackNoExist, "No file exists")
		}
		if off > int64(len(data)) {
			return ackf(ackArg, "Bad file offset")
		}
		chunk := data[off:]
		if len(chunk) > c.binaryLimit {
			chunk = chunk[:c.binaryLimit]
		}
		c.kvInt("size", int64(len(data)))
		if read {
			if t := http.DetectContentType(data); t == "image/jpeg" || t == "image/png" || t == "image/webp" {
				c.kv("type", t)
			}
		}
		c.kvInt("binary", int64(len(chunk)))
		c.w.Write(chunk)
		c.w.WriteByte('\n')
		return nil
	}
}

// picture is the cover of the song at u (nil: none): found again when
// fresh (a first chunk), else the client's last one when it is u's.
func (c *client) picture(u string, fresh bool) ([]byte, error) {
	if !fresh && c.pic.ok && c.pic.uri == u {
		return c.pic.data, nil
	}
	c.pic = picture{}
	ctx, cancel := c.callCtx()
	defer cancel()
	_, file, err := c.listing(ctx, u)
	if err != nil || file == nil {
		if ae, ok := err.(*ackError); ok && ae.code != ackNoExist {
			return nil, err
		}
		return nil, ackf(ackNoExist, "No file exists")
	}
	data, err := c.s.b.Cover(ctx, file.FileID, coverPx)
	if err != nil {
		return nil, ackf(ackSystem, "the cover could not be read from pCloud: %v", err)
	}
	c.pic = picture{uri: u, data: data, ok: true}
	return data, nil
}
