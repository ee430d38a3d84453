package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/normsim/normsim/internal/dirlock"
)

// Errors of Stage that are the caller's to fix (a usage error, not a
// failure of the machine).
var (
	// ErrExists: the directory holds a result and force was not given.
	ErrExists = errors.New("already holds a result")
	// ErrNotResultDir: the directory exists but is not a run's directory
	// (a file, a dangling symbolic link, a directory of other files).
	ErrNotResultDir = errors.New("not a directory for a result")
)

// ErrBusy (wrapped) is returned by Stage when another process writes the
// same directory.
var ErrBusy = dirlock.ErrBusy

// stageError is an error of Stage of one of the kinds above, with a
// message of its own.
type stageError struct {
	msg  string
	kind error
}

func (e *stageError) Error() string { return e.msg }
func (e *stageError) Unwrap() error { return e.kind }

func stageErr(kind error, format string, args ...any) error {
	return &stageError{msg: "results: " + fmt.Sprintf(format, args...), kind: kind}
}

// Staging is a run directory being written. The files go into a staging
// directory beside it, .NAME.partial, locked so that two processes never
// write one result; Commit renames it into place as a whole, replacing
// the previous result, so that the directory holds one complete (or
// clearly incomplete) result at every moment, whatever happens to the
// process. A staging directory that a killed process left holds an
// INCOMPLETE note and is removed by the next Stage of the same directory.
type Staging struct {
	// Dir is where the files go until Commit.
	Dir string
	// Final is the run directory (a symbolic link resolved).
	Final   string
	unlocks []func()
	done    bool
}

// stagingSuffix and oldInfix name the directories beside a run directory
// NAME: .NAME.partial while it is written, .NAME.old-PID while a commit
// replaces it.
const (
	stagingSuffix = ".partial"
	oldInfix      = ".old-"
)

// Stage prepares writing a run into dir: it checks dir (a new or empty
// directory, or one that holds a result, which force replaces), creates
// and locks the staging directory, and cleans what an interrupted run left.
// Errors wrap ErrExists, ErrNotResultDir or ErrBusy, or are failures to
// create the directories (a read-only or full disk), found before anything
// runs.
func Stage(dir string, force bool) (*Staging, error) {
	final, err := resolveDir(dir)
	if err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(final), filepath.Base(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("results: cannot create %s: %w", parent, pathErr(err))
	}
	st := &Staging{Dir: filepath.Join(parent, "."+base+stagingSuffix), Final: final}
	var unlock func()
	for try := 0; try < 3; try++ { // another process may remove the staging directory as it ends
		if err := os.Mkdir(st.Dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("results: cannot write in %s: %w", parent, pathErr(err))
		}
		if unlock, err = dirlock.Lock(st.Dir); !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if err != nil {
		if errors.Is(err, dirlock.ErrBusy) {
			return nil, stageErr(ErrBusy, "%s is being written by another normsim process", dir)
		}
		return nil, fmt.Errorf("results: %w", err)
	}
	st.unlocks = append(st.unlocks, unlock)
	if err := st.prepare(parent, base, force); err != nil {
		st.Abort()
		return nil, err
	}
	return st, nil
}

// prepare runs under the staging lock: it restores a result that a killed
// commit moved aside, checks the destination, empties the staging
// directory and leaves a note in it.
func (st *Staging) prepare(parent, base string, force bool) error {
	olds, _ := filepath.Glob(filepath.Join(parent, "."+globEscape(base)+oldInfix+"*"))
	for _, old := range olds {
		if _, err := os.Lstat(st.Final); errors.Is(err, fs.ErrNotExist) {
			os.Rename(old, st.Final) // a commit was killed between its renames
		} else {
			os.RemoveAll(old)
		}
	}
	if err := st.checkFinal(force); err != nil {
		return err
	}
	ents, err := os.ReadDir(st.Dir)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	for _, e := range ents {
		if e.Name() != dirlock.File {
			if err := os.RemoveAll(filepath.Join(st.Dir, e.Name())); err != nil {
				return fmt.Errorf("results: cleaning %s: %w", st.Dir, err)
			}
		}
	}
	note := fmt.Sprintf("normsim (process %d) started writing a run for %s here at %s.\n"+
		"If no normsim is running, it was killed before it finished: nothing here is a result,\n"+
		"and the next run into %s removes this directory.\n", os.Getpid(), st.Final, time.Now().UTC().Format(time.RFC3339), st.Final)
	return WriteBytes(filepath.Join(st.Dir, IncompleteFile), []byte(note))
}

// checkFinal checks the destination: absent, empty, or holding a result
// (replaced only with force); and locks it when a sweep or a merge may be
// writing it.
func (st *Staging) checkFinal(force bool) error {
	ents, err := os.ReadDir(st.Final)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("results: %s: %w", st.Final, pathErr(err))
	}
	if Exists(st.Final) {
		if !force {
			return stageErr(ErrExists, "%s already holds a result", st.Final)
		}
	} else if other := otherFiles(ents); other != "" {
		return stageErr(ErrNotResultDir, "%s holds files that are not a result (%s): choose a new or empty directory", st.Final, other)
	}
	if _, err := os.Stat(filepath.Join(st.Final, dirlock.File)); err == nil {
		unlock, err := dirlock.Lock(st.Final)
		if err != nil {
			return stageErr(ErrBusy, "%s is being written by another normsim process", st.Final)
		}
		st.unlocks = append(st.unlocks, unlock)
	}
	return nil
}

// otherFiles names the first entries of a directory besides normsim's
// lock, or returns "" when there are none.
func otherFiles(ents []fs.DirEntry) string {
	var names []string
	for _, e := range ents {
		if e.Name() != dirlock.File {
			names = append(names, e.Name())
		}
	}
	if len(names) > 3 {
		names = append(names[:3], "...")
	}
	return strings.Join(names, ", ")
}

// Commit renames the staging directory into place, replacing what the
// run directory held; until then the previous result stays as it was.
func (st *Staging) Commit() error {
	if st.done {
		return errors.New("results: staging already committed or aborted")
	}
	syncDir(st.Dir)
	parent, base := filepath.Dir(st.Final), filepath.Base(st.Final)
	old := ""
	if _, err := os.Lstat(st.Final); err == nil {
		old = filepath.Join(parent, fmt.Sprintf(".%s%s%d", base, oldInfix, os.Getpid()))
		os.RemoveAll(old)
		if err := os.Rename(st.Final, old); err != nil {
			return fmt.Errorf("results: replacing %s: %w", st.Final, err)
		}
	}
	if err := os.Rename(st.Dir, st.Final); err != nil {
		if old != "" {
			os.Rename(old, st.Final)
		}
		return fmt.Errorf("results: %w", err)
	}
	// The lock file moved with the directory: another process that opened
	// it in the staging directory found it held until now.
	os.Remove(filepath.Join(st.Final, dirlock.File))
	syncDir(parent)
	st.finish()
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("results: removing the previous result: %w", err)
		}
	}
	return nil
}

// Abort removes the staging directory and what was written into it; the
// run directory is left as it was. It is a no-op after Commit.
func (st *Staging) Abort() {
	if st.done {
		return
	}
	os.RemoveAll(st.Dir)
	st.finish()
}

func (st *Staging) finish() {
	st.done = true
	for i := len(st.unlocks) - 1; i >= 0; i-- {
		st.unlocks[i]()
	}
	st.unlocks = nil
}

// resolveDir returns the absolute path of a run directory, following a
// symbolic link to a directory; a dangling link, or a path that exists and
// is not a directory, is refused with a message that says so.
func resolveDir(dir string) (string, error) {
	if strings.TrimSpace(dir) == "" {
		return "", stageErr(ErrNotResultDir, "an empty directory name")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	fi, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return abs, nil
	case err != nil:
		return "", fmt.Errorf("results: %s: %w", dir, pathErr(err))
	case fi.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(abs)
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", stageErr(ErrNotResultDir, "%s is a symbolic link to %s, which does not exist", dir, target)
		}
		return resolveDir(real)
	case !fi.IsDir():
		return "", stageErr(ErrNotResultDir, "%s exists and is not a directory", dir)
	}
	return abs, nil
}

// globEscape escapes the characters that filepath.Glob treats specially.
func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`)
	return r.Replace(s)
}

func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// syncDir makes renames in dir durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
