package api

import (
	"fmt"
	"net/url"
	"strings"
)

// Region is where a pCloud account lives.
type Region string

// The two pCloud regions.
const (
	RegionUS Region = "us"
	RegionEU Region = "eu"
)

// BaseURL returns the API base URL of a region: https://api.pcloud.com for
// the US (and anything unknown), https://eapi.pcloud.com for the EU.
func BaseURL(r Region) string {
	if r == RegionEU {
		return "https://eapi.pcloud.com"
	}
	return "https://api.pcloud.com"
}

// ParseRegion reads "us" or "eu" (any case, surrounding space ignored).
func ParseRegion(s string) (Region, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "us":
		return RegionUS, nil
	case "eu":
		return RegionEU, nil
	}
	return "", fmt.Errorf("pcloud: unknown region %q: use us or eu", s)
}

func otherRegion(r Region) Region {
	if r == RegionEU {
		return RegionUS
	}
	return RegionEU
}

// otherBase returns the other region and its base URL, or ok=false when it
// is not known (a custom [BaseURL] without [Options.RegionURLs]).
func (c *Client) otherBase(st state) (Region, string, bool) {
	o := otherRegion(st.region)
	if u, ok := c.regionURLs[o]; ok && u != st.base {
		return o, u, true
	}
	if c.defaultURLs && len(c.regionURLs) == 0 {
		return o, BaseURL(o), true
	}
	return "", "", false
}

func (c *Client) switchRegion(r Region, base string) {
	c.mu.Lock()
	c.region, c.base = r, base
	if u, err := url.Parse(base); err == nil {
		c.scheme = u.Scheme
	}
	c.mu.Unlock()
	// Don't reuse a connection that belonged to the other host's login.
	c.hc.CloseIdleConnections()
	c.log.Info("pcloud: switched region", "region", string(r), "base", base)
}
