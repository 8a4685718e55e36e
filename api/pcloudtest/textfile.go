package pcloudtest

// TextFile is a text file (category 4, text/plain) whose content
// getfilelink serves: a sidecar .lrc or .txt of lyrics, a playlist.
func TextFile(name, content string) *Node {
	return &Node{Name: name, Category: 4, ContentType: "text/plain", Data: []byte(content)}
}
