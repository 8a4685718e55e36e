package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Diff events, as pCloud's `diff` names them (share events and
// modifyuserinfo come through as they are named).
const (
	EventReset        = "reset"
	EventCreateFile   = "createfile"
	EventModifyFile   = "modifyfile"
	EventDeleteFile   = "deletefile"
	EventCreateFolder = "createfolder"
	EventModifyFolder = "modifyfolder"
	EventDeleteFolder = "deletefolder"
)

// DiffOptions are the parameters of a `diff` call.
type DiffOptions struct {
	// DiffID asks for the events after this one (0: not sent).
	DiffID uint64
	// After asks for the events after this time (zero: not sent).
	After time.Time
	// Latest sends last=0: no events, just the current diffid. Last > 0
	// asks for the last n events.
	Latest bool
	Last   int
	// Block holds the call open until there is an event (pCloud's block=1;
	// rclone waits up to 90 s). The call ends when ctx does: give it a
	// deadline, and an HTTP client without a short response-header timeout.
	Block bool
	// Limit caps the number of events in one answer (0: pCloud's default).
	Limit int
}

// DiffEntry is one event of the change feed. Metadata is the file or
// folder after the event (for deletions: as it was).
type DiffEntry struct {
	Event    string
	Time     time.Time
	DiffID   uint64
	Metadata *Metadata // nil for reset and account events
}

// DiffPage is one answer of `diff`: the events and the diffid to ask after
// next time.
type DiffPage struct {
	DiffID  uint64
	Entries []DiffEntry
}

// Diff reads the account's change feed. A blocking call is tried once (a
// timeout is the caller's business: ask again); others retry like every
// call.
func (c *Client) Diff(ctx context.Context, o DiffOptions) (*DiffPage, error) {
	p := url.Values{"timeformat": {"timestamp"}}
	if o.DiffID != 0 {
		p.Set("diffid", strconv.FormatUint(o.DiffID, 10))
	}
	if !o.After.IsZero() {
		p.Set("after", strconv.FormatInt(o.After.Unix(), 10))
	}
	switch {
	case o.Latest:
		p.Set("last", "0")
	case o.Last > 0:
		p.Set("last", strconv.Itoa(o.Last))
	}
	if o.Limit > 0 {
		p.Set("limit", strconv.Itoa(o.Limit))
	}
	cl := call{method: "diff", params: p}
	if o.Block {
		p.Set("block", "1")
		cl.attempts = 1
	}
	ans, err := c.authed(ctx, cl)
	if err != nil {
		return nil, err
	}
	page, err := decodeDiff(ans)
	if err != nil {
		return nil, &Error{Method: "diff", Err: &decodeError{c.scrub(err.Error())}, region: c.Region()}
	}
	return page, nil
}

type wireDiffEntry struct {
	Event    flexString      `json:"event"`
	Time     flexTime        `json:"time"`
	DiffID   flexUint        `json:"diffid"`
	Metadata json.RawMessage `json:"metadata"`
}

func decodeDiff(ans map[string]jsonRaw) (*DiffPage, error) {
	var id flexUint
	if err := field(ans, "diffid", &id); err != nil {
		return nil, err
	}
	if _, ok := ans["diffid"]; !ok {
		return nil, fmt.Errorf(`no "diffid" in the answer`)
	}
	var entries []wireDiffEntry
	if err := field(ans, "entries", &entries); err != nil {
		return nil, err
	}
	page := &DiffPage{DiffID: uint64(id), Entries: make([]DiffEntry, 0, len(entries))}
	for i, w := range entries {
		e := DiffEntry{Event: string(w.Event), Time: time.Time(w.Time), DiffID: uint64(w.DiffID)}
		if len(w.Metadata) > 0 && !isNull(w.Metadata) {
			m, err := DecodeMetadata(w.Metadata)
			if err != nil {
				return nil, fmt.Errorf("entry %d (%s): %w", i, e.Event, err)
			}
			e.Metadata = m
		}
		page.Entries = append(page.Entries, e)
	}
	return page, nil
}

// ListOptions tune a listfolder call (see [Client.ListFolderWith]).
type ListOptions struct {
	Recursive bool
	NoFiles   bool // nofiles=1: folders only
	// Attempts bounds the tries of this call (0: the client's [Options.MaxAttempts]).
	// A scan asks a recursive listing once: pCloud's 5000 on a huge tree
	// does not go away by asking again, the scan splits the folder instead.
	Attempts int
	// Visit, when set, is told of the listing entry by entry as the answer
	// is read, and the listing is never held whole (a recursive listing of
	// 100,000 files is tens of MB): [Client.ListFolderWith] then returns
	// the listed folder without its Contents. When the call is tried again
	// (Attempts), Visit hears the listing again from its start. An error
	// Visit returns ends the call with it.
	Visit ListVisitor
}

// ListFolderWith lists a folder by id with options.
func (c *Client) ListFolderWith(ctx context.Context, folderID uint64, o ListOptions) (*Metadata, error) {
	p := url.Values{"folderid": {strconv.FormatUint(folderID, 10)}, "timeformat": {"timestamp"}}
	if o.Recursive {
		p.Set("recursive", "1")
	}
	if o.NoFiles {
		p.Set("nofiles", "1")
	}
	cl := call{method: "listfolder", params: p, attempts: o.Attempts}
	if o.Visit == nil {
		return c.listCall(ctx, cl)
	}
	var root *Metadata
	cl.stream = func(ev ListEvent, m *Metadata) error {
		if root == nil && ev == ListFolder {
			root = m
		}
		return o.Visit(ev, m)
	}
	if _, err := c.listCall(ctx, cl); err != nil {
		return nil, err
	}
	if root == nil {
		return nil, &Error{Method: "listfolder", Err: &decodeError{"the listed metadata is not a folder"}, region: c.Region(), passing: true}
	}
	return root, nil
}
