package sweep

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/normsim/normsim/sim"
)

// Result is what one run produced: its outcome (one of the runner's
// Outcomes), the step at which expectations converged (-1 if never), and
// the final value of every metric, in the order of the runner's Metrics.
type Result struct {
	Outcome   string
	Converged int
	Final     []float64
}

// Runner executes a sweep into a directory, crash-safely: every finished
// run is appended at once to the journal, so an interrupted sweep
// (Ctrl-C, SIGTERM, kill -9, a lost node) resumes with only the missing
// runs and ends with the same bytes as an uninterrupted one.
type Runner struct {
	// Dir is the output directory, created if needed.
	Dir string
	// Workers is the number of runs executed at once; <= 0 means
	// runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
	// Shard selects the runs this runner executes; the zero value runs all.
	Shard Shard
	// Scenario, ScenarioHash and Program identify the experiment in the
	// manifest; a directory is resumed or merged only with the same ones.
	// Program should change whenever the engine's results may change.
	Scenario, ScenarioHash, Program string
	// Metrics names the final metrics that Do returns, in order (columns
	// of runs.csv); Outcomes the possible outcomes (nil: DefaultOutcomes).
	Metrics  []string
	Outcomes []string
	// Do executes one run. It must be a deterministic function of the Run
	// (its Values, Seed and Replicate) and safe for concurrent use. It
	// returns an error, and no Result, when the run did not finish, for
	// example ctx.Err() when ctx is cancelled: such a run is not recorded.
	Do func(ctx context.Context, r Run) (Result, error)
	// Progress, if not nil, is called after every recorded run with the
	// number of runs of the shard done (including runs done before a
	// resume) and their total; calls are serialized.
	Progress func(done, total int)
	// Force lets Execute start over in a directory that already holds a
	// sweep, deleting its files.
	Force bool
	// Sync makes every journal line durable (fsync) before the next run is
	// counted. Without it a run survives the death of the process (the
	// line is in the system's cache once written) but not necessarily a
	// power cut or kernel crash; with it, each run costs a disk flush.
	Sync bool
	// Provenance adds entries to summary.json (never to the CSV files).
	Provenance map[string]string
}

// Manifest returns the manifest that Execute writes for design d.
func (rn *Runner) Manifest(d Design) (*Manifest, error) {
	d = d.Normalize()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := rn.Shard.Validate(); err != nil {
		return nil, err
	}
	outcomes := rn.Outcomes
	if outcomes == nil {
		outcomes = DefaultOutcomes
	}
	if err := checkNames("metric", rn.Metrics, false); err != nil {
		return nil, err
	}
	if err := checkNames("outcome", outcomes, true); err != nil {
		return nil, err
	}
	pts, runs, err := d.Count()
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		Format: Format, Scenario: rn.Scenario, ScenarioHash: rn.ScenarioHash, Program: rn.Program,
		Design: d, Metrics: append([]string{}, rn.Metrics...), Outcomes: append([]string{}, outcomes...),
		Points: pts, Runs: runs,
	}
	if s := rn.Shard.norm(); !s.Whole() {
		m.Shard = &s
	}
	return m, nil
}

// checkNames checks that names are unique, non-empty and, for values that
// go into CSV rows (outcomes), free of separators.
func checkNames(what string, names []string, value bool) error {
	if value && len(names) == 0 {
		return fmt.Errorf("sweep: no %ss", what)
	}
	seen := map[string]bool{}
	for _, n := range names {
		bad := "\n\r"
		if value {
			bad = ",\"\n\r"
		}
		if n == "" || strings.ContainsAny(n, bad) || seen[n] {
			return fmt.Errorf("sweep: %s name %q is empty, repeated or contains %q", what, n, bad)
		}
		seen[n] = true
	}
	return nil
}

// Execute runs design d's runs of the runner's shard that Dir does not
// hold yet, then writes the outputs. Without resume, a Dir that already
// holds a sweep is refused (unless Force); with resume, Dir's manifest
// must equal this sweep's, and an empty or new Dir simply starts.
//
// When ctx is cancelled, Execute stops starting runs, waits for the
// running ones (Do should return ctx.Err() promptly) and returns an error
// that wraps ctx.Err(); everything recorded so far stays, for a resume.
//
// When every run of the shard is recorded, Execute writes runs.csv (the
// shard's runs, ordered by run index), and, for the whole sweep, points.csv
// and sensitivity.csv (sobol and morris), each atomically; then
// summary.json. Their bytes depend only on the manifest and the runs'
// results: not on workers, completion order, interruptions or shards.
func (rn *Runner) Execute(ctx context.Context, d Design, resume bool) error {
	start := time.Now()
	if rn.Do == nil {
		return errors.New("sweep: Runner.Do is nil")
	}
	m, err := rn.Manifest(d)
	if err != nil {
		return err
	}
	pl, err := newPlan(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(rn.Dir, 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	unlock, err := lockDir(rn.Dir)
	if err != nil {
		return err
	}
	defer unlock()
	removeTemps(rn.Dir)
	jpath := filepath.Join(rn.Dir, JournalFile)

	if err := rn.claimDir(m, pl, jpath, resume); err != nil {
		return err
	}
	j, err := pl.index(jpath, m.shard())
	if err != nil {
		return err
	}
	if j.torn {
		// Drop the incomplete line an interrupted write left, so that new
		// lines start on a line of their own.
		if err := os.Truncate(jpath, j.end); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	total := m.shard().Size(m.Runs)
	doneBefore := j.done.n
	workers := rn.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, total-doneBefore))
	if doneBefore < total {
		if err := rn.execute(ctx, pl, jpath, j.done, workers, doneBefore, total); err != nil {
			return err
		}
	} else if err := touch(jpath); err != nil {
		// An empty shard (more shards than runs) has nothing to run and
		// still ends with a journal, empty, and its outputs.
		return err
	}
	j = nil // the journal is re-read for the outputs
	return finishDir(rn.Dir, pl, summaryInfo{
		workers: workers, start: start, provenance: rn.Provenance,
	})
}

// claimDir decides what Execute may do with a Dir that holds a sweep
// already: clear it (Force), continue it (resume, with the same manifest
// and shard) or refuse; a fresh Dir gets the manifest m.
func (rn *Runner) claimDir(m *Manifest, pl *plan, jpath string, resume bool) error {
	old, err := ReadManifest(rn.Dir)
	fresh := false
	switch {
	case rn.Force:
		if err := clearDir(rn.Dir); err != nil {
			return err
		}
		fresh = true
	case errors.Is(err, fs.ErrNotExist):
		if _, err := os.Stat(jpath); err == nil {
			return fmt.Errorf("sweep: %s holds a journal but no manifest; refusing to touch it (start over with --force)", rn.Dir)
		}
		fresh = true
	case err != nil:
		return err
	case !resume:
		state := "an unfinished"
		if old.Diff(m) == "" && old.shard() == m.shard() {
			if j, err := pl.index(jpath, m.shard()); err == nil && j.done.n >= m.shard().Size(m.Runs) {
				state = "a completed"
			}
		}
		return fmt.Errorf("sweep: %s holds %s sweep; continue it (--resume) or start over (--force)", rn.Dir, state)
	default:
		if diff := old.Diff(m); diff != "" {
			return fmt.Errorf("sweep: cannot resume %s: it holds another sweep (%s)", rn.Dir, diff)
		}
		if old.shard() != m.shard() {
			return fmt.Errorf("sweep: cannot resume %s: it holds shard %v, not %v", rn.Dir, old.shard(), m.shard())
		}
	}
	if fresh {
		return writeManifest(rn.Dir, m)
	}
	return nil
}

// execute runs the runs of the shard that are not done, in order, with
// workers goroutines, appending each result to the journal as one write.
func (rn *Runner) execute(ctx context.Context, pl *plan, jpath string, have *doneSet, workers, done, total int) error {
	f, err := os.OpenFile(jpath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	if rn.Progress != nil {
		rn.Progress(done, total)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	j := &journalWriter{rn: rn, f: f, cancel: cancel, done: done, total: total}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.work(ctx, pl, jobs)
		}()
	}
	have.eachMissing(func(i int) bool {
		select {
		case jobs <- i:
			return true
		case <-ctx.Done():
			return false
		}
	})
	close(jobs)
	wg.Wait()
	if err := f.Close(); err != nil && j.firstErr == nil {
		j.firstErr = fmt.Errorf("sweep: %w", err)
	}
	if j.firstErr != nil {
		return j.firstErr
	}
	if j.done < total {
		err := context.Cause(ctx)
		if err == nil {
			err = context.Canceled
		}
		return fmt.Errorf("sweep: interrupted with %d of %d runs done; resume to finish: %w", j.done, total, err)
	}
	return nil
}

// journalWriter is what execute's workers share: the journal, in which
// each finished run is one write under mu, the count of runs done, and
// the first error, which cancels the others.
type journalWriter struct {
	rn     *Runner
	f      *os.File
	cancel context.CancelFunc

	mu          sync.Mutex
	done, total int
	firstErr    error
}

// fail records err when it is the first, and stops the sweep.
func (j *journalWriter) fail(err error) {
	j.mu.Lock()
	if j.firstErr == nil {
		j.firstErr = err
	}
	j.mu.Unlock()
	j.cancel()
}

// work runs the runs it receives from jobs and journals each result.
func (j *journalWriter) work(ctx context.Context, pl *plan, jobs <-chan int) {
	var buf []byte
	for i := range jobs {
		res, err := j.rn.do(ctx, pl.run(i))
		if err != nil {
			if ctx.Err() == nil {
				j.fail(fmt.Errorf("sweep: run %d: %w", i, err))
			}
			continue
		}
		buf, err = pl.appendLine(buf[:0], i, res)
		if err != nil {
			j.fail(err)
			continue
		}
		if err := j.write(buf); err != nil {
			j.fail(fmt.Errorf("sweep: %w", err))
		}
	}
}

// write appends one run's line to the journal (synced when the runner
// asks for it) and reports the progress.
func (j *journalWriter) write(line []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, err := j.f.Write(line)
	if err == nil && j.rn.Sync {
		err = j.f.Sync()
	}
	if err == nil {
		j.done++
		if j.rn.Progress != nil {
			j.rn.Progress(j.done, j.total)
		}
	}
	return err
}

// do runs rn.Do, returning a panic as a *sim.InternalError: a bug in Do
// stops the sweep with an error, keeps the finished runs in the journal,
// and does not crash the process.
func (rn *Runner) do(ctx context.Context, r Run) (res Result, err error) {
	defer func() {
		if ierr := sim.Recovered(recover()); ierr != nil {
			err = ierr
		}
	}()
	return rn.Do(ctx, r)
}

// clearDir removes the files of a sweep from dir (and nothing else).
func clearDir(dir string) error {
	for _, name := range []string{ManifestFile, JournalFile, RunsFile, PointsFile, SensitivityFile, SummaryFile} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	return nil
}

// touch creates the file at path if it does not exist, leaving it as it is
// otherwise.
func touch(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}
