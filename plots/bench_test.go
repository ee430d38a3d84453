package plots

import (
	"io"
	"math/rand/v2"
	"testing"
)

// BenchmarkBand measures the per-step quantiles of 32 replicates of
// 10,000 recorded steps.
func BenchmarkBand(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	s := series{Steps: make([]int, 10000)}
	for j := range s.Steps {
		s.Steps[j] = j
	}
	for range 32 {
		v := make([]float64, len(s.Steps))
		for j := range v {
			v[j] = rng.Float64()
		}
		s.Vals = append(s.Vals, v)
	}
	b.ReportAllocs()
	for b.Loop() {
		thin(bandOf(s), maxPoints)
	}
	b.ReportMetric(float64(len(s.Steps))*float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkConvergencePNG measures drawing and encoding the convergence
// chart of the 8-replicate fixture.
func BenchmarkConvergencePNG(b *testing.B) {
	res := cyberFixture()
	b.ReportAllocs()
	for b.Loop() {
		f, err := Draw(ChartConvergence, res, fixtureMeta)
		if err != nil {
			b.Fatal(err)
		}
		if err := f.WritePNG(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
