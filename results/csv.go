package results

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/normsim/normsim/sim"
)

// Meta identifies a run in every output file.
type Meta struct {
	Scenario   string // the scenario's name key
	Title      string
	Version    string // program version (sim.Version)
	Hash       string // hex SHA-256 of the resolved scenario
	Seed       uint64 // run.seed
	Replicates int    // replicates asked for (res.Replicates holds the finished ones)
}

// idColumns are the first columns of every CSV.
var idColumns = []string{"scenario", "version", "scenario_hash", "seed", "replicate"}

// TimeseriesHeader returns the columns of timeseries.csv.
func TimeseriesHeader() []string {
	h := append(append([]string{}, idColumns...), "step")
	return append(h, sim.MetricNames[:]...)
}

// ReplicateColumns are the columns of replicates.csv that describe a
// replicate as a whole, between the identity columns and the metrics.
var ReplicateColumns = []string{"outcome", "converged", "converged_end", "not_converged", "tipping_step", "final_restraint", "final_belief"}

// ReplicatesHeader returns the columns of replicates.csv: the identity,
// the replicate's outcome, convergence (first step, and whether the last
// window held, or which condition failed), its tipping step, practice and
// expectations, then each metric's mean over the last convergence.window
// steps.
func ReplicatesHeader() []string {
	h := append(append([]string{}, idColumns...), ReplicateColumns...)
	return append(h, sim.MetricNames[:]...)
}

// LatticeHeader returns the columns of lattice.csv.
func LatticeHeader() []string {
	return append(append([]string{}, idColumns...), "step", "width", "height", "cells")
}

// FormatFloat writes x with full precision; NaN, a metric with nothing
// to measure, is an empty cell.
func FormatFloat(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// step writes a step number, or an empty cell for -1 (never).
func step(t int) string {
	if t < 0 {
		return ""
	}
	return strconv.Itoa(t)
}

func (m Meta) id(rep int) []string {
	return []string{m.Scenario, m.Version, m.Hash, strconv.FormatUint(m.Seed, 10), strconv.Itoa(rep)}
}

func flush(w *csv.Writer) error {
	w.Flush()
	return w.Error()
}

// WriteTimeseries writes timeseries.csv: every recorded step of every
// replicate, replicates in index order.
func WriteTimeseries(out io.Writer, m Meta, res *sim.Result) error {
	w := csv.NewWriter(out)
	if err := w.Write(TimeseriesHeader()); err != nil {
		return err
	}
	rec := make([]string, 0, len(TimeseriesHeader()))
	for _, r := range res.Replicates {
		id := m.id(r.Index)
		for i, t := range r.Steps {
			rec = append(rec[:0], id...)
			rec = append(rec, strconv.Itoa(t))
			for _, x := range r.Rows[i] {
				rec = append(rec, FormatFloat(x))
			}
			if err := w.Write(rec); err != nil {
				return err
			}
		}
	}
	return flush(w)
}

// WriteReplicates writes replicates.csv: one row per replicate.
func WriteReplicates(out io.Writer, m Meta, res *sim.Result) error {
	w := csv.NewWriter(out)
	if err := w.Write(ReplicatesHeader()); err != nil {
		return err
	}
	for _, r := range res.Replicates {
		rec := m.id(r.Index)
		rec = append(rec, r.Outcome.String(), step(r.Converged), strconv.FormatBool(r.ConvergedEnd), r.NotConverged,
			step(r.Tipping), FormatFloat(r.FinalRestraint), FormatFloat(r.FinalBelief))
		for _, x := range r.Window {
			rec = append(rec, FormatFloat(x))
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	return flush(w)
}

// HasLattice reports whether any replicate kept lattice snapshots.
func HasLattice(res *sim.Result) bool {
	for _, r := range res.Replicates {
		if len(r.Lattice) > 0 {
			return true
		}
	}
	return false
}

// WriteLattice writes lattice.csv: the lattice snapshots, by replicate and
// step.
func WriteLattice(out io.Writer, m Meta, res *sim.Result) error {
	w := csv.NewWriter(out)
	if err := w.Write(LatticeHeader()); err != nil {
		return err
	}
	var b strings.Builder
	for _, r := range res.Replicates {
		for _, s := range r.Lattice {
			b.Reset()
			b.Grow(len(s.Cells))
			for _, c := range s.Cells {
				b.WriteByte('0' + c%10)
			}
			rec := append(m.id(r.Index), strconv.Itoa(s.Step), strconv.Itoa(s.Width), strconv.Itoa(s.Height), b.String())
			if err := w.Write(rec); err != nil {
				return err
			}
		}
	}
	return flush(w)
}
