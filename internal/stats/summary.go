package stats

import (
	"math"
	"slices"

	"github.com/normsim/normsim/sim"
)

// OutcomeShare is the share of replicates with one outcome and its 95%
// Wilson interval.
type OutcomeShare struct {
	Outcome string
	Count   int
	N       int
	Share   float64
	Lo, Hi  float64
}

// Summary aggregates a run's replicates: the numbers the command prints,
// summary.json records and the charts and handouts show.
type Summary struct {
	Replicates int
	// Outcomes are the shares of the outcomes the kernel can name
	// (sim.Outcomes), in that order.
	Outcomes []OutcomeShare
	// Converged counts the replicates whose expectations converged (first
	// passage), ConvergedEnd those converged over their last window.
	Converged, ConvergedEnd int
	// QuantileProbs and Quantiles are the 0.1, 0.25, 0.5, 0.75 and 0.9
	// quantiles (Quantile) of the convergence steps of the replicates that
	// converged; NaN when none did.
	QuantileProbs []float64
	Quantiles     []float64
	// Mean, Lo and Hi are each metric's mean over replicates of its
	// window mean (sim.Replicate.Window) with its 95% interval, cut to [0,
	// 1] for rates and to >= 0 for counts; NaN where no replicate has it.
	Mean, Lo, Hi sim.Row
}

// Summarize aggregates reps, run with cfg.
func Summarize(cfg *sim.Config, reps []sim.Replicate) Summary {
	s := Summary{Replicates: len(reps), QuantileProbs: []float64{0.1, 0.25, 0.5, 0.75, 0.9}}
	var counts [sim.NumOutcomes]int
	var conv []float64
	for _, r := range reps {
		counts[r.Outcome]++
		if r.Converged >= 0 {
			conv = append(conv, float64(r.Converged))
		}
		if r.ConvergedEnd {
			s.ConvergedEnd++
		}
	}
	for _, o := range sim.Outcomes(cfg) {
		share, lo, hi := Share(counts[o], len(reps))
		s.Outcomes = append(s.Outcomes, OutcomeShare{Outcome: o.String(), Count: counts[o], N: len(reps), Share: share, Lo: lo, Hi: hi})
	}
	s.Converged = len(conv)
	slices.Sort(conv)
	for _, p := range s.QuantileProbs {
		// Steps are integers: interpolated quantiles are rounded to 1e-9
		// so that the rounding of (n-1)p does not show (73.2, not
		// 73.20000000000002, in summary.json).
		s.Quantiles = append(s.Quantiles, math.Round(Quantile(conv, p)*1e9)/1e9)
	}
	x := make([]float64, len(reps))
	for m := range sim.NumMetrics {
		for i, r := range reps {
			x[i] = r.Window[m]
		}
		v, _ := Finite(x)
		s.Mean[m], s.Lo[m], s.Hi[m] = Mean(v, MetricSupport(m))
	}
	return s
}

// MetricSupport is the range metric m can take.
func MetricSupport(m sim.Metric) Support {
	switch m {
	case sim.PayoffMean, sim.ExpectationGap:
		return Real
	case sim.RestraintRate, sim.RestraintCompliant, sim.BeliefRestraintMean, sim.BeliefRestraintSD,
		sim.BeliefResponseMean, sim.BeliefResponseSD, sim.Adoption, sim.AdoptionPower, sim.Stringency,
		sim.LegitimacyMean, sim.BoldnessMean, sim.VengefulnessMean, sim.CredibilityMean,
		sim.RestraintLow, sim.RestraintMid, sim.RestraintHigh, sim.AdoptionLow, sim.AdoptionMid, sim.AdoptionHigh,
		sim.ForumMarker, sim.ForumFailed, sim.EventMarker:
		return Unit
	}
	return Count
}
