package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// Summary is the content of summary.json: provenance and counts. It is the
// one output that may differ between two runs of the same sweep (wall
// time, date, machine); the CSV files never do.
type Summary struct {
	Format       string `json:"format"`
	Scenario     string `json:"scenario"`
	ScenarioHash string `json:"scenario_hash"`
	Program      string `json:"program"`
	Design       Design `json:"design"`
	Shard        *Shard `json:"shard,omitempty"`
	Points       int    `json:"points"`
	Runs         int    `json:"runs"`
	// Done is the number of runs of the shard (or sweep) recorded.
	Done int `json:"done"`
	// Outcomes counts the recorded runs by outcome.
	Outcomes map[string]int `json:"outcomes"`
	// Files lists the outputs written, besides summary.json.
	Files       []string          `json:"files"`
	MergedFrom  []string          `json:"merged_from,omitempty"`
	Workers     int               `json:"workers,omitempty"`
	WallSeconds float64           `json:"wall_seconds"`
	Finished    string            `json:"finished"`
	Go          string            `json:"go"`
	Platform    string            `json:"platform"`
	Provenance  map[string]string `json:"provenance,omitempty"`
	// Warnings say what makes the outputs unreliable: a design too small
	// to estimate the sensitivity indices it reports.
	Warnings []string `json:"warnings,omitempty"`
}

// summaryInfo is what the caller of finishDir knows about this execution.
type summaryInfo struct {
	workers    int
	start      time.Time
	provenance map[string]string
	mergedFrom []string
}

// finishDir writes the outputs of dir, whose journal must hold every run of
// the manifest's shard. It reads the journal in run order through a sort
// whose memory is bounded (sortJournals), whatever the number of runs.
func finishDir(dir string, pl *plan, info summaryInfo) error {
	jpath := filepath.Join(dir, JournalFile)
	sh := pl.m.shard()
	j, err := pl.index(jpath, sh)
	if err != nil {
		return err
	}
	if total := sh.Size(pl.m.Runs); j.done.n < total {
		return &MissingError{Dirs: []string{dir}, Missing: j.done.missing(maxSpans), Done: j.done.n, Total: total}
	}
	t, err := writeTables(dir, jpath, pl)
	if err != nil {
		return err
	}
	files := t.files
	var warnings []string
	if sh.Whole() && (pl.d.Kind == Sobol || pl.d.Kind == Morris) {
		var rows []SensitivityRow
		if err := writeAtomic(dir, SensitivityFile, func(w io.Writer) (err error) {
			rows, err = writeSensitivity(w, pl, t.outputs)
			return err
		}); err != nil {
			return err
		}
		files = append(files, SensitivityFile)
		warnings = SensitivityWarnings(pl.d, rows)
	}
	s := Summary{
		Format: Format, Scenario: pl.m.Scenario, ScenarioHash: pl.m.ScenarioHash, Program: pl.m.Program,
		Design: pl.m.Design, Shard: pl.m.Shard, Points: pl.m.Points, Runs: pl.m.Runs, Done: j.done.n,
		Outcomes: map[string]int{}, Files: files, MergedFrom: info.mergedFrom, Workers: info.workers,
		WallSeconds: time.Since(info.start).Seconds(), Finished: time.Now().UTC().Format(time.RFC3339),
		Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH, Provenance: info.provenance,
		Warnings: warnings,
	}
	for o, n := range t.counts {
		s.Outcomes[pl.m.Outcomes[o]] = n
	}
	return writeAtomic(dir, SummaryFile, func(w io.Writer) error {
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
}

// tables is what writeTables wrote: the files, the runs by outcome, and
// (for a whole sweep) every output at every design point, for the
// sensitivity indices.
type tables struct {
	files   []string
	counts  []int
	outputs *outputTable
}

// writeTables writes runs.csv and, for a whole sweep, points.csv from the
// journal at jpath, in run order, each through a temporary file renamed
// into place once complete.
func writeTables(dir, jpath string, pl *plan) (*tables, error) {
	sh := pl.m.shard()
	whole := sh.Whole()
	t := &tables{files: []string{RunsFile}, counts: make([]int, len(pl.m.Outcomes))}
	rw := &tmpOut{dir: dir, name: RunsFile}
	var pw *tmpOut
	if whole {
		pw = &tmpOut{dir: dir, name: PointsFile}
		t.files = append(t.files, PointsFile)
		t.outputs = newOutputTable(pl)
	}
	defer rw.abort()
	defer pw.abort()
	if err := rw.open(); err != nil {
		return nil, err
	}
	if err := writeHeader(rw.w, runsHeader(pl)); err != nil {
		return nil, err
	}
	if whole {
		if err := pw.open(); err != nil {
			return nil, err
		}
		if err := writeHeader(pw.w, pointsHeader(pl)); err != nil {
			return nil, err
		}
	}
	var prefix bytes.Buffer // the provenance cells of every runs.csv row
	if err := writeRow(&prefix, provenanceCells(pl)); err != nil {
		return nil, err
	}
	prefix.Truncate(prefix.Len() - 1)
	prefix.WriteByte(',')
	var (
		rec     record
		scratch []byte
		acc     = newPointAcc(pl)
		cells   []string
		err     error
	)
	err = pl.sortJournals(dir, []string{jpath}, func(i int, line []byte) error {
		if !sh.Has(i) {
			return nil // not this shard's: left out, as before
		}
		if scratch, err = pl.parseLine(line, &rec, scratch); err != nil || rec.index != i {
			return fmt.Errorf("sweep: %s changed while being read (run %d)", jpath, i)
		}
		rw.w.Write(prefix.Bytes())
		rw.w.Write(rec.row)
		rw.w.WriteByte('\n')
		t.counts[rec.outcome]++
		if !whole {
			return nil
		}
		acc.add(&rec)
		if rec.index%pl.reps == pl.reps-1 {
			cells = acc.row(append(cells[:0], provenanceCells(pl)...), rec.index/pl.reps, t.outputs)
			if err := writeRow(pw.w, cells); err != nil {
				return err
			}
			acc.reset()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := rw.commit(); err != nil {
		return nil, err
	}
	if whole {
		if err := pw.commit(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// tmpOut is an output file written under a temporary name and renamed
// into place by commit.
type tmpOut struct {
	dir, name string
	f         *os.File
	w         *bufio.Writer
}

func (t *tmpOut) open() error {
	f, err := os.CreateTemp(t.dir, tmpPrefix+t.name+"-*")
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	t.f, t.w = f, bufio.NewWriterSize(f, 1<<16)
	return nil
}

func (t *tmpOut) commit() error {
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("sweep: writing %s: %w", t.name, err)
	}
	if err := t.f.Chmod(0o644); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := t.f.Sync(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := os.Rename(t.f.Name(), filepath.Join(t.dir, t.name)); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	t.f = nil
	syncDir(t.dir)
	return nil
}

// abort removes an uncommitted file; it is a no-op after commit.
func (t *tmpOut) abort() {
	if t != nil && t.f != nil {
		t.f.Close()
		os.Remove(t.f.Name())
		t.f = nil
	}
}

func writeHeader(w io.Writer, cols []string) error { return writeRow(w, cols) }

// writeRow writes one CSV record (quoting as encoding/csv does).
func writeRow(w io.Writer, cells []string) error {
	cw := csv.NewWriter(w)
	cw.Write(cells)
	cw.Flush()
	return cw.Error()
}

// provenance are the first columns of runs.csv and points.csv, the same in
// every row: scenario, version (the Runner's Program) and scenario hash,
// as in the CSVs of a single run.
var provenance = []string{"scenario", "version", "scenario_hash"}

func provenanceCells(pl *plan) []string {
	return []string{pl.m.Scenario, pl.m.Program, pl.m.ScenarioHash}
}

func runsHeader(pl *plan) []string {
	h := append(append([]string(nil), provenance...), "run", "point")
	for _, p := range pl.d.Params {
		h = append(h, p.Key)
	}
	h = append(h, "seed", "replicate", "outcome", "converged")
	return append(h, pl.m.Metrics...)
}

func pointsHeader(pl *plan) []string {
	h := append(append([]string(nil), provenance...), "point")
	for _, p := range pl.d.Params {
		h = append(h, p.Key)
	}
	h = append(h, "seed", "runs")
	for _, o := range pl.m.Outcomes {
		h = append(h, o+"_share", o+"_lo", o+"_hi")
	}
	h = append(h, "converged_share", "converged_lo", "converged_hi", "converged_step_mean")
	for _, m := range pl.m.Metrics {
		h = append(h, m+"_mean", m+"_lo", m+"_hi")
	}
	return h
}

// pointAcc gathers the runs of one design point.
type pointAcc struct {
	pl     *plan
	counts []int
	conv   []float64
	n      int
	vals   [][]float64 // per metric, per replicate
}

func newPointAcc(pl *plan) *pointAcc {
	a := &pointAcc{pl: pl, counts: make([]int, len(pl.m.Outcomes)), vals: make([][]float64, len(pl.m.Metrics))}
	return a
}

func (a *pointAcc) reset() {
	clear(a.counts)
	a.conv = a.conv[:0]
	a.n = 0
	for m := range a.vals {
		a.vals[m] = a.vals[m][:0]
	}
}

func (a *pointAcc) add(r *record) {
	a.n++
	a.counts[r.outcome]++
	if r.converged >= 0 {
		a.conv = append(a.conv, float64(r.converged))
	}
	for m, x := range r.final {
		a.vals[m] = append(a.vals[m], x)
	}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// row appends point p's cells and records its outputs for sensitivity
// analysis: outcome shares with 95% Wilson intervals (Wilson 1927),
// metric means with 95% Student-t intervals.
func (a *pointAcc) row(cells []string, p int, out *outputTable) []string {
	pl := a.pl
	cells = append(cells, strconv.Itoa(p))
	for _, v := range pl.points[p] {
		cells = append(cells, ftoa(v))
	}
	cells = append(cells, strconv.FormatUint(pl.d.seed(p), 10), strconv.Itoa(a.n))
	col := 0
	for _, k := range a.counts {
		share, lo, hi := stats.Share(k, a.n)
		cells = append(cells, ftoa(share), ftoa(lo), ftoa(hi))
		out.y[col][p] = share
		col++
	}
	_, lo, hi := stats.Share(len(a.conv), a.n)
	cm := math.NaN()
	if len(a.conv) > 0 {
		cm = stat.Mean(a.conv, nil)
	}
	cells = append(cells, ftoa(float64(len(a.conv))/float64(a.n)), ftoa(lo), ftoa(hi), ftoa(cm))
	for i, x := range a.vals {
		v, _ := stats.Finite(x)
		mean, lo, hi := stats.Mean(v, metricSupport(pl.m.Metrics[i]))
		cells = append(cells, ftoa(mean), ftoa(lo), ftoa(hi))
		out.y[col][p] = mean
		col++
	}
	return cells
}

// metricSupport is the range of the metric a column of runs.csv holds.
func metricSupport(name string) stats.Support {
	switch name {
	case "final_restraint", "final_belief":
		return stats.Unit
	}
	if m, ok := sim.MetricByName(name); ok {
		return stats.MetricSupport(m)
	}
	return stats.Real
}

// outputTable holds, for every output (outcome share, then metric mean),
// its value at every design point: the responses whose sensitivity to the
// parameters sensitivity.csv reports.
type outputTable struct {
	names []string
	y     [][]float64
}

func newOutputTable(pl *plan) *outputTable {
	t := &outputTable{}
	for _, o := range pl.m.Outcomes {
		t.names = append(t.names, o+"_share")
	}
	for _, m := range pl.m.Metrics {
		t.names = append(t.names, m+"_mean")
	}
	t.y = make([][]float64, len(t.names))
	for i := range t.y {
		t.y[i] = make([]float64, pl.m.Points)
	}
	return t
}

// writeSensitivity writes one row per output, parameter and statistic:
// the provenance, the design's seed (which seeds the bootstrap), output,
// parameter, statistic, value, lo, hi (a bootstrap percentile interval,
// 95%; empty cells where the output does not vary). It returns the rows.
func writeSensitivity(w io.Writer, pl *plan, out *outputTable) ([]SensitivityRow, error) {
	var rows []SensitivityRow
	put := func(o, p, s string, iv Interval) {
		rows = append(rows, SensitivityRow{Output: o, Param: p, Stat: s, Interval: iv})
	}
	for o, name := range out.names {
		switch pl.d.Kind {
		case Sobol:
			idx, err := pl.d.SobolIndices(out.y[o])
			if err != nil {
				return nil, err
			}
			for _, s := range idx {
				put(name, s.Param, "S1", s.S1)
				put(name, s.Param, "ST", s.ST)
			}
		case Morris:
			eff, err := pl.d.MorrisEffects(out.y[o])
			if err != nil {
				return nil, err
			}
			for _, e := range eff {
				put(name, e.Param, "mu_star", e.MuStar)
				put(name, e.Param, "mu", e.Mu)
				put(name, e.Param, "sigma", e.Sigma)
			}
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(sensitivityHeader)
	prov := append(provenanceCells(pl), strconv.FormatUint(pl.d.Seed, 10))
	cell := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return ftoa(x)
	}
	for _, r := range rows {
		cw.Write(append(slices.Clone(prov), r.Output, r.Param, r.Stat, cell(r.Value), cell(r.Lo), cell(r.Hi)))
	}
	cw.Flush()
	return rows, cw.Error()
}
