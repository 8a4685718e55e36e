// Package engine keeps the music playing when the terminal goes away.
//
// A per-user background process (the engine, `pcplay engine`) owns a
// *player.Player and serves it on a Unix socket; the terminal UI, `pcplay
// ctl` and `pcplay stop` are clients. The UI drives a *Client through the
// same player.Controller interface it uses for an in-process player.
//
// # Where
//
// The socket is engine.sock in $XDG_RUNTIME_DIR/pcplay, else in the user's
// state directory, else in os.UserCacheDir()/pcplay, else in /tmp/pcplay-UID
// — the first of these that is (or can be made) a directory of mode 0700
// owned by this user and whose socket path fits the 108-byte sun_path. The
// socket is mode 0600 and the engine refuses a peer of another uid
// (SO_PEERCRED). engine.lock beside it serializes starting an engine.
//
// # Protocol
//
// Newline-delimited JSON, one object a line. The client speaks first:
//
//	{"hello":{"protocol":3,"version":"v1.2.3"}}
//
// The engine answers with its own hello — or, when the protocols differ,
// with {"hello":{...},"refused":"..."} and closes. Then it sends a snapshot,
// the queue followed by {"status":{...}}, and afterwards a status line on
// every player event, preceded by the queue whenever Status.QueueGen
// changes.
//
// The queue goes in pages of about 64 KB, one a line, in order, with
// nothing between the pages of one generation:
//
//	{"queue":{"gen":N,"total":T,"from":0,"tracks":[...]}}
//	{"queue":{"gen":N,"total":T,"from":812,"tracks":[...]}}
//
// A client keeps the queue it has until a generation's last page (from +
// len(tracks) = total) has come, then takes it whole: it never shows part
// of a queue. When the queue only grew at its end since the one last sent
// to that client (an enqueue), the first page names that one's generation,
// "base":B, and starts at its length: only the new tracks go. Every
// connection sends from one shared copy of the queue, encoding a page at a
// time, so a queue of 100,000 tracks and more costs no copy per client.
//
// Commands from the client are {"cmd":"NAME", ...arguments}: the entries
// of the command table (package command), which names each one's
// arguments, checks, effect and help; the engine adds nothing to it. A
// command that answers (status, queue) is answered with a queue line when
// it asked for the queue, then a status line; "sync" with {"sync":N} and
// the status, once every earlier command took effect. Durations are
// milliseconds.
//
// A line the engine can't parse, longer than MaxClientLine, or not ended
// within LineTimeout of its first byte, gets {"error":"..."} and that
// connection is closed; the engine and its other clients carry on (a client
// idle between lines is never timed out, and no timer runs for it). The
// engine serves MaxConns connections at once, whatever they are; one more
// gets {"error":"..."} (a sentence) and is closed before its hello. So does an unknown command, and one the table's check
// refuses (a field out of bounds: a file id 0, a string over
// command.MaxTrackText, a volume outside 0..100, a negative index, ...):
// the error line names the field, or the entry of a list, and nothing of
// that command is done (a list with one bad entry is refused whole). Lines
// from the engine are at most MaxServerLine.
package engine
