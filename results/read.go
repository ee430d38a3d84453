package results

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/normsim/normsim/sim"
)

// Read loads a run directory back into a sim.Result (for `normsim plot`):
// every replicate's recorded steps and rows, outcome, convergence step,
// final values and lattice snapshots, and the summary. The Result's Config
// is left at its zero value: the caller fills it from scenario.toml.
func Read(dir string) (*sim.Result, Summary, error) {
	var sum Summary
	data, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		return nil, sum, fmt.Errorf("results: %w", err)
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		return nil, sum, fmt.Errorf("results: %s: %w", filepath.Join(dir, SummaryFile), err)
	}
	res := &sim.Result{Wall: sum.Wall(), AgentSteps: sum.Provenance.AgentSteps}
	if !sum.Complete {
		res.Status = sim.Canceled
	}
	byIndex := map[int]int{} // replicate index -> position in res.Replicates

	err = readCSV(filepath.Join(dir, ReplicatesFile), ReplicatesHeader(), func(rec []string, p *parser) {
		r := sim.Replicate{Index: p.int(rec[4]), Seed: p.uint(rec[3])}
		o, ok := sim.ParseOutcome(rec[5])
		if !ok {
			p.fail("outcome %q", rec[5])
		}
		r.Outcome = o
		r.Converged = p.step(rec[6])
		r.ConvergedEnd = rec[7] == "true"
		r.NotConverged = rec[8]
		r.Tipping = p.step(rec[9])
		r.FinalRestraint, r.FinalBelief = p.float(rec[10]), p.float(rec[11])
		for i := range r.Window {
			r.Window[i] = p.float(rec[12+i])
		}
		if _, dup := byIndex[r.Index]; dup {
			p.fail("replicate %d twice", r.Index)
		}
		byIndex[r.Index] = len(res.Replicates)
		res.Replicates = append(res.Replicates, r)
	})
	if err != nil {
		return nil, sum, err
	}
	err = readCSV(filepath.Join(dir, TimeseriesFile), TimeseriesHeader(), func(rec []string, p *parser) {
		k, ok := byIndex[p.int(rec[4])]
		if !ok {
			p.fail("replicate %s is not in %s", rec[4], ReplicatesFile)
			return
		}
		r := &res.Replicates[k]
		r.Steps = append(r.Steps, p.int(rec[5]))
		var row sim.Row
		for i := range row {
			row[i] = p.float(rec[6+i])
		}
		r.Rows = append(r.Rows, row)
	})
	if err != nil {
		return nil, sum, err
	}
	lat := filepath.Join(dir, LatticeFile)
	if _, err := os.Stat(lat); err == nil {
		err = readCSV(lat, LatticeHeader(), func(rec []string, p *parser) {
			k, ok := byIndex[p.int(rec[4])]
			if !ok {
				p.fail("replicate %s is not in %s", rec[4], ReplicatesFile)
				return
			}
			s := sim.LatticeSnapshot{Step: p.int(rec[5]), Width: p.int(rec[6]), Height: p.int(rec[7])}
			if s.Width*s.Height != len(rec[8]) {
				p.fail("%d cells for a %dx%d lattice", len(rec[8]), s.Width, s.Height)
				return
			}
			s.Cells = make([]uint8, len(rec[8]))
			for i := range len(rec[8]) {
				c := rec[8][i]
				if c < '0' || c > '9' {
					p.fail("cell %q", c)
					return
				}
				s.Cells[i] = c - '0'
			}
			res.Replicates[k].Lattice = append(res.Replicates[k].Lattice, s)
		})
		if err != nil {
			return nil, sum, err
		}
	}
	slices.SortStableFunc(res.Replicates, func(a, b sim.Replicate) int { return a.Index - b.Index })
	for i := range res.Replicates {
		if r := &res.Replicates[i]; len(r.Rows) > 0 {
			r.Final = r.Rows[len(r.Rows)-1]
		}
	}
	return res, sum, nil
}

// parser converts fields, keeping the first error.
type parser struct {
	err error
}

func (p *parser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

func (p *parser) int(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		p.fail("integer %q", s)
	}
	return n
}

func (p *parser) uint(s string) uint64 {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		p.fail("seed %q", s)
	}
	return n
}

// step reads a step number, -1 for an empty cell (never).
func (p *parser) step(s string) int {
	if s == "" {
		return -1
	}
	return p.int(s)
}

// float reads a number, NaN for an empty cell.
func (p *parser) float(s string) float64 {
	if s == "" {
		return math.NaN()
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		p.fail("number %q", s)
	}
	return x
}

// readCSV reads a CSV file whose header must be want, calling row for each
// record.
func readCSV(path string, want []string, row func(rec []string, p *parser)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1 // checked below, after the header
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("results: %s: %w", path, err)
	}
	if !slices.Equal(head, want) {
		return fmt.Errorf("results: %s: columns %s, want %s (written by another version of normsim?)", path, strings.Join(head, ","), strings.Join(want, ","))
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("results: %s: %w", path, err)
		}
		if len(rec) != len(want) {
			return fmt.Errorf("results: %s:%d: %d fields, want %d", path, line, len(rec), len(want))
		}
		var p parser
		row(rec, &p)
		if p.err != nil {
			return fmt.Errorf("results: %s:%d: %w", path, line, p.err)
		}
	}
}
