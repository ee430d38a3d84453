package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Span is the run indices First, First+Step, ..., Last.
type Span struct {
	First, Last, Step int
}

// Len returns the number of runs in s.
func (s Span) Len() int { return (s.Last-s.First)/max(1, s.Step) + 1 }

// String writes s as "7", "3-9", "4,10" or, with a step, "0-30:3" (the
// notation of Slurm's --array).
func (s Span) String() string {
	switch {
	case s.First == s.Last:
		return strconv.Itoa(s.First)
	case s.Step <= 1:
		return fmt.Sprintf("%d-%d", s.First, s.Last)
	case s.Len() == 2:
		return fmt.Sprintf("%d,%d", s.First, s.Last)
	}
	return fmt.Sprintf("%d-%d:%d", s.First, s.Last, s.Step)
}

// FormatSpans joins spans with commas; at most max spans are shown
// (max <= 0: all), followed by "..." when there are more.
func FormatSpans(ss []Span, max int) string {
	var b strings.Builder
	for i, s := range ss {
		if max > 0 && i == max {
			b.WriteString(",...")
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// addSpan adds run index i (greater than any added before) to ss.
func addSpan(ss []Span, i int) []Span {
	if n := len(ss); n > 0 {
		l := &ss[n-1]
		switch {
		case l.First == l.Last:
			l.Step, l.Last = i-l.Last, i
			return ss
		case i-l.Last == l.Step:
			l.Last = i
			return ss
		}
	}
	return append(ss, Span{First: i, Last: i, Step: 1})
}

func countSpans(ss []Span) int {
	n := 0
	for _, s := range ss {
		n += s.Len()
	}
	return n
}

// MissingError reports runs that a merge or a sweep directory lacks.
type MissingError struct {
	Dirs    []string
	Missing []Span
	Done    int // runs present
	Total   int // runs expected
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("sweep: %d of %d runs missing from %s (runs %s); run the missing shards, or resume in the output directory",
		e.Total-e.Done, e.Total, strings.Join(e.Dirs, ", "), FormatSpans(e.Missing, 20))
}

// readManifests reads the manifests of dirs and checks that they describe
// the same sweep.
func readManifests(dirs []string) ([]*Manifest, error) {
	if len(dirs) == 0 {
		return nil, errors.New("sweep: no directories given")
	}
	ms := make([]*Manifest, len(dirs))
	for i, d := range dirs {
		m, err := ReadManifest(d)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("sweep: %s holds no sweep (no %s)", d, ManifestFile)
		}
		if err != nil {
			return nil, err
		}
		if i > 0 {
			if diff := ms[0].Diff(m); diff != "" {
				return nil, fmt.Errorf("sweep: %s and %s hold different sweeps: %s", dirs[0], d, diff)
			}
		}
		ms[i] = m
	}
	return ms, nil
}

// wholePlan returns the plan of the whole sweep that m is part of.
func wholePlan(m *Manifest) (*plan, error) {
	w := *m
	w.Shard = nil
	return newPlan(&w)
}

// Merge combines the sweep directories dirs (shards, partial or complete
// sweeps, in any order) into out, whose outputs are then byte for byte
// those of the same sweep run on one machine. The directories must hold
// the same sweep (equal manifests but for the shard). A run recorded in
// more than one directory must have the same result in each.
//
// When runs are missing, Merge writes out's manifest and the union of the
// journals, so that resuming the sweep in out runs only the missing runs,
// and returns a *MissingError. A directory out that holds a sweep is
// refused unless force; out may not be one of dirs.
func Merge(dirs []string, out string, force bool) error {
	start := time.Now()
	ms, err := readManifests(dirs)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if sameDir(d, out) {
			return fmt.Errorf("sweep: cannot merge %s into itself; choose another output directory", d)
		}
	}
	pl, err := wholePlan(ms[0])
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	unlock, err := lockDir(out)
	if err != nil {
		return err
	}
	defer unlock()
	removeTemps(out)
	_, merr := ReadManifest(out)
	_, jerr := os.Stat(filepath.Join(out, JournalFile))
	if (!errors.Is(merr, fs.ErrNotExist) || jerr == nil) && !force {
		return fmt.Errorf("sweep: %s already holds a sweep; choose another directory or --force", out)
	}
	if err := clearDir(out); err != nil {
		return err
	}
	if err := writeManifest(out, pl.m); err != nil {
		return err
	}

	tmp := &tmpOut{dir: out, name: JournalFile}
	defer tmp.abort()
	if err := tmp.open(); err != nil {
		return err
	}
	j := newJournal(pl.m.Runs)
	var off int64
	for _, d := range dirs {
		path := filepath.Join(d, JournalFile)
		_, _, err := pl.scan(path, func(rec *record, line []byte, _ int64) error {
			i := rec.index
			if !j.has(i) {
				tmp.w.Write(line)
				j.off[i], j.n[i] = off, int32(len(line))
				off += int64(len(line))
				j.done++
				return nil
			}
			if err := tmp.w.Flush(); err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
			prev := make([]byte, j.n[i])
			if _, err := tmp.f.ReadAt(prev, j.off[i]); err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
			if !bytes.Equal(prev, line) {
				return fmt.Errorf("sweep: run %d has different results in %s and another directory; refusing to merge", i, path)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := tmp.commit(); err != nil {
		return err
	}
	if miss := j.missing(Shard{}); len(miss) > 0 {
		return &MissingError{Dirs: dirs, Missing: miss, Done: j.done, Total: pl.m.Runs}
	}
	return finishDir(out, pl, summaryInfo{start: start, mergedFrom: dirs})
}

// sameDir reports whether a and b name the same existing directory.
func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 != nil || err2 != nil {
		aa, _ := filepath.Abs(a)
		bb, _ := filepath.Abs(b)
		return aa == bb
	}
	return os.SameFile(fa, fb)
}

// DirStatus is the state of one sweep directory.
type DirStatus struct {
	Dir   string
	Shard Shard
	// Done and Total count the runs of the directory's shard; Missing
	// lists those not recorded.
	Done, Total int
	Missing     []Span
	// Torn reports an incomplete last journal line (an interrupted write,
	// dropped on resume).
	Torn bool
	// Finished reports that the outputs (runs.csv and the rest) exist.
	Finished bool
}

// StatusReport is the state of a sweep spread over directories.
type StatusReport struct {
	Manifest *Manifest // of the first directory
	Dirs     []DirStatus
	// Done counts the runs of the whole sweep recorded in any directory,
	// out of Manifest.Runs; Missing lists the others.
	Done    int
	Missing []Span
}

// Status reads the sweep directories dirs, which must hold the same sweep
// (shards or not), and reports which runs are done and which are missing,
// for each directory and for the whole sweep. It only reads: it can watch
// a sweep that is running.
func Status(dirs []string) (*StatusReport, error) {
	ms, err := readManifests(dirs)
	if err != nil {
		return nil, err
	}
	pl, err := wholePlan(ms[0])
	if err != nil {
		return nil, err
	}
	rep := &StatusReport{Manifest: ms[0]}
	have := make([]bool, pl.m.Runs)
	for i, d := range dirs {
		j, err := pl.index(filepath.Join(d, JournalFile))
		if err != nil {
			return nil, err
		}
		sh := ms[i].shard()
		_, ferr := os.Stat(filepath.Join(d, RunsFile))
		rep.Dirs = append(rep.Dirs, DirStatus{
			Dir: d, Shard: sh, Done: j.done, Total: sh.Size(pl.m.Runs),
			Missing: j.missing(sh), Torn: j.torn, Finished: ferr == nil && j.done == sh.Size(pl.m.Runs),
		})
		for r := range have {
			if j.has(r) {
				have[r] = true
			}
		}
	}
	for r, ok := range have {
		if ok {
			rep.Done++
		} else {
			rep.Missing = addSpan(rep.Missing, r)
		}
	}
	return rep, nil
}

// String describes the report in a few lines, for people.
func (r *StatusReport) String() string {
	var b strings.Builder
	m := r.Manifest
	fmt.Fprintf(&b, "sweep of %s (%s design, %d points x %d replicates = %d runs)\n",
		m.Scenario, m.Design.Kind, m.Points, m.Design.Replicates, m.Runs)
	for _, d := range r.Dirs {
		fmt.Fprintf(&b, "%s (shard %s): %d of %d runs done", d.Dir, d.Shard, d.Done, d.Total)
		switch {
		case d.Finished:
			b.WriteString(", finished")
		case len(d.Missing) > 0:
			fmt.Fprintf(&b, "; missing %s", FormatSpans(d.Missing, 20))
		default:
			b.WriteString(", outputs not written yet")
		}
		if d.Torn {
			b.WriteString(" (an interrupted last line will be dropped on resume)")
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "all: %d of %d runs done", r.Done, m.Runs)
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "; missing %s", FormatSpans(r.Missing, 20))
	} else {
		b.WriteString(", complete")
	}
	b.WriteByte('\n')
	return b.String()
}
