// Package scrobble sends what the person listens to to ListenBrainz and
// Last.fm, and never loses a listen.
//
// [Rules] turns the player's status snapshots into "now playing" and
// listens (a track longer than 30 s counts once it has been heard for half
// its length or 4 minutes, whichever comes first: time heard, not the
// position). A listen goes into the [Queue] (SQLite, in the state
// directory) before any network call, keyed by file id and start time, and
// leaves it only once the service has accepted it. A [Scrobbler] runs the
// rules on a player's snapshots and one sender per service with
// credentials; a sender runs no timer while nothing is queued. Each
// listen is also kept in the history (the queue's database, the last
// [HistoryMax]), with a service or without: "Recently played".
//
// The package imports player (for its Status and Track) and nothing else
// of pcplay but internal helpers: the host wires it to the config.
package scrobble

// Version is pcplay's version, for the User-Agent ("pcplay/VERSION"); the
// program sets it at start.
var Version = "dev"
