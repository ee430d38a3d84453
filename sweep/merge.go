package sweep

import (
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
		case l.Len() == 2 && i-l.Last < l.Step:
			// A pair whose second member starts a tighter run: 13, 15, 16
			// reads "13,15-16", not "13,15" then "16".
			first, last := l.First, l.Last
			*l = Span{First: first, Last: first, Step: 1}
			return append(ss, Span{First: last, Last: i, Step: i - last})
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

	// The union of the journals, sorted by run, each run once: a run
	// recorded in two directories must have the same result in both.
	tmp := &tmpOut{dir: out, name: JournalFile}
	defer tmp.abort()
	if err := tmp.open(); err != nil {
		return err
	}
	var paths []string
	for _, d := range dirs {
		paths = append(paths, filepath.Join(d, JournalFile))
	}
	done := newDoneSet(Shard{}, pl.m.Runs)
	err = pl.sortJournals(out, paths, func(i int, line []byte) error {
		done.add(i)
		_, err := tmp.w.Write(line)
		return err
	})
	if err != nil {
		return fmt.Errorf("%w; refusing to merge %s", err, strings.Join(dirs, ", "))
	}
	if err := tmp.commit(); err != nil {
		return err
	}
	if done.n < pl.m.Runs {
		return &MissingError{Dirs: dirs, Missing: done.missing(maxSpans), Done: done.n, Total: pl.m.Runs}
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
	// Finished reports that the outputs exist (summary.json, written
	// last), and every run is done.
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
	sets := make([]*doneSet, len(dirs))
	for i, d := range dirs {
		sh := ms[i].shard()
		j, err := pl.index(filepath.Join(d, JournalFile), sh)
		if err != nil {
			return nil, err
		}
		sets[i] = j.done
		_, ferr := os.Stat(filepath.Join(d, SummaryFile))
		total := sh.Size(pl.m.Runs)
		rep.Dirs = append(rep.Dirs, DirStatus{
			Dir: d, Shard: sh, Done: j.done.n, Total: total,
			Missing: j.done.missing(maxSpans), Torn: j.torn, Finished: ferr == nil && j.done.n == total,
		})
	}
	rep.Done, rep.Missing = union(sets, pl.m.Runs)
	return rep, nil
}

// union returns the number of runs 0..runs-1 that any of sets records,
// and the others as spans (at most maxSpans). It goes block by block: a
// block that one whole-sweep set records entirely, or that shards of one
// count record entirely between them, is counted at once, so that the
// usual cases (one directory, the shards of a sweep) cost little however
// many runs there are.
func union(sets []*doneSet, runs int) (done int, missing []Span) {
	for b := 0; b < runs; b += blockSize {
		e := min(b+blockSize, runs)
		if covered(sets, b, e) {
			done += e - b
			continue
		}
		for i := b; i < e; i++ {
			have := false
			for _, s := range sets {
				if s.has(i) {
					have = true
					break
				}
			}
			if have {
				done++
			} else if len(missing) <= maxSpans {
				missing = addSpan(missing, i)
			}
		}
	}
	if len(missing) > maxSpans {
		missing = missing[:maxSpans]
	}
	return done, missing
}

// covered reports, cheaply and conservatively, whether sets record every
// run b..e-1 between them: one whole-sweep set does, or for some count n,
// every residue modulo n has a shard set that does.
func covered(sets []*doneSet, b, e int) bool {
	byCount := map[int]map[int]bool{} // count -> residues covered
	for _, s := range sets {
		if s.sh.Whole() {
			if s.allDone(b, e-1) {
				return true
			}
			continue
		}
		n, r := s.sh.Count, s.sh.Index
		first := b + ((r-b)%n+n)%n // the first run of the shard >= b
		if first > e-1 || s.allDone(first, e-1) {
			if byCount[n] == nil {
				byCount[n] = map[int]bool{}
			}
			byCount[n][r] = true
			if len(byCount[n]) == n {
				return true
			}
		}
	}
	return false
}

// Complete reports whether every run is done and every directory's
// outputs are written.
func (r *StatusReport) Complete() bool {
	for _, d := range r.Dirs {
		if !d.Finished {
			return false
		}
	}
	return len(r.Missing) == 0 && r.Done == r.Manifest.Runs
}

// String describes the report in a few lines, for people.
func (r *StatusReport) String() string {
	var b strings.Builder
	m := r.Manifest
	fmt.Fprintf(&b, "sweep of %s (%s design, %s x %s = %s)\n",
		m.Scenario, m.Design.Kind, plural(m.Points, "point", "points"), plural(m.Design.Replicates, "replicate", "replicates"), plural(m.Runs, "run", "runs"))
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
	switch {
	case len(r.Missing) > 0:
		fmt.Fprintf(&b, "; missing %s", FormatSpans(r.Missing, 20))
	case r.Complete():
		b.WriteString(", complete")
	default:
		b.WriteString("; the outputs are not written yet (the sweep is finishing, or was stopped after its last run: resume it)")
	}
	b.WriteByte('\n')
	return b.String()
}
