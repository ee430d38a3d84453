package results

import (
	"encoding/json"
	"io"
	"math"
	"runtime"
	"time"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// Summary is the content of summary.json.
type Summary struct {
	Scenario string `json:"scenario"`
	Title    string `json:"title,omitempty"`
	// Kernel is the engine implementation that ran (sim.Kernel).
	Kernel string `json:"kernel"`
	// Complete is false when the run was interrupted; Note says why.
	Complete   bool           `json:"complete"`
	Note       string         `json:"note,omitempty"`
	Replicates ReplicateCount `json:"replicates"`
	// Outcomes are the shares of the outcomes the kernel names (for the
	// general model: established, latent, contested, hollow, collapsed)
	// with 95% Wilson intervals.
	Outcomes    []OutcomeShare `json:"outcomes"`
	Convergence Convergence    `json:"convergence"`
	// Final are the mean and sd over replicates of each metric's final
	// value, in sim.MetricNames order.
	Final      []FinalMetric `json:"final"`
	Provenance Provenance    `json:"provenance"`
}

// ReplicateCount says how many replicates were asked for and finished.
type ReplicateCount struct {
	Requested int `json:"requested"`
	Finished  int `json:"finished"`
}

// OutcomeShare is one outcome's share.
type OutcomeShare struct {
	Outcome string  `json:"outcome"`
	Count   int     `json:"count"`
	N       int     `json:"n"`
	Share   float64 `json:"share"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
}

// Convergence is the distribution of convergence steps.
type Convergence struct {
	Converged    int        `json:"converged"`     // replicates whose expectations converged (first passage)
	ConvergedEnd int        `json:"converged_end"` // replicates converged over their last window
	Quantiles    []Quantile `json:"quantiles"`     // of the first-passage steps
}

// Quantile is one quantile of the convergence steps; Step is null when no
// replicate converged.
type Quantile struct {
	P    float64  `json:"p"`
	Step *float64 `json:"step"`
}

// FinalMetric is the mean over replicates of one metric's mean over the
// last convergence window, with its 95% interval (null where undefined).
type FinalMetric struct {
	Metric string   `json:"metric"`
	Mean   *float64 `json:"mean"`
	Lo     *float64 `json:"lo"`
	Hi     *float64 `json:"hi"`
}

// Provenance says what produced the run. Wall time and the like live here
// and nowhere else.
type Provenance struct {
	Version      string  `json:"version"`
	ScenarioHash string  `json:"scenario_hash"`
	Seed         uint64  `json:"seed"`
	GoVersion    string  `json:"go_version"`
	WallSeconds  float64 `json:"wall_seconds"`
	AgentSteps   int64   `json:"agent_steps"`
}

func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// Summarize builds the summary of a run; complete is false (with a note)
// for an interrupted run.
func Summarize(m Meta, res *sim.Result, complete bool, note string) Summary {
	sm := stats.Summarize(&res.Config, res.Replicates)
	s := Summary{
		Scenario:   m.Scenario,
		Title:      m.Title,
		Kernel:     sim.Kernel(&res.Config),
		Complete:   complete,
		Note:       note,
		Replicates: ReplicateCount{Requested: m.Replicates, Finished: len(res.Replicates)},
		Provenance: Provenance{
			Version: m.Version, ScenarioHash: m.Hash, Seed: m.Seed, GoVersion: runtime.Version(),
			WallSeconds: math.Round(res.Wall.Seconds()*1000) / 1000, AgentSteps: res.AgentSteps,
		},
	}
	for _, sh := range sm.Outcomes {
		if math.IsNaN(sh.Share) { // no replicate finished
			sh.Share = 0
		}
		s.Outcomes = append(s.Outcomes, OutcomeShare(sh))
	}
	s.Convergence.Converged, s.Convergence.ConvergedEnd = sm.Converged, sm.ConvergedEnd
	for i, p := range sm.QuantileProbs {
		s.Convergence.Quantiles = append(s.Convergence.Quantiles, Quantile{P: p, Step: finite(sm.Quantiles[i])})
	}
	for i, name := range sim.MetricNames {
		s.Final = append(s.Final, FinalMetric{Metric: name, Mean: finite(sm.Mean[i]), Lo: finite(sm.Lo[i]), Hi: finite(sm.Hi[i])})
	}
	return s
}

// WriteSummary writes s as indented JSON.
func WriteSummary(w io.Writer, s Summary) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(s)
}

// Wall returns the wall time recorded in a summary.
func (s Summary) Wall() time.Duration {
	return time.Duration(s.Provenance.WallSeconds * float64(time.Second))
}
