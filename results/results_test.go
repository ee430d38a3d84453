package results

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/normsim/normsim/sim"
)

// fakeResult builds a result by hand, with awkward floats (1/3, 1e-300,
// negative zero is avoided: it would not survive 'g' formatting as -0).
func fakeResult() *sim.Result {
	res := &sim.Result{Config: sim.DefaultConfig()}
	for rep := 0; rep < 3; rep++ {
		r := sim.Replicate{Index: rep, Seed: 7, Converged: -1, Outcome: sim.Outcome(rep % 3)}
		for t := 0; t <= 4; t += 2 {
			var row sim.Row
			for m := range row {
				row[m] = float64(rep*100+t) + float64(m)/3 + 1e-300
			}
			r.Steps = append(r.Steps, t)
			r.Rows = append(r.Rows, row)
		}
		r.Final = r.Rows[len(r.Rows)-1]
		r.FinalRestraint = math.Pi / float64(rep+1)
		if rep == 1 {
			r.Converged = 3
		}
		if rep == 0 {
			r.Lattice = []sim.LatticeSnapshot{{Step: 0, Width: 3, Height: 2, Cells: []uint8{0, 1, 2, 3, 0, 1}}}
		}
		res.Replicates = append(res.Replicates, r)
	}
	return res
}

var meta = Meta{Scenario: "test", Version: "0.0.1", Hash: "abc", Seed: 7, Replicates: 3}

func TestSaveReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	res := fakeResult()
	paths, err := Save(dir, meta, res, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 4 {
		t.Errorf("wrote %q, want timeseries, replicates, lattice, summary", paths)
	}
	got, sum, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Complete || sum.Scenario != "test" || sum.Replicates.Finished != 3 {
		t.Errorf("summary %+v", sum)
	}
	for i := range res.Replicates {
		want := res.Replicates[i]
		if !reflect.DeepEqual(got.Replicates[i], want) {
			t.Errorf("replicate %d differs after a round trip:\n got %+v\nwant %+v", i, got.Replicates[i], want)
		}
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left %s", e.Name())
		}
	}
}

// TestDeterministicBytes: the CSVs are a function of the result and the
// meta only (the wall time changes nothing).
func TestDeterministicBytes(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	r1, r2 := fakeResult(), fakeResult()
	r2.Wall = 12345
	if _, err := Save(a, meta, r1, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := Save(b, meta, r2, true, ""); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{TimeseriesFile, ReplicatesFile, LatticeFile} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) || len(x) == 0 {
			t.Errorf("%s differs between identical runs", f)
		}
	}
	head, _ := os.ReadFile(filepath.Join(a, TimeseriesFile))
	first := strings.SplitN(string(head), "\n", 3)
	if first[0] != strings.Join(TimeseriesHeader(), ",") || !strings.HasPrefix(first[1], "test,0.0.1,abc,7,0,0,1e-300,0.3333333333333333,") {
		t.Errorf("timeseries starts\n%s\n%s", first[0], first[1])
	}
	rep, _ := os.ReadFile(filepath.Join(a, ReplicatesFile))
	lines := strings.Split(string(rep), "\n")
	if !strings.HasPrefix(lines[1], "test,0.0.1,abc,7,0,contested,,false,,0,3.141592653589793,") || !strings.HasPrefix(lines[2], "test,0.0.1,abc,7,1,established,3,false,,0,1.5707963267948966,") {
		t.Errorf("replicates.csv:\n%s\n%s", lines[1], lines[2])
	}
}

func TestIncomplete(t *testing.T) {
	dir := t.TempDir()
	res := fakeResult()
	res.Replicates = res.Replicates[:1]
	if _, err := Save(dir, meta, res, false, "interrupted by a signal"); err != nil {
		t.Fatal(err)
	}
	note, err := os.ReadFile(filepath.Join(dir, IncompleteFile))
	if err != nil || !strings.Contains(string(note), "1 of 3 replicates") {
		t.Errorf("INCOMPLETE: %q, %v", note, err)
	}
	var s map[string]any
	data, _ := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err := json.Unmarshal(data, &s); err != nil || s["complete"] != false {
		t.Errorf("summary.json complete = %v (%v)", s["complete"], err)
	}
	// A complete run in the same place removes the marker.
	if _, err := Save(dir, meta, fakeResult(), true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, IncompleteFile)); err == nil {
		t.Errorf("INCOMPLETE left after a complete run")
	}
}

func TestReadRejectsForeignColumns(t *testing.T) {
	dir := t.TempDir()
	if _, err := Save(dir, meta, fakeResult(), true, ""); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ReplicatesFile), []byte("a,b\n1,2\n"), 0o644)
	_, _, err := Read(dir)
	if err == nil || !strings.Contains(err.Error(), "columns a,b, want scenario,version") {
		t.Errorf("got %v", err)
	}
}

// TestWriteFileFailure: a failing writer leaves the old file untouched.
func TestWriteFileFailure(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.csv")
	os.WriteFile(p, []byte("old"), 0o644)
	err := WriteFile(p, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return os.ErrClosed
	})
	if err == nil {
		t.Fatal("no error")
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("file is %q, want the old content", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left, want 1", len(entries))
	}
}
