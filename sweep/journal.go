package sweep

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/normsim/normsim/sim"
)

// The files of a sweep directory.
const (
	ManifestFile    = "sweep.json"      // what the sweep is: written first, atomically
	JournalFile     = ".journal"        // one line per finished run, append-only (hidden: it is the sweep's working file, not an output)
	RunsFile        = "runs.csv"        // one row per run, by run index
	PointsFile      = "points.csv"      // one row per design point
	SensitivityFile = "sensitivity.csv" // Sobol' or Morris indices
	SummaryFile     = "summary.json"    // provenance, counts, wall time
	tmpPrefix       = ".tmp-"
)

// Format identifies the layout of sweep directories; a directory written
// under another format is refused.
const Format = "normsim-sweep/2" // 2: the journal is .journal (was runs.part)

// DefaultOutcomes are the outcome names of the normsim engine, in the
// order of the outcome columns of points.csv.
var DefaultOutcomes = sim.OutcomeNames()

// Manifest describes a sweep directory: the experiment (scenario, design,
// program) and the columns its runs record. Two directories hold parts of
// the same sweep exactly when their manifests are equal apart from Shard.
type Manifest struct {
	Format string `json:"format"`
	// Scenario is the scenario's name, ScenarioHash the hash of the
	// resolved scenario, Program the program and version that ran it.
	Scenario     string   `json:"scenario"`
	ScenarioHash string   `json:"scenario_hash"`
	Program      string   `json:"program"`
	Design       Design   `json:"design"`
	Metrics      []string `json:"metrics"`
	Outcomes     []string `json:"outcomes"`
	Points       int      `json:"points"`
	Runs         int      `json:"runs"`
	// Shard is the slice of runs this directory is for; nil for the whole
	// sweep.
	Shard *Shard `json:"shard,omitempty"`
}

// ReadSummary reads the summary.json of a finished sweep directory (one
// whose outputs are written: it is written last).
func ReadSummary(dir string) (Summary, error) {
	var s Summary
	b, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	return s, err
}

// ReadManifest reads dir's manifest; the error wraps fs.ErrNotExist when
// dir holds none.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("sweep: %s: %v", filepath.Join(dir, ManifestFile), err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("sweep: %s: format %q, want %q", filepath.Join(dir, ManifestFile), m.Format, Format)
	}
	return &m, nil
}

// shard returns the manifest's shard (the zero Shard for the whole sweep).
func (m *Manifest) shard() Shard {
	if m.Shard == nil {
		return Shard{}
	}
	return *m.Shard
}

// Diff returns the first difference between m and o that makes them
// different sweeps (Shard is ignored), or "" when they are the same sweep.
func (m *Manifest) Diff(o *Manifest) string {
	switch {
	case m.Format != o.Format:
		return fmt.Sprintf("format %q vs %q", m.Format, o.Format)
	case m.Scenario != o.Scenario:
		return fmt.Sprintf("scenario %q vs %q", m.Scenario, o.Scenario)
	case m.ScenarioHash != o.ScenarioHash:
		return fmt.Sprintf("scenario hash %s vs %s (the scenario changed)", m.ScenarioHash, o.ScenarioHash)
	case m.Program != o.Program:
		return fmt.Sprintf("program %q vs %q", m.Program, o.Program)
	case !reflect.DeepEqual(m.Design.Normalize(), o.Design.Normalize()):
		a, _ := json.Marshal(m.Design.Normalize())
		b, _ := json.Marshal(o.Design.Normalize())
		return fmt.Sprintf("design %s vs %s", a, b)
	case !slices.Equal(m.Metrics, o.Metrics):
		return fmt.Sprintf("metrics %q vs %q", m.Metrics, o.Metrics)
	case !slices.Equal(m.Outcomes, o.Outcomes):
		return fmt.Sprintf("outcomes %q vs %q", m.Outcomes, o.Outcomes)
	case m.Points != o.Points || m.Runs != o.Runs:
		return fmt.Sprintf("%d points, %d runs vs %d points, %d runs", m.Points, m.Runs, o.Points, o.Runs)
	}
	return ""
}

// writeManifest writes m to dir atomically.
func writeManifest(dir string, m *Manifest) error {
	return writeAtomic(dir, ManifestFile, func(w io.Writer) error {
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
}

// writeAtomic writes dir/name through a temporary file in dir that is
// synced and renamed over name, so that name is either the old file or the
// complete new one, whatever happens.
func writeAtomic(dir, name string, fill func(w io.Writer) error) (err error) {
	f, err := os.CreateTemp(dir, tmpPrefix+name+"-*")
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fill(bw); err != nil {
		return fmt.Errorf("sweep: writing %s: %w", filepath.Join(dir, name), err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeTemps removes the temporary files that an interrupted write left
// in dir (called under its lock): the sweep's own (.tmp-*), and those of
// the results and plots packages (.NAME.tmp*, .NAME.*.tmp) that the
// command writes there (scenario.toml, the charts).
func removeTemps(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, tmpPrefix) || strings.HasPrefix(n, ".") && (strings.Contains(n, ".tmp") || strings.HasSuffix(n, ".tmp")) && !e.IsDir() {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

// plan is a manifest with its design expanded: what every run is and how
// its journal line must begin.
type plan struct {
	m       *Manifest
	d       Design // normalized
	points  [][]float64
	reps    int
	outcome map[string]int
}

func newPlan(m *Manifest) (*plan, error) {
	d := m.Design.Normalize()
	pts, err := d.Points()
	if err != nil {
		return nil, err
	}
	if len(pts) != m.Points || len(pts)*d.Replicates != m.Runs {
		return nil, fmt.Errorf("sweep: manifest says %d points and %d runs, the design has %d and %d", m.Points, m.Runs, len(pts), len(pts)*d.Replicates)
	}
	pl := &plan{m: m, d: d, points: pts, reps: d.Replicates, outcome: map[string]int{}}
	for i, o := range m.Outcomes {
		pl.outcome[o] = i
	}
	return pl, nil
}

// run returns run i.
func (pl *plan) run(i int) Run {
	p := i / pl.reps
	return Run{Index: i, Point: p, Replicate: i % pl.reps, Values: pl.points[p], Seed: pl.d.seed(p)}
}

// appendFloat appends x in the shortest form that reads back exactly.
func appendFloat(b []byte, x float64) []byte { return strconv.AppendFloat(b, x, 'g', -1, 64) }

// appendPrefix appends the columns of run i that the design fixes: run,
// point, parameter values, seed, replicate, each followed by a comma.
func (pl *plan) appendPrefix(b []byte, i int) []byte {
	r := pl.run(i)
	b = strconv.AppendInt(b, int64(r.Index), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Point), 10)
	b = append(b, ',')
	for _, v := range r.Values {
		b = appendFloat(b, v)
		b = append(b, ',')
	}
	b = strconv.AppendUint(b, r.Seed, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Replicate), 10)
	return append(b, ',')
}

// appendLine appends the journal line of run i with result res: the
// runs.csv row, a comma, the CRC-32 (IEEE) of the row in 8 hex digits, and
// a newline.
func (pl *plan) appendLine(b []byte, i int, res Result) ([]byte, error) {
	if _, ok := pl.outcome[res.Outcome]; !ok {
		return b, fmt.Errorf("sweep: run %d: outcome %q, want one of %q", i, res.Outcome, pl.m.Outcomes)
	}
	if len(res.Final) != len(pl.m.Metrics) {
		return b, fmt.Errorf("sweep: run %d: %d final metrics, want %d (%q)", i, len(res.Final), len(pl.m.Metrics), pl.m.Metrics)
	}
	start := len(b)
	b = pl.appendPrefix(b, i)
	b = append(b, res.Outcome...)
	b = append(b, ',')
	if res.Converged >= 0 { // empty when expectations never converged, as in replicates.csv
		b = strconv.AppendInt(b, int64(res.Converged), 10)
	}
	for _, x := range res.Final {
		b = append(b, ',')
		b = appendFloat(b, x)
	}
	sum := crc32.ChecksumIEEE(b[start:])
	b = append(b, ',')
	b = fmt.Appendf(b, "%08x", sum)
	return append(b, '\n'), nil
}

// record is a parsed journal line.
type record struct {
	index     int
	row       []byte // the runs.csv row, without newline
	outcome   int
	converged int
	final     []float64
}

// parseLine checks a journal line (with its newline) against the plan and
// parses it into rec, reusing rec.final.
func (pl *plan) parseLine(line []byte, rec *record, scratch []byte) ([]byte, error) {
	if len(line) == 0 || line[len(line)-1] != '\n' {
		return scratch, errors.New("incomplete line")
	}
	body := line[:len(line)-1]
	c := bytes.LastIndexByte(body, ',')
	if c < 0 || len(body)-c-1 != 8 {
		return scratch, errors.New("no checksum")
	}
	sum, err := strconv.ParseUint(string(body[c+1:]), 16, 32)
	if err != nil || uint32(sum) != crc32.ChecksumIEEE(body[:c]) {
		return scratch, errors.New("bad checksum")
	}
	row := body[:c]
	c = bytes.IndexByte(row, ',')
	if c < 0 {
		return scratch, errors.New("no run index")
	}
	idx, err := strconv.Atoi(string(row[:c]))
	if err != nil || idx < 0 || idx >= pl.m.Runs {
		return scratch, fmt.Errorf("run index %q out of range [0, %d)", row[:c], pl.m.Runs)
	}
	scratch = pl.appendPrefix(scratch[:0], idx)
	if !bytes.HasPrefix(row, scratch) {
		return scratch, fmt.Errorf("run %d does not match the design (want it to begin %q)", idx, scratch)
	}
	rest := row[len(scratch):]
	c = bytes.IndexByte(rest, ',')
	if c < 0 {
		return scratch, fmt.Errorf("run %d: too few columns", idx)
	}
	o, ok := pl.outcome[string(rest[:c])]
	if !ok {
		return scratch, fmt.Errorf("run %d: unknown outcome %q", idx, rest[:c])
	}
	rest = rest[c+1:]
	c = bytes.IndexByte(rest, ',')
	if c < 0 {
		c = len(rest)
	}
	conv := -1
	if c > 0 {
		var err error
		if conv, err = strconv.Atoi(string(rest[:c])); err != nil || conv < 0 {
			return scratch, fmt.Errorf("run %d: convergence step %q", idx, rest[:c])
		}
	}
	rec.final = rec.final[:0]
	for c < len(rest) {
		rest = rest[c+1:]
		c = bytes.IndexByte(rest, ',')
		if c < 0 {
			c = len(rest)
		}
		x, err := strconv.ParseFloat(string(rest[:c]), 64)
		if err != nil {
			return scratch, fmt.Errorf("run %d: metric %q", idx, rest[:c])
		}
		rec.final = append(rec.final, x)
	}
	if len(rec.final) != len(pl.m.Metrics) {
		return scratch, fmt.Errorf("run %d: %d metrics, want %d", idx, len(rec.final), len(pl.m.Metrics))
	}
	rec.index, rec.row, rec.outcome, rec.converged = idx, row, o, conv
	return scratch, nil
}

// journal is what a journal file records: the runs of a shard that are
// done (see doneSet: its memory does not grow with the runs), and where
// its valid part ends.
type journal struct {
	done *doneSet
	end  int64 // end of the last valid line
	torn bool  // an incomplete or invalid last line follows end
}

// maxSpans bounds the spans of missing runs that a report keeps: enough
// to show, and the count is known besides.
const maxSpans = 1000

// scan reads the journal at path and calls add for every valid line, in
// file order, with its offset; a line that does not parse is allowed only
// as the last line of the file (an interrupted write), where it sets torn.
// A missing file is an empty journal.
func (pl *plan) scan(path string, add func(rec *record, line []byte, off int64) error) (end int64, torn bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var (
		off     int64
		rec     record
		scratch []byte
		lineNo  int
	)
	for {
		line, rerr := br.ReadBytes('\n')
		if len(line) == 0 && rerr == io.EOF {
			return off, false, nil
		}
		if rerr != nil && rerr != io.EOF {
			return off, false, fmt.Errorf("sweep: %w", rerr)
		}
		lineNo++
		var perr error
		scratch, perr = pl.parseLine(line, &rec, scratch)
		if perr != nil {
			if _, err := br.Peek(1); err == io.EOF {
				return off, true, nil // a torn last line: ignored
			}
			return off, false, fmt.Errorf("sweep: %s line %d: %v: the journal is damaged; delete that line (sed -i '%dd' %s) and resume to run that run again, or start over with --force",
				path, lineNo, perr, lineNo, path)
		}
		if err := add(&rec, line, off); err != nil {
			return off, false, err
		}
		off += int64(len(line))
	}
}

// index reads the journal at path into the set of the runs of shard sh
// it records (lines of other runs are checked, and left to the caller).
// A run recorded twice is checked when the journal is sorted.
func (pl *plan) index(path string, sh Shard) (*journal, error) {
	j := &journal{done: newDoneSet(sh, pl.m.Runs)}
	end, torn, err := pl.scan(path, func(rec *record, _ []byte, _ int64) error {
		j.done.add(rec.index)
		return nil
	})
	if err != nil {
		return nil, err
	}
	j.end, j.torn = end, torn
	return j, nil
}
