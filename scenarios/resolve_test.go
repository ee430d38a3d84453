package scenarios

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// TestResolvedRoundTrip: resolving is canonical (twice gives the same
// bytes) and lossless (Parse(Resolved()) gives the same configuration,
// sweep and goals) for every shipped scenario.
func TestResolvedRoundTrip(t *testing.T) {
	for _, e := range List() {
		s, err := Open(e.Name)
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		r1 := s.Resolved()
		s2, err := Parse("resolved.toml", r1)
		if err != nil {
			t.Fatalf("%s: resolved output does not parse:\n%v\n%s", e.Name, err, r1)
		}
		if r2 := s2.Resolved(); !bytes.Equal(r1, r2) {
			t.Errorf("%s: resolving twice gives different bytes", e.Name)
		}
		c1, _ := s.Config()
		c2, _ := s2.Config()
		if !reflect.DeepEqual(c1, c2) {
			t.Errorf("%s: config differs after a round trip:\n%+v\n%+v", e.Name, c1, c2)
		}
		if !reflect.DeepEqual(s.Sweep, s2.Sweep) || !reflect.DeepEqual(s.Expect, s2.Expect) || !reflect.DeepEqual(s.Info, s2.Info) {
			t.Errorf("%s: sweep, expect or info differ after a round trip", e.Name)
		}
		if s.Hash() != s2.Hash() {
			t.Errorf("%s: hash differs after a round trip", e.Name)
		}
	}
}

// TestValues: the configuration keys as show prints them, one a key, in
// resolved order, each a line of Resolved.
func TestValues(t *testing.T) {
	s := mustOpen(t, "baseline")
	vs := s.Values()
	res := string(s.Resolved())
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.Key()] {
			t.Errorf("%s twice", v.Key())
		}
		seen[v.Key()] = true
		if !strings.Contains(res, "\n"+v.Name+" = "+v.Value) {
			t.Errorf("%s = %s is not a line of Resolved", v.Key(), v.Value)
		}
		if v.Key() == "forum.every" && v.Value != "12" {
			t.Errorf("forum.every = %s, want 12 (baseline.toml)", v.Value)
		}
	}
	if len(vs) < 50 || !seen["forum.every"] || !seen["world.states"] {
		t.Errorf("%d values", len(vs))
	}
}
