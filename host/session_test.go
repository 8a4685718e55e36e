package host

import (
	"reflect"
	"testing"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/player"
)

// What is saved of the player comes back as it was: tracks field for field,
// each repeat mode as itself.
func TestSessionConversionRoundTrip(t *testing.T) {
	q := []player.Track{
		{FileID: 11, Name: "01 So What.mp3", Title: "So What", Artist: "Miles Davis", Album: "Kind of Blue", TrackNo: 1, Duration: 562 * time.Second},
		{FileID: 12, Name: "02.mp3"},
	}
	for _, r := range []player.Repeat{player.RepeatOff, player.RepeatAll, player.RepeatOne} {
		st := player.Status{Index: 1, Position: 3 * time.Second, Volume: 0, Shuffle: true, Repeat: r, Bitrate: 128}
		s := sessionOf(st, q, config.Folder{Path: "/Music", ID: 7})
		if err := s.Validate(); err != nil {
			t.Fatalf("repeat %v: %v", r, err)
		}
		if got := playerRepeat(s.Repeat); got != r {
			t.Errorf("repeat %v came back as %v (saved %q)", r, got, s.Repeat)
		}
		if s.Repeat != config.Repeat(r.String()) {
			t.Errorf("repeat %v saved as %q", r, s.Repeat)
		}
		if got := playerTracks(s.Queue); !reflect.DeepEqual(got, q) {
			t.Errorf("tracks came back as %+v", got)
		}
		if s.Volume != 0 || s.Index != 1 || s.Position != 3*time.Second || !s.Shuffle || s.Bitrate != 128 || s.Folder.ID != 7 {
			t.Errorf("saved %+v", s)
		}
	}
}
