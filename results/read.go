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
	rd := &runReader{
		res:     &sim.Result{Wall: sum.Wall(), AgentSteps: sum.Provenance.AgentSteps},
		byIndex: map[int]int{},
	}
	if !sum.Complete {
		rd.res.Status = sim.Canceled
	}
	if err := readCSV(filepath.Join(dir, ReplicatesFile), ReplicatesHeader(), rd.replicate); err != nil {
		return nil, sum, err
	}
	if err := readCSV(filepath.Join(dir, TimeseriesFile), TimeseriesHeader(), rd.row); err != nil {
		return nil, sum, err
	}
	lat := filepath.Join(dir, LatticeFile)
	if _, err := os.Stat(lat); err == nil {
		if err := readCSV(lat, LatticeHeader(), rd.snapshot); err != nil {
			return nil, sum, err
		}
	}
	res := rd.res
	slices.SortStableFunc(res.Replicates, func(a, b sim.Replicate) int { return a.Index - b.Index })
	for i := range res.Replicates {
		if r := &res.Replicates[i]; len(r.Rows) > 0 {
			r.Final = r.Rows[len(r.Rows)-1]
		}
	}
	return res, sum, nil
}

// runReader gathers the records of a run directory's CSV files into a
// Result, one method per file.
type runReader struct {
	res     *sim.Result
	byIndex map[int]int // replicate index -> position in res.Replicates
}

// replicate reads a record of replicates.csv.
func (rd *runReader) replicate(rec []string, p *parser) {
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
	if _, dup := rd.byIndex[r.Index]; dup {
		p.fail("replicate %d twice", r.Index)
	}
	rd.byIndex[r.Index] = len(rd.res.Replicates)
	rd.res.Replicates = append(rd.res.Replicates, r)
}

// of returns the replicate a record of another file names, or nil (and a
// failure) when replicates.csv does not have it.
func (rd *runReader) of(index string, p *parser) *sim.Replicate {
	k, ok := rd.byIndex[p.int(index)]
	if !ok {
		p.fail("replicate %s is not in %s", index, ReplicatesFile)
		return nil
	}
	return &rd.res.Replicates[k]
}

// row reads a record of timeseries.csv.
func (rd *runReader) row(rec []string, p *parser) {
	r := rd.of(rec[4], p)
	if r == nil {
		return
	}
	r.Steps = append(r.Steps, p.int(rec[5]))
	var row sim.Row
	for i := range row {
		row[i] = p.float(rec[6+i])
	}
	r.Rows = append(r.Rows, row)
}

// snapshot reads a record of lattice.csv.
func (rd *runReader) snapshot(rec []string, p *parser) {
	r := rd.of(rec[4], p)
	if r == nil {
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
	r.Lattice = append(r.Lattice, s)
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
