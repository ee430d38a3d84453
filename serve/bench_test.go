package serve

import (
	"testing"

	"github.com/normsim/normsim/scenarios"
)

// BenchmarkLiveStep measures how many steps a second a session's live
// worlds take (all live replicates, events, aggregation of the points), for
// worlds from the baseline's to thousands of states and large lattices:
// go test -run '^$' -bench LiveStep ./serve
func BenchmarkLiveStep(b *testing.B) {
	for _, c := range []struct {
		name, scenario string
		set            []string
		reps           int
	}{
		{"baseline-193x16", "baseline", nil, 16},
		{"complete-5000x16", "baseline", []string{"world.states=5000"}, 16},
		{"scale-free-20000x8", "baseline", []string{"world.states=20000", "topology.kind=\"scale-free\"", "topology.m=2"}, 8},
		{"lattice-100x100x4", "exercises/nowak-may-chaos", nil, 4},
		{"lattice-400x400x4", "nowak-may-chaos", nil, 4},
	} {
		b.Run(c.name, func(b *testing.B) {
			sc, err := scenarios.Open(c.scenario)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := applySets(sc, "bench", append([]string{"run.steps=1000000", "run.record_every=1000000"}, c.set...)); err != nil {
				b.Fatal(err)
			}
			cfg, _ := sc.Config()
			l, err := newLiveRun(cfg, c.reps)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				l.step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
