package main

import (
	"runtime/debug"
	"testing"

	"github.com/normsim/normsim/sim"
)

// TestVersionOf: the version records the revision a binary was built
// from (issue 14: "version is 0.1.0 for every commit").
func TestVersionOf(t *testing.T) {
	rev := "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"
	cases := []struct {
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{nil, false, sim.Version},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, sim.Version},
		{&debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}}}, true, sim.Version + "+1a2b3c4d5e6f"},
		{&debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}}, true, sim.Version + "+1a2b3c4d5e6f.dirty"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}}, true, sim.Version + "+v0.2.0"},
	}
	for _, c := range cases {
		if got := versionOf(c.bi, c.ok); got != c.want {
			t.Errorf("versionOf(%+v) = %q, want %q", c.bi, got, c.want)
		}
	}
}
