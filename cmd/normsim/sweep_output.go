package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/sweep"
)

// sweepReport prints what a finished sweep (or merge) directory holds:
// the runs, their outcomes, and the files.
// before is the number of runs that were done when this execution began
// (a resumed sweep), or -1 when unknown (a merge).
func sweepReport(e *env, dir string, wall time.Duration, charts []string, before int) {
	s, err := sweep.ReadSummary(dir)
	if err != nil {
		fmt.Fprintf(e.stdout, "wrote %s\n", dir)
		return
	}
	fmt.Fprintf(e.stdout, "%s in %s\n", ranText(s, before), wall.Round(time.Millisecond))
	for _, w := range s.Warnings {
		fmt.Fprintf(e.stderr, "normsim: warning: %s\n", w)
	}
	var parts []string
	for _, o := range sweep.DefaultOutcomes {
		parts = append(parts, fmt.Sprintf("%s %d", o, s.Outcomes[o]))
	}
	fmt.Fprintf(e.stdout, "outcomes: %s (of %d runs)\n", strings.Join(parts, ", "), s.Done)
	files := []string{sweep.ManifestFile}
	if _, err := os.Stat(filepath.Join(dir, results.ScenarioFile)); err == nil {
		files = append(files, results.ScenarioFile)
	}
	files = append(files, s.Files...)
	files = append(files, sweep.SummaryFile)
	for _, c := range charts {
		files = append(files, filepath.Base(c))
	}
	fmt.Fprintf(e.stdout, "wrote %s: %s\n", dir, strings.Join(files, " "))
}

// ranText says what an execution of a sweep ran: "56 runs (7 points x 8
// replicates)", "shard 0/2: 28 of the 56 runs (...)", and for a resumed
// sweep how many of them ran now: "23 runs now, 33 done before: 56 runs
// (...)".
func ranText(s sweep.Summary, before int) string {
	what := fmt.Sprintf("%s (%s x %s)", plural(s.Runs, "run", "runs"),
		plural(s.Points, "point", "points"), plural(s.Design.Replicates, "replicate", "replicates"))
	if s.Shard != nil && !s.Shard.Whole() {
		what = fmt.Sprintf("shard %s: %d of the %s", s.Shard, s.Done, what)
	}
	if before > 0 {
		what = fmt.Sprintf("%s now, %d done before: %s", plural(s.Done-before, "run", "runs"), before, what)
	}
	return what
}

// plural is "1 run", "2 runs": n with the word that fits it.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// runsBar draws a progress bar with an ETA, for a terminal. The ETA counts
// only the runs of this execution, not those a resume found done.
type runsBar struct {
	w        io.Writer
	mu       sync.Mutex
	start    time.Time
	first    int // runs done when the bar started
	started  bool
	done     int
	total    int
	quit     chan struct{}
	finished chan struct{}
}

func newRunsBar(w io.Writer) *runsBar {
	b := &runsBar{w: w, start: time.Now(), quit: make(chan struct{}), finished: make(chan struct{})}
	go func() {
		defer close(b.finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-b.quit:
				b.draw()
				if b.started {
					fmt.Fprintln(b.w)
				}
				return
			case <-t.C:
				b.draw()
			}
		}
	}()
	return b
}

// update is the Runner's Progress function.
func (b *runsBar) update(done, total int) {
	b.mu.Lock()
	if !b.started {
		b.started, b.first, b.start = true, done, time.Now()
	}
	b.done, b.total = done, total
	b.mu.Unlock()
}

func (b *runsBar) draw() {
	b.mu.Lock()
	started, n, total, first, start := b.started, b.done, b.total, b.first, b.start
	b.mu.Unlock()
	if !started {
		return
	}
	const width = 30
	fill := width * n / max(total, 1)
	eta := "?"
	if n > first {
		left := time.Duration(float64(time.Since(start)) / float64(n-first) * float64(total-n))
		eta = left.Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d runs, ETA %s   ", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), n, total, eta)
}

func (b *runsBar) stop() {
	close(b.quit)
	<-b.finished
}
