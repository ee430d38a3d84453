package main

import (
	"runtime/debug"
	"strings"

	"github.com/normsim/normsim/sim"
)

// programVersion is the version recorded in every output's provenance and
// printed by `normsim version`: the engine's version, then the build's
// VCS revision (12 hex digits, ".dirty" when the tree had uncommitted
// changes) or, for `go install ...@vX`, the module version: "0.2.0",
// "0.2.0+1a2b3c4d5e6f", "0.2.0+1a2b3c4d5e6f.dirty", "0.2.0+v0.2.0".
var programVersion = versionOf(debug.ReadBuildInfo())

// versionOf is programVersion for build info bi (ok false: none).
func versionOf(bi *debug.BuildInfo, ok bool) string {
	v := sim.Version
	if !ok || bi == nil {
		return v
	}
	var rev string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	switch {
	case rev != "":
		v += "+" + rev[:min(12, len(rev))]
		if dirty {
			v += ".dirty"
		}
	case bi.Main.Version != "" && bi.Main.Version != "(devel)":
		v += "+" + strings.TrimSuffix(bi.Main.Version, "+dirty")
	}
	return v
}
