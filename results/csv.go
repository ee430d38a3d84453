package results

import (
	"encoding/csv"
	"io"
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

// ReplicatesHeader returns the columns of replicates.csv.
func ReplicatesHeader() []string {
	h := append(append([]string{}, idColumns...), "outcome", "converged", "final_restraint")
	return append(h, sim.MetricNames[:]...)
}

// LatticeHeader returns the columns of lattice.csv.
func LatticeHeader() []string {
	return append(append([]string{}, idColumns...), "step", "width", "height", "cells")
}

// FormatFloat writes x with full precision.
func FormatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

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
		conv := ""
		if r.Converged >= 0 {
			conv = strconv.Itoa(r.Converged)
		}
		rec = append(rec, r.Outcome.String(), conv, FormatFloat(r.FinalRestraint))
		for _, x := range r.Final {
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
