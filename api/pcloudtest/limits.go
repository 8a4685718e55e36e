package pcloudtest

// ListLimits are the limits pCloud's listfolder has shown in 2025-26 (see
// pcloud-api.md), each a switch; the zero value (the default) has none.
//
// Unverified choices:
//   - The refused recursive root listing answers result 0 without
//     "metadata": that is what public clients reported ("'metadata' is
//     empty"), no result code has been published.
//   - A tree too big or too deep answers 5000 "Internal error", as pCloud's
//     SDK maintainers described both.
type ListLimits struct {
	RefuseRootRecursive bool // folderid=0 (or path /) with recursive=1
	MaxRecursiveFiles   int  // a recursive listing of more files (folders too) than this answers 5000; 0: none
	MaxDepth            int  // a recursive listing of a tree deeper than this many levels answers 5000; 0: none
}

// SetListLimits switches the listfolder limits on or off.
func (s *Server) SetListLimits(l ListLimits) {
	s.feed.mu.Lock()
	s.feed.limits = l
	s.feed.mu.Unlock()
}

// listLimit is the answer to a listing that breaks a limit, or nil. The
// library is read-locked.
func (c *call) listLimit(n *node) reply {
	if c.p.Get("recursive") != "1" {
		return nil
	}
	c.s.feed.mu.Lock()
	l := c.s.feed.limits
	c.s.feed.mu.Unlock()
	if n.parent == nil && l.RefuseRootRecursive {
		return reply{"result": 0}
	}
	if l.MaxRecursiveFiles <= 0 && l.MaxDepth <= 0 {
		return nil
	}
	entries, depth := treeSize(n)
	if (l.MaxRecursiveFiles > 0 && entries > l.MaxRecursiveFiles) || (l.MaxDepth > 0 && depth > l.MaxDepth) {
		return fail(5000)
	}
	return nil
}

// treeSize counts the entries below a folder and the levels of folders.
func treeSize(n *node) (entries, depth int) {
	for _, c := range n.children {
		entries++
		if c.folder {
			e, d := treeSize(c)
			entries += e
			depth = max(depth, d)
		}
	}
	return entries, depth + 1
}
