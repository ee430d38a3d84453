package scenarios

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: no input makes Parse panic, every accepted scenario resolves
// to text that parses to the same hash, and no accepted configuration
// holds a NaN or an infinity.
func FuzzParse(f *testing.F) {
	files, _ := fs.Glob(shipped, "*.toml")
	for _, n := range files {
		data, _ := shipped.ReadFile(n)
		f.Add(data)
	}
	bad, _ := filepath.Glob("testdata/bad/*.toml")
	for _, n := range bad {
		data, _ := os.ReadFile(n)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.toml", data)
		if err != nil {
			return
		}
		cfg, err := s.Config()
		if err != nil {
			t.Fatalf("accepted, but Config fails: %v", err)
		}
		for _, x := range []float64{cfg.Payoffs.Temptation, cfg.Attribution.EvidenceStandard, cfg.Forum.Pull, cfg.Learning.Aspiration} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("accepted a non-finite value")
			}
		}
		s2, err := Parse("resolved.toml", s.Resolved())
		if err != nil {
			t.Fatalf("resolved output does not parse: %v\n%s", err, s.Resolved())
		}
		if s2.Hash() != s.Hash() {
			t.Fatalf("hash changes through Resolved")
		}
	})
}
