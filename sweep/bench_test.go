package sweep

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// spin is a fake run: about 1 ms of arithmetic (a replicate of the
// baseline takes about 4 ms), deterministic in the run, standing in for
// the engine so that the benchmark measures the runner (scheduling, journal
// writes, outputs) at the grain of real sweeps.
func spin(_ context.Context, r Run) (Result, error) {
	rnd := rand.New(rand.NewPCG(r.Seed, uint64(r.Replicate)))
	s := 0.0
	for range spinDraws {
		s += rnd.Float64()
	}
	return Result{Outcome: "contested", Converged: -1, Final: []float64{s / spinDraws, r.Values[0]}}, nil
}

const spinDraws = 400_000

// BenchmarkSweep runs a 1000-run grid sweep (including its journal and
// every output file) with 1 and 2 workers and reports runs/s.
func BenchmarkSweep(b *testing.B) {
	d := Design{Kind: Grid, Replicates: 100, Seed: 1, Params: []Param{
		{Key: "a", Values: []float64{0, 0.25, 0.5, 0.75, 1}}, {Key: "b", Values: []float64{1, 2}},
	}}
	_, runs, _ := d.Count()
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			tmp := b.TempDir()
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				rn := &Runner{
					Dir: filepath.Join(tmp, fmt.Sprint(n)), Workers: w, Scenario: "bench", Program: "bench",
					Metrics: []string{"x", "a"}, Do: spin,
				}
				n++
				if err := rn.Execute(context.Background(), d, false); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(runs)*float64(b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
