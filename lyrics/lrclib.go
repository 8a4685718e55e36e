package lyrics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultLRCLIBURL is LRCLIB's API root.
const DefaultLRCLIBURL = "https://lrclib.net"

// LRCLIB looks lyrics up on LRCLIB (lrclib.net) by artist, title, album
// and duration: it sends those to a third party, so pcplay asks it only
// when the person turned it on (lyrics_online).
type LRCLIB struct {
	Root      string       // API root; "" is DefaultLRCLIBURL
	HTTP      *http.Client // nil: a client with a 15 s timeout
	UserAgent string       // LRCLIB asks apps to name themselves
}

// lrclibTrack is one answer of /api/get or an entry of /api/search.
type lrclibTrack struct {
	TrackName    string  `json:"trackName"`
	ArtistName   string  `json:"artistName"`
	Duration     float64 `json:"duration"`
	Instrumental bool    `json:"instrumental"`
	PlainLyrics  string  `json:"plainLyrics"`
	SyncedLyrics string  `json:"syncedLyrics"`
}

const maxAnswer = 4 << 20

// Get finds t's lyrics: /api/get with the duration when it is known, else
// (or when that finds nothing) /api/search; nil when LRCLIB has none.
func (c *LRCLIB) Get(ctx context.Context, t Track) (*Lyrics, error) {
	q := url.Values{"artist_name": {t.Artist}, "track_name": {t.Title}}
	if t.Album != "" {
		q.Set("album_name", t.Album)
	}
	if t.Duration > 0 {
		q.Set("duration", strconv.Itoa(int(t.Duration.Round(time.Second)/time.Second)))
		var one lrclibTrack
		found, err := c.call(ctx, "/api/get", q, &one)
		if err != nil {
			return nil, err
		}
		if found {
			if l := one.lyrics(); l != nil {
				return l, nil
			}
		}
	}
	var many []lrclibTrack
	sq := url.Values{"artist_name": {t.Artist}, "track_name": {t.Title}}
	if _, err := c.call(ctx, "/api/search", sq, &many); err != nil {
		return nil, err
	}
	best := -1
	for i, m := range many {
		if t.Duration > 0 && m.Duration > 0 && absf(m.Duration-t.Duration.Seconds()) > 3 {
			continue
		}
		if best < 0 || m.SyncedLyrics != "" && many[best].SyncedLyrics == "" {
			best = i
		}
	}
	if best < 0 {
		return nil, nil
	}
	return many[best].lyrics(), nil
}

func absf(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func (m lrclibTrack) lyrics() *Lyrics {
	var l *Lyrics
	switch {
	case m.SyncedLyrics != "":
		l = ParseLRC([]byte(m.SyncedLyrics))
	case m.PlainLyrics != "":
		l = ParsePlain([]byte(m.PlainLyrics))
	case m.Instrumental:
		l = &Lyrics{Plain: "(instrumental)"}
	default:
		return nil
	}
	if l.Empty() {
		return nil
	}
	l.Source = "LRCLIB"
	return l
}

// call GETs root+path?q into v; found is false on a 404.
func (c *LRCLIB) call(ctx context.Context, p string, q url.Values, v any) (found bool, err error) {
	root := strings.TrimRight(c.Root, "/")
	if root == "" {
		root = DefaultLRCLIBURL
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, root+p+"?"+q.Encode(), nil)
	if err != nil {
		return false, fmt.Errorf("LRCLIB's address %q is not a URL", root)
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "pcplay"
	}
	req.Header.Set("User-Agent", ua)
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return false, fmt.Errorf("LRCLIB could not be reached (%v)", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return false, nil
	case resp.StatusCode != http.StatusOK:
		return false, fmt.Errorf("LRCLIB answered %d", resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(v); err != nil {
		return false, fmt.Errorf("LRCLIB's answer can't be read (%v)", err)
	}
	return true, nil
}
