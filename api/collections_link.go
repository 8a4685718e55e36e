package api

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// LinkResult is what pCloud said about one file id given to link.
type LinkResult struct {
	FileID  uint64
	Code    int            // 0 linked
	Message string         // pCloud's text when not linked
	Item    CollectionItem // when linked
}

// Duplicate reports whether the file was not linked because it already is
// in the collection (or came twice in the list).
func (r LinkResult) Duplicate() bool {
	return r.Code == CodeDuplicate || (r.Code != 0 && strings.Contains(strings.ToLower(r.Message), "already"))
}

// LinkReport is the outcome of linking files, over every batch.
type LinkReport struct {
	Results    []LinkResult // one per file id sent, in order
	Collection Collection   // as the last answer described it
}

// Linked is the number of files linked.
func (r LinkReport) Linked() int {
	n := 0
	for _, x := range r.Results {
		if x.Code == 0 {
			n++
		}
	}
	return n
}

// Duplicates are the file ids that were already in the collection.
func (r LinkReport) Duplicates() []uint64 {
	var out []uint64
	for _, x := range r.Results {
		if x.Duplicate() {
			out = append(out, x.FileID)
		}
	}
	return out
}

// Failed are the files not linked for another reason (e.g. 2009: gone).
func (r LinkReport) Failed() []LinkResult {
	var out []LinkResult
	for _, x := range r.Results {
		if x.Code != 0 && !x.Duplicate() {
			out = append(out, x)
		}
	}
	return out
}

// LinkFiles appends files to a collection in order, [LinkBatch] ids per
// call. pCloud links no file twice: those come back as duplicates
// ([LinkReport.Duplicates]). On an error, the report holds the batches done.
func (c *Client) LinkFiles(ctx context.Context, id uint64, fileIDs []uint64) (LinkReport, error) {
	var rep LinkReport
	const method = "collection_linkfiles"
	for start := 0; start < len(fileIDs); start += LinkBatch {
		batch := fileIDs[start:min(start+LinkBatch, len(fileIDs))]
		p := url.Values{
			"collectionid": {strconv.FormatUint(id, 10)},
			"fileids":      {joinIDs(batch)},
			"timeformat":   {"timestamp"},
		}
		// One attempt: a retried link whose first try got through would
		// report its files as duplicates.
		ans, err := c.authed(ctx, call{method: method, params: p, attempts: 1})
		if err != nil {
			return rep, err
		}
		co, res, err := c.decodeCollection(method, ans)
		if err != nil {
			return rep, err
		}
		rep.Collection = co
		rep.Results = append(rep.Results, res...)
	}
	return rep, nil
}
