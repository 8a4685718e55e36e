package player

// Tell puts msg in [Status.Err] as the player's own messages are (until a
// track is played or another message comes), so that every attached UI
// shows it once in its status line and `ctl status` gives it: the host
// tells what goes wrong beside the music this way (the session that could
// not be saved, a damaged one set aside).
func (p *Player) Tell(msg string) {
	p.do(func(*[]*source) { p.errMsg = msg })
}
