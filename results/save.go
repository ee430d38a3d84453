package results

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/normsim/normsim/sim"
)

// Names of the files in a run directory.
const (
	ScenarioFile   = "scenario.toml"
	TimeseriesFile = "timeseries.csv"
	ReplicatesFile = "replicates.csv"
	LatticeFile    = "lattice.csv"
	SummaryFile    = "summary.json"
	IncompleteFile = "INCOMPLETE"
)

// Exists reports whether dir already holds a run's results.
func Exists(dir string) bool {
	for _, f := range []string{TimeseriesFile, ReplicatesFile, SummaryFile, ScenarioFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// Save writes the data files of a run into dir (which must exist):
// timeseries.csv, replicates.csv, lattice.csv when there are snapshots,
// and summary.json. When complete is false (an interrupted run) it also
// writes INCOMPLETE with note; otherwise it removes a stale INCOMPLETE.
// It returns the paths written, in order.
func Save(dir string, m Meta, res *sim.Result, complete bool, note string) ([]string, error) {
	var paths []string
	write := func(name string, f func(io.Writer) error) error {
		p := filepath.Join(dir, name)
		if err := WriteFile(p, f); err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	}
	if err := write(TimeseriesFile, func(w io.Writer) error { return WriteTimeseries(w, m, res) }); err != nil {
		return paths, err
	}
	if err := write(ReplicatesFile, func(w io.Writer) error { return WriteReplicates(w, m, res) }); err != nil {
		return paths, err
	}
	if HasLattice(res) {
		if err := write(LatticeFile, func(w io.Writer) error { return WriteLattice(w, m, res) }); err != nil {
			return paths, err
		}
	}
	s := Summarize(m, res, complete, note)
	if err := write(SummaryFile, func(w io.Writer) error { return WriteSummary(w, s) }); err != nil {
		return paths, err
	}
	inc := filepath.Join(dir, IncompleteFile)
	if complete {
		if err := os.Remove(inc); err != nil && !errors.Is(err, os.ErrNotExist) {
			return paths, fmt.Errorf("results: %w", err)
		}
		return paths, nil
	}
	msg := fmt.Sprintf("This run was interrupted: %d of %d replicates finished and are in the files here.\n%s\n", len(res.Replicates), m.Replicates, note)
	if err := WriteBytes(inc, []byte(msg)); err != nil {
		return paths, err
	}
	return append(paths, inc), nil
}
