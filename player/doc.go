// Package player plays the queue. It owns the chain from a pCloud stream
// link to the sound: HTTP mp3 streams read into a bounded buffer as they play
// (TrackStream: failover between stream hosts, resuming, seeking with
// `start=`, the outage policy of stream_policy.go that holds a track while
// pCloud can't be reached, rebuffering on slow links), decoded by go-mp3,
// resampled and mixed by beep into one streamer (the mixer) that an Output
// pulls (the speaker: ALSA through libasound; a null or a WAV output). It
// owns the queue and the playback state (Player: play order, shuffle,
// repeat, volume, bitrate, gapless preloading of the next track) and reports
// them as Status events through a Hub.
//
// Inside the package, "the loop" is the Player's goroutine that follows the
// mixer through track changes and publishes status; "the engine" is the
// background process (package engine) that owns a Player, and "root" is
// pCloud's top folder. player imports no other package of pcplay but api
// (for LinksFromAPI) and internal ones.
package player
