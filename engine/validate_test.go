//go:build unix

package engine

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

// loginLog records the logins that reach Options.Login.
type loginLog struct {
	mu  sync.Mutex
	got [][3]string
}

func (l *loginLog) login(tok, kind, region string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, [3]string{tok, kind, region})
	return nil
}

func (l *loginLog) all() [][3]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([][3]string(nil), l.got...)
}

// sendRaw sends one line on a fresh raw connection (after the hello and the
// snapshot) and returns the error line the engine answers, after checking
// that it closed the connection.
func sendRaw(t *testing.T, path, line string) string {
	t.Helper()
	c := rawDial(t, path)
	c.send(`{"hello":{"protocol":` + strconv.Itoa(Protocol) + `,"version":"test"}}` + "\n")
	c.until("the status", func(m message) bool { return m.Status != nil })
	go c.nc.Write([]byte(line + "\n")) // the engine may close before reading it all
	m := c.until("the error line", func(m message) bool { return m.Error != "" })
	if !c.closed() {
		t.Error("the connection stayed open after the error line")
	}
	return m.Error
}

func trackJSON(id uint64, name string) string {
	return fmt.Sprintf(`{"fileid":%d,"name":%q}`, id, name)
}

func TestInvalidCommandsAreRefusedAndChangeNothing(t *testing.T) {
	logins := &loginLog{}
	r := newRig(t, Options{Login: logins.login})
	good := r.dial(t)
	a, b := r.ids["a128"], r.ids["b128"]

	// A known state that each bad command would change: two tracks, the
	// first paused past its start, volume 40, repeat off, 128 kbit/s.
	good.Enqueue(r.tracks("a128", "b128"))
	good.SetVolume(40)
	good.PlayIndex(0)
	poll.Until(t, "half a second played", func() bool {
		st := r.p.Status()
		return st.State == player.Playing && st.Position >= 500*time.Millisecond
	})

	good.Pause()
	syncNow(t, good)
	poll.Until(t, "paused", func() bool { return r.p.Status().State == player.Paused })
	before, queue := r.p.Status(), r.p.Queue()

	many := make([]string, command.MaxRequestTracks+1)
	for i := range many {
		// As short as an entry gets, so that the list fits in a line.
		many[i] = fmt.Sprintf(`{"fileid":%d}`, a)
	}
	maxMs := command.MaxSeek.Milliseconds()
	for _, tc := range []struct {
		name, line string
		want       []string // in the error line
	}{
		{"file id 0 inside a list", `{"cmd":"enqueue","tracks":[` + trackJSON(a, "a") + `,` + trackJSON(0, "zero") + `,` + trackJSON(b, "b") + `]}`,
			[]string{"enqueue", "entry 2 of 3", "file id"}},
		{"file id 0 alone", `{"cmd":"play_now","tracks":[` + trackJSON(0, "zero") + `]}`, []string{"play_now", "entry 1 of 1"}},
		{"file id 0 next", `{"cmd":"insert_next","tracks":[{"name":"no id"}]}`, []string{"insert_next", "entry 1 of 1", "file id"}},
		{"negative file id", `{"cmd":"enqueue","tracks":[{"fileid":-3,"name":"neg"}]}`, []string{"Refused a line"}},
		{"long title", `{"cmd":"insert_next","tracks":[` + trackJSON(a, "a") + `,{"fileid":7,"name":"n","title":"` + strings.Repeat("t", command.MaxTrackText+1) + `"}]}`,
			[]string{"entry 2 of 2", "title", fmt.Sprint(command.MaxTrackText + 1)}},
		{"long name", `{"cmd":"enqueue","tracks":[` + trackJSON(a, strings.Repeat("n", command.MaxTrackText+1)) + `]}`, []string{"name"}},
		{"too many tracks", `{"cmd":"enqueue","tracks":[` + strings.Join(many, ",") + `]}`, []string{fmt.Sprint(command.MaxRequestTracks + 1), "at most"}},
		{"login with no token and region mars", `{"cmd":"login","token":"","kind":"auth","region":"mars"}`, []string{"region", "mars", "keeps its login"}},
		{"login with no token", `{"cmd":"login","kind":"auth","region":"us"}`, []string{"without a token"}},
		{"login of an unknown kind", `{"cmd":"login","token":"secrettoken","kind":"password"}`, []string{"kind", "password"}},
		{"login with a malformed token", `{"cmd":"login","token":"secret token","kind":"bearer","region":"eu"}`, []string{"malformed"}},
		{"login with an oversized token", `{"cmd":"login","token":"` + strings.Repeat("s", 5000) + `"}`, []string{"malformed"}},
		{"volume over 100", `{"cmd":"volume","value":101}`, []string{"volume 101", "0 to 100"}},
		{"volume under 0", `{"cmd":"volume","value":-1}`, []string{"volume -1"}},
		{"bitrate too low", `{"cmd":"bitrate","value":8}`, []string{"bitrate 8", "16 to 320"}},
		{"bitrate too high", `{"cmd":"bitrate","value":321}`, []string{"bitrate 321"}},
		{"repeat 3", `{"cmd":"repeat","value":3}`, []string{"repeat 3"}},
		{"repeat -1", `{"cmd":"repeat","value":-1}`, []string{"repeat -1"}},
		{"seek before the start", `{"cmd":"seek","ms":-1}`, []string{"seek to -1 ms"}},
		{"seek too far", fmt.Sprintf(`{"cmd":"seek","ms":%d}`, maxMs+1), []string{"seek to"}},
		{"seek by too far forward", fmt.Sprintf(`{"cmd":"seek_by","ms":%d}`, maxMs+1), []string{"seek by"}},
		{"seek by too far back", fmt.Sprintf(`{"cmd":"seek_by","ms":%d}`, -maxMs-1), []string{"seek by"}},
		{"seek overflowing a duration", `{"cmd":"seek","ms":9223372036854775807}`, []string{"seek to"}},
		{"seek not finite", `{"cmd":"seek","ms":1e400}`, []string{"Refused a line"}},
		{"seek fractional", `{"cmd":"seek","ms":1.5}`, []string{"Refused a line"}},
		{"play a negative index", `{"cmd":"play_index","index":-1}`, []string{"play_index -1"}},
		{"remove a negative index", `{"cmd":"remove","index":-2}`, []string{"remove -2"}},
		{"move from a negative index", `{"cmd":"move","index":-1,"to":1}`, []string{"move -1 to 1"}},
		{"move to a negative index", `{"cmd":"move","index":1,"to":-1}`, []string{"move 1 to -1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := sendRaw(t, r.path, tc.line)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error line %q lacks %q", msg, w)
				}
			}
			if strings.Contains(msg, "secret") || len(msg) > 300 {
				t.Errorf("error line %q quotes the token or is too long", msg)
			}
			syncNow(t, good) // the other client's commands still go through
			st, q := r.p.Status(), r.p.Queue()
			if !reflect.DeepEqual(q, queue) {
				t.Fatalf("the queue changed: %+v", q)
			}
			if st.Index != before.Index || st.Position != before.Position || st.State != before.State ||
				st.Volume != before.Volume || st.Bitrate != before.Bitrate || st.Repeat != before.Repeat ||
				st.Err != before.Err || st.QueueGen != before.QueueGen {
				t.Fatalf("the status changed:\n%+v\nwas\n%+v", st, before)
			}
			if got := logins.all(); len(got) != 0 {
				t.Fatalf("a login reached the engine: %d", len(got))
			}
		})
	}
	// What the engine keeps can still be saved (the bug: an entry with
	// file id 0 made every session save fail).
	var saved []config.SessionTrack
	for _, t := range r.p.Queue() {
		saved = append(saved, config.SessionTrack{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album, TrackNo: t.TrackNo})
	}
	sess := config.Session{Version: config.SessionVersion, Queue: saved, Index: r.p.Status().Index, Volume: 40}
	if err := sess.Validate(); err != nil {
		t.Errorf("the session after the refusals: %v", err)
	}
}

func TestValidCommandsAtTheBoundsPass(t *testing.T) {
	logins := &loginLog{}
	r := newRig(t, Options{Login: logins.login})
	c := r.dial(t)
	c.SetVolume(100)
	c.SetBitrate(16)
	c.SetRepeat(player.RepeatOne)
	syncNow(t, c)
	if st := r.p.Status(); st.Volume != 100 || st.Bitrate != 16 || st.Repeat != player.RepeatOne || st.Err != "" {
		t.Fatalf("at the top bounds: %+v", st)
	}
	c.SetVolume(0)
	c.SetBitrate(320)
	c.SetRepeat(player.RepeatOff)
	c.Seek(command.MaxSeek)
	c.SeekBy(-command.MaxSeek)
	c.PlayIndex(5) // past the end: the player's to answer, the connection stays
	syncNow(t, c)
	st := r.p.Status()
	if st.Volume != 0 || st.Bitrate != 320 || st.Repeat != player.RepeatOff || !strings.Contains(st.Err, "no track 6") {
		t.Fatalf("at the low bounds: %+v", st)
	}
	for _, l := range [][3]string{{"tok1", "auth", "us"}, {"tok2", "bearer", "eu"}, {"tok3", "", "auto"}, {"tok4", "", ""}} {
		c.Login(l[0], l[1], l[2])
	}
	syncNow(t, c)
	if got := logins.all(); len(got) != 4 || got[2] != [3]string{"tok3", "", "auto"} {
		t.Fatalf("logins: %v", got)
	}

	// A list longer than command.MaxRequestTracks goes in parts and arrives whole,
	// with names of the longest length allowed.
	long := strings.Repeat("é", command.MaxTrackText/2)
	ts := make([]player.Track, 2*command.MaxRequestTracks+5)
	for i := range ts {
		ts[i] = player.Track{FileID: uint64(i + 1), Name: "t"}
	}
	ts[3].Name, ts[3].Title, ts[3].Artist, ts[3].Album = long, long, long, long
	c.Enqueue(ts)
	syncNow(t, c)
	select {
	case <-c.Done():
		t.Fatalf("the connection ended: %s", c.Status().Err)
	default:
	}
	q := r.p.Queue()
	if len(q) != len(ts) || q[len(q)-1].FileID != uint64(len(ts)) || q[3].Album != long {
		t.Fatalf("queue of %d after enqueueing %d", len(q), len(ts))
	}
}
