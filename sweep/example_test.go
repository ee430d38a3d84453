package sweep_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/normsim/normsim/sweep"
)

// A 2x2 grid with 3 replicates: 12 runs, each a deterministic function of
// its values, seed and replicate.
func Example() {
	d := sweep.Design{Kind: sweep.Grid, Replicates: 3, Seed: 1, Params: []sweep.Param{
		{Key: "attribution.evidence_standard", Values: []float64{1, 2}},
		{Key: "forum.inclusivity", Values: []float64{0.2, 0.8}},
	}}
	sweep.Describe(os.Stdout, d, sweep.Shard{}, 0, 0)

	dir, _ := os.MkdirTemp("", "sweep-example")
	defer os.RemoveAll(dir)
	rn := &sweep.Runner{
		Dir: dir, Workers: 2, Scenario: "example", ScenarioHash: "0", Program: "example",
		Metrics: []string{"restraint_rate"},
		Do: func(ctx context.Context, r sweep.Run) (sweep.Result, error) {
			x := r.Values[1] // a stand-in for the engine
			out := "contested"
			if x > 0.5 {
				out = "established"
			}
			return sweep.Result{Outcome: out, Converged: 10 * r.Replicate, Final: []float64{x}}, nil
		},
	}
	if err := rn.Execute(context.Background(), d, false); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(filepath.Join(dir, sweep.RunsFile))
	lines := strings.Split(string(b), "\n")
	fmt.Println(lines[0])
	fmt.Println(lines[1])
	fmt.Println(len(lines)-2, "rows")
	// Output:
	// grid design: 4 points x 3 replicates = 12 runs
	// parameters: attribution.evidence_standard (2 values), forum.inclusivity (2 values)
	// scenario,version,scenario_hash,run,point,attribution.evidence_standard,forum.inclusivity,seed,replicate,outcome,converged,restraint_rate
	// example,example,0,0,0,1,0.2,1227844342346046657,0,contested,0,0.2
	// 12 rows
}

// A Sobol' design's points and the indices of an additive output, y = x1 +
// 2 x2: the second parameter carries 4/5 of the variance.
func ExampleDesign_SobolIndices() {
	d := sweep.Design{Kind: sweep.Sobol, Samples: 1024, Replicates: 1, Params: []sweep.Param{
		{Key: "x1", Min: 0, Max: 1}, {Key: "x2", Min: 0, Max: 1},
	}}
	pts, _ := d.Points()
	y := make([]float64, len(pts))
	for j, x := range pts {
		y[j] = x[0] + 2*x[1]
	}
	idx, _ := d.SobolIndices(y)
	for _, s := range idx {
		fmt.Printf("%s: S1 %.2f ST %.2f\n", s.Param, s.S1.Value, s.ST.Value)
	}
	// Output:
	// x1: S1 0.20 ST 0.20
	// x2: S1 0.80 ST 0.80
}
