package results

import (
	"io"
	"testing"

	"github.com/normsim/normsim/sim"
)

// BenchmarkWriteTimeseries measures timeseries.csv output: a baseline-sized
// record (32 replicates of 501 rows).
func BenchmarkWriteTimeseries(b *testing.B) {
	res := &sim.Result{}
	for rep := range 32 {
		r := sim.Replicate{Index: rep}
		for t := 0; t <= 500; t++ {
			var row sim.Row
			for m := range row {
				row[m] = float64(t*m) / 7
			}
			r.Steps = append(r.Steps, t)
			r.Rows = append(r.Rows, row)
		}
		res.Replicates = append(res.Replicates, r)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteTimeseries(io.Discard, meta, res); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(32*501)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
