package sweep

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestPoolRuns: the pools of a grid hold every run once per parameter and
// once in the phase table, with the counts and means read straight from
// runs.csv; a sampled design's bins hold every run.
func TestPoolRuns(t *testing.T) {
	for name, d := range testDesigns() {
		if d.Kind != Grid && d.Kind != LHS {
			continue
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := testRunner(dir, Shard{}, 2).Execute(context.Background(), d, false); err != nil {
				t.Fatal(err)
			}
			m, err := ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			pooled, err := PoolRuns(dir, m, "restraint_rate")
			if err != nil {
				t.Fatal(err)
			}
			f, _ := os.Open(filepath.Join(dir, RunsFile))
			defer f.Close()
			recs, _ := csv.NewReader(f).ReadAll()
			runs := len(recs) - 1
			for _, p := range pooled.Params {
				n := 0
				for _, c := range p.Pools {
					n += c.N
				}
				if n != runs {
					t.Errorf("%s pools %d runs, want %d", p.Key, n, runs)
				}
			}
			if d.Kind != Grid {
				if pooled.Phase != nil {
					t.Error("a phase table for a sampled design")
				}
				return
			}
			// First parameter = 1: its runs' count, established and mean restraint_rate.
			col := map[string]int{}
			for i, h := range recs[0] {
				col[h] = i
			}
			var n, est int
			var sum float64
			for _, r := range recs[1:] {
				if r[col[d.Params[0].Key]] == "1" {
					n++
					if r[col["outcome"]] == "established" {
						est++
					}
					y, _ := strconv.ParseFloat(r[col["restraint_rate"]], 64)
					sum += y
				}
			}
			c := pooled.Params[0].Pools[0]
			if c.N != n || c.Established != est || math.Abs(c.Mean-sum/float64(n)) > 1e-12 {
				t.Errorf("pool of %s = 1: %d runs, %d established, mean %g; want %d, %d, %g", d.Params[0].Key, c.N, c.Established, c.Mean, n, est, sum/float64(n))
			}
			phase := 0
			for _, row := range pooled.Phase {
				for _, c := range row {
					phase += c.N
				}
			}
			if phase != runs {
				t.Errorf("the phase table pools %d runs, want %d", phase, runs)
			}
		})
	}
}
