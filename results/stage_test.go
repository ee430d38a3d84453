package results

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(b)
}

// names lists a directory, hidden entries included.
func names(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, e := range ents {
		n = append(n, e.Name())
	}
	return strings.Join(n, " ")
}

// TestStageReplacesWhole: a run is written beside its directory and
// renamed into place; --force replaces the previous result as a whole
// (no lattice.csv of an earlier lattice run is left beside the new
// files), and nothing but the run directory is left in its parent.
func TestStageReplacesWhole(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "run")
	write(t, filepath.Join(dir, ScenarioFile), "old")
	write(t, filepath.Join(dir, LatticeFile), "old lattice")
	if _, err := Stage(dir, false); !errors.Is(err, ErrExists) {
		t.Fatalf("Stage without force: %v, want ErrExists", err)
	}
	st, err := Stage(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(st.Dir, ScenarioFile), "new")
	if got := read(filepath.Join(dir, ScenarioFile)); got != "old" {
		t.Errorf("before Commit the directory holds %q, want the old result", got)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); got != IncompleteFile+" "+ScenarioFile {
		t.Errorf("after Commit: %s, want the new files only", got)
	}
	if got := names(t, parent); got != "run" {
		t.Errorf("parent holds %s, want run only", got)
	}
}

// TestStageBusy: while one process writes a run directory, another is
// refused; once it has committed, the other may go on.
func TestStageBusy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	a, err := Stage(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Stage(dir, true); !errors.Is(err, ErrBusy) {
		t.Errorf("second Stage: %v, want ErrBusy", err)
	}
	write(t, filepath.Join(a.Dir, ScenarioFile), "a")
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	b, err := Stage(dir, true)
	if err != nil {
		t.Fatalf("Stage after the commit: %v", err)
	}
	b.Abort()
	if got := read(filepath.Join(dir, ScenarioFile)); got != "a" {
		t.Errorf("after Abort the directory holds %q, want the committed result", got)
	}
}

// TestStageAfterKill: what a killed run leaves is cleaned up by the next
// Stage: a staging directory (with its half-written files and temp
// files), and a result that a killed commit had moved aside, which is
// put back.
func TestStageAfterKill(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "run")
	write(t, filepath.Join(parent, ".run.partial", ".timeseries.csv.tmp123"), "half")
	write(t, filepath.Join(parent, ".run.old-77", ScenarioFile), "previous")
	st, err := Stage(dir, false)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("Stage: %v, want the restored result to be kept", err)
	}
	if got := read(filepath.Join(dir, ScenarioFile)); got != "previous" {
		t.Errorf("restored %q, want the previous result", got)
	}
	if st, err = Stage(dir, true); err != nil {
		t.Fatal(err)
	}
	if got := names(t, st.Dir); got != ".lock "+IncompleteFile {
		t.Errorf("staging directory holds %s, want only the lock and the note", got)
	}
	st.Abort()
	if got := names(t, parent); got != "run" {
		t.Errorf("parent holds %s, want run only", got)
	}
}

// TestStageRefuses: -o that cannot hold a result is refused with a
// message that says why.
func TestStageRefuses(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	write(t, file, "x")
	others := filepath.Join(parent, "others")
	write(t, filepath.Join(others, "notes.txt"), "mine")
	dangling := filepath.Join(parent, "dangling")
	os.Symlink(filepath.Join(parent, "nowhere"), dangling)
	for dir, want := range map[string]string{
		"":       "empty directory name",
		file:     "exists and is not a directory",
		others:   "holds files that are not a result (notes.txt)",
		dangling: "is a symbolic link to " + filepath.Join(parent, "nowhere") + ", which does not exist",
	} {
		if _, err := Stage(dir, true); !errors.Is(err, ErrNotResultDir) || !strings.Contains(err.Error(), want) {
			t.Errorf("Stage(%q): %v, want %q", dir, err, want)
		}
	}
	if got := read(filepath.Join(others, "notes.txt")); got != "mine" {
		t.Errorf("a directory of other files was changed: %q", got)
	}
}

// TestStageSymlink: a symbolic link to a directory is followed: the
// result replaces the directory it points to, and the link stays.
func TestStageSymlink(t *testing.T) {
	parent := t.TempDir()
	real := filepath.Join(parent, "real")
	write(t, filepath.Join(real, ScenarioFile), "old")
	link := filepath.Join(parent, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	st, err := Stage(link, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(st.Dir, ScenarioFile), "new")
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if got := read(filepath.Join(link, ScenarioFile)); got != "new" {
		t.Errorf("through the link: %q, want the new result", got)
	}
}
