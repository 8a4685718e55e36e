package playlist

// TargetPrefix starts a target that names a playlist rather than a pCloud
// path (`pcplay ctl add playlist:NAME`).
const TargetPrefix = "playlist:"
