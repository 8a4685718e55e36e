package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestVersion(t *testing.T) {
	if Version("v1.2.3") != "v1.2.3" {
		t.Error("a stamped version is not kept")
	}
	for _, c := range []struct {
		bi   debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}}, "v0.4.0"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "314c9b9aabbccddeeff00112233"}, {Key: "vcs.modified", Value: "false"}}}, "dev-314c9b9aabbc"},
		{debug.BuildInfo{Main: debug.Module{Version: "v0.4.1-0.20261203-314c9b9aabbc+dirty"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "314c9b9aabbccddeeff00112233"}, {Key: "vcs.modified", Value: "true"}}}, "dev-314c9b9aabbc-dirty"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	} {
		if got := fromBuildInfo(&c.bi); got != c.want {
			t.Errorf("%+v: %q, want %q", c.bi.Main, got, c.want)
		}
	}
}
