package sweep

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestDoneSet: the set of runs done, for the whole sweep and for a shard,
// in any order: membership, missing spans, and memory that follows the
// partly done blocks, not the runs.
func TestDoneSet(t *testing.T) {
	const runs = 3*blockSize + 100
	for _, sh := range []Shard{{}, {Index: 1, Count: 3}} {
		s := newDoneSet(sh, runs)
		var in []int
		for i := range runs {
			if sh.Has(i) && i%1000 != 7 { // all but a few
				in = append(in, i)
			}
		}
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(in), func(a, b int) { in[a], in[b] = in[b], in[a] })
		for _, i := range in {
			if !s.add(i) {
				t.Fatalf("%v: add(%d) = false, first time", sh, i)
			}
		}
		if s.add(in[0]) || s.n != len(in) {
			t.Errorf("%v: a second add counts: n = %d, want %d", sh, s.n, len(in))
		}
		var want []Span
		for i := range runs {
			if sh.Has(i) && i%1000 == 7 {
				want = addSpan(want, i)
			}
		}
		if got := s.missing(0); !slices.Equal(got, want) {
			t.Errorf("%v: missing %v, want %v", sh, FormatSpans(got, 5), FormatSpans(want, 5))
		}
		s.add(want[0].First + want[0].Step) // breaks the progression
		f, st := want[0].First, want[0].Step
		// f, f+2st, f+3st, ...: f on its own, then the progression resumes.
		if got := s.missing(2); len(got) != 2 || got[0] != (Span{f, f, 1}) || got[1].First != f+2*st || got[1].Step != st {
			t.Errorf("%v: missing(2) = %v", sh, got)
		}
	}
	s := newDoneSet(Shard{}, 10*blockSize)
	for i := range 9 * blockSize {
		s.add(i)
	}
	bitmaps := 0
	for _, b := range s.blocks {
		if b != nil && b != fullBlock {
			bitmaps++
		}
	}
	if bitmaps != 0 || !s.allDone(0, 9*blockSize-1) || s.allDone(0, 9*blockSize) {
		t.Errorf("%d bitmaps for 9 full blocks; allDone wrong", bitmaps)
	}
	if got := s.missing(0); len(got) != 1 || got[0] != (Span{9 * blockSize, 10*blockSize - 1, 1}) {
		t.Errorf("missing %v, want one span", got)
	}
}

// TestSortJournals: journal lines in any order, from several files, come
// out in run order once each, through temporary files when they exceed
// the chunk, merged a few at a time; the temporary files are removed, and
// a run recorded twice with different results is refused.
func TestSortJournals(t *testing.T) {
	m := &Manifest{Format: Format, Scenario: "t", Design: Design{Kind: Grid, Replicates: 50, Params: []Param{{Key: "a", Values: []float64{1, 2, 3, 4}}}},
		Metrics: testMetrics, Outcomes: DefaultOutcomes, Points: 4, Runs: 200}
	pl, err := newPlan(m)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var want bytes.Buffer
	lines := make([][]byte, m.Runs)
	for i := range m.Runs {
		res, _ := fakeDo(context.Background(), pl.run(i))
		res.Outcome = "contested"
		lines[i], _ = pl.appendLine(nil, i, res)
		want.Write(lines[i])
	}
	order := rand.New(rand.NewPCG(3, 4)).Perm(m.Runs)
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	var fa, fb bytes.Buffer
	for k, i := range order {
		if k%3 == 0 {
			fb.Write(lines[i])
		} else {
			fa.Write(lines[i])
		}
		if k%10 == 0 {
			fb.Write(lines[i]) // recorded twice, the same
		}
	}
	os.WriteFile(a, fa.Bytes(), 0o644)
	os.WriteFile(b, fb.Bytes(), 0o644)
	defer func(c, f int) { sortChunk, sortFanIn = c, f }(sortChunk, sortFanIn)
	sortChunk, sortFanIn = 2000, 3 // about 20 lines a chunk, merged three at a time
	var got bytes.Buffer
	err = pl.sortJournals(dir, []string{a, b, filepath.Join(dir, "absent")}, func(i int, line []byte) error {
		got.Write(line)
		return nil
	})
	if err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("sorted journal differs (%v)", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d files left in the directory, want the two journals", len(ents))
	}
	other, _ := pl.appendLine(nil, 5, Result{Outcome: "established", Converged: -1, Final: []float64{1, 2}})
	os.WriteFile(b, append(fb.Bytes(), other...), 0o644)
	err = pl.sortJournals(dir, []string{a, b}, func(int, []byte) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "run 5 is recorded twice with different results") {
		t.Errorf("a run recorded twice with different results: %v", err)
	}
}

// TestStatusUntilOutputs: status does not call a sweep complete between
// its last journal line and its outputs, and a damaged journal line gets a
// repair hint.
func TestStatusUntilOutputs(t *testing.T) {
	dir := t.TempDir()
	d := testDesigns()["grid"]
	rn := testRunner(dir, Shard{}, 2)
	if err := rn.Execute(context.Background(), d, false); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, SummaryFile))
	st, err := Status([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if st.Complete() || !strings.Contains(st.String(), "the outputs are not written yet") {
		t.Errorf("before the outputs: complete %v\n%s", st.Complete(), st)
	}
	journal := filepath.Join(dir, JournalFile)
	b, _ := os.ReadFile(journal)
	b[10] ^= 1 // damage the first line
	os.WriteFile(journal, b, 0o644)
	_, err = Status([]string{dir})
	if err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), "sed -i '1d'") {
		t.Errorf("a damaged line: %v", err)
	}
}

// TestUnionOfShards: the runs of a sweep spread over shard directories
// (and a whole one) are counted and their missing runs listed without
// looking at each run when blocks are covered.
func TestUnionOfShards(t *testing.T) {
	const runs = 5*blockSize + 7
	var sets []*doneSet
	for k := range 3 {
		s := newDoneSet(Shard{Index: k, Count: 3}, runs)
		for i := k; i < runs; i += 3 {
			if i != 4*blockSize+1 {
				s.add(i)
			}
		}
		sets = append(sets, s)
	}
	done, missing := union(sets, runs)
	if done != runs-1 || len(missing) != 1 || missing[0] != (Span{4*blockSize + 1, 4*blockSize + 1, 1}) {
		t.Errorf("union: %d done, missing %v", done, missing)
	}
	whole := newDoneSet(Shard{}, runs)
	whole.add(4*blockSize + 1)
	if done, missing = union(append(sets, whole), runs); done != runs || len(missing) != 0 {
		t.Errorf("with the whole directory: %d done, missing %v", done, missing)
	}
}

// TestSweepRSS runs a sweep of many runs in a child process and checks
// that its peak resident memory does not grow with the runs: within a
// factor 2 of memoryEstimate, which does not depend on them.
func TestSweepRSS(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("runs a child sweep of a million runs (Linux rusage)")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSweepRSSChild$")
	cmd.Env = append(os.Environ(), "SWEEP_RSS_DIR="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	rss := float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) * 1024
	m, _ := testRunner("", Shard{}, 1).Manifest(rssDesign())
	pl, _ := newPlan(m)
	est := memoryEstimate(pl)
	t.Logf("%d runs: estimate %.0f MB, peak RSS %.0f MB", m.Runs, est/1e6, rss/1e6)
	if rss > 2*est || rss < est/2 {
		t.Errorf("estimate %.0f MB, peak RSS %.0f MB: not within a factor 2", est/1e6, rss/1e6)
	}
}

func rssDesign() Design {
	return Design{Kind: Grid, Replicates: 1000, Seed: 1, Params: []Param{{Key: "a", Values: make([]float64, 1000)}}}
}

// TestSweepRSSChild is the child of TestSweepRSS.
func TestSweepRSSChild(t *testing.T) {
	dir := os.Getenv("SWEEP_RSS_DIR")
	if dir == "" {
		t.Skip("run by TestSweepRSS")
	}
	rn := testRunner(dir, Shard{}, 2)
	rn.Do = func(_ context.Context, r Run) (Result, error) {
		return Result{Outcome: "contested", Converged: r.Replicate, Final: []float64{float64(r.Point), 0.5}}, nil
	}
	if err := rn.Execute(context.Background(), rssDesign(), false); err != nil {
		t.Fatal(err)
	}
	fmt.Println("done")
}

// TestOrphanTemps: the temporary files that a killed sweep left (its own,
// and those of the command's atomic writes) are removed when the sweep
// resumes; other files stay.
func TestOrphanTemps(t *testing.T) {
	dir := t.TempDir()
	d := testDesigns()["grid"]
	orphans := []string{".tmp-runs.csv-123", ".scenario.toml.tmp456", ".phase.png.789.tmp"}
	for _, n := range append(orphans, ".keep") {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644)
	}
	if err := testRunner(dir, Shard{}, 2).Execute(context.Background(), d, true); err != nil {
		t.Fatal(err)
	}
	for _, n := range orphans {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s is left", n)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".keep")); err != nil {
		t.Errorf(".keep was removed")
	}
}

// TestSweepCaps: what one sweep may hold is capped, with a message that
// says which limit.
func TestSweepCaps(t *testing.T) {
	values := func(n int) []float64 { return make([]float64, n) }
	for _, c := range []struct {
		d    Design
		want string
	}{
		{Design{Kind: Grid, Replicates: 2_000_000, Params: []Param{{Key: "a", Values: values(1000)}}}, "replicates = 2000000, want 1 <= replicates <= 100000"},
		{Design{Kind: Grid, Replicates: 100_000, Params: []Param{{Key: "a", Values: values(20_000)}}}, "2000000000 runs, want at most 1000000000"},
		{Design{Kind: Grid, Replicates: 1, Params: []Param{{Key: "a", Values: values(2000)}, {Key: "b", Values: values(1000)}}}, "2000000 design points, want at most 1000000"},
	} {
		if err := c.d.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate: %v, want %q", err, c.want)
		}
	}
}
