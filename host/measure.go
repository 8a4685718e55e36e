package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/mpeg"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

// A track's duration before it plays, for the album on screen: the first
// bytes of its stream (one small ranged request) give the Xing/Info tag's
// frame count, or else the stream's length at its bitrate.

// measureBytes is how much of a stream is read to find its duration.
const measureBytes = 16 << 10

// measureBitrate is the bitrate asked for: the duration does not depend on
// it, and a low one is the least work for pCloud's transcoder.
const measureBitrate = 64

var measureClient = &http.Client{Timeout: 20 * time.Second}

// measurer measures durations through links (the player's link source).
func measurer(links player.LinkSource) library.Measurer {
	return func(ctx context.Context, fileID uint64) (time.Duration, error) {
		l, err := links.AudioLink(ctx, fileID, measureBitrate)
		if err != nil {
			return 0, err
		}
		if len(l.URLs) == 0 {
			return 0, errors.New("no stream link")
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.URLs[0], nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Range", "bytes=0-"+strconv.Itoa(measureBytes-1))
		resp, err := measureClient.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusPartialContent {
			return 0, fmt.Errorf("stream answered %s", resp.Status)
		}
		head, err := io.ReadAll(io.LimitReader(resp.Body, measureBytes))
		if err != nil && len(head) == 0 {
			return 0, err
		}
		return streamDuration(head, streamSize(resp))
	}
}

// streamSize is the whole stream's length from a ranged or plain answer
// (0: not known).
func streamSize(resp *http.Response) int64 {
	if cr := resp.Header.Get("Content-Range"); cr != "" {
		if i := strings.LastIndexByte(cr, '/'); i >= 0 {
			if n, err := strconv.ParseInt(cr[i+1:], 10, 64); err == nil {
				return n
			}
		}
		return 0
	}
	if resp.StatusCode == http.StatusOK && resp.ContentLength > 0 {
		return resp.ContentLength
	}
	return 0
}

// streamDuration is the duration an mp3 stream's first bytes tell: the
// frame count of a Xing/Info tag, else size at the first frame's bitrate.
func streamDuration(head []byte, size int64) (time.Duration, error) {
	off, h, ok := mpeg.NextFrame(head, mpeg.ID3v2Size(head))
	if !ok || h.SampleRate == 0 {
		return 0, errors.New("no mp3 frame at the start of the stream")
	}
	if off+h.FrameLen <= len(head) {
		if inf, ok := mpeg.ParseInfo(head[off:off+h.FrameLen], h); ok && inf.Frames > 0 {
			samples := int64(inf.Frames)*int64(h.Samples) - int64(inf.EncoderDelay+inf.Padding)
			return time.Duration(samples) * time.Second / time.Duration(h.SampleRate), nil
		}
	}
	if size > int64(off) && h.Bitrate > 0 {
		return time.Duration(size-int64(off)) * 8 * time.Millisecond / time.Duration(h.Bitrate), nil
	}
	return 0, errors.New("the stream tells neither its frames nor its length")
}
