package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// shipped holds the scenarios that come with normsim: scenarios/*.toml,
// the claims study in scenarios/claims/ and the exercises in
// scenarios/exercises/.
//
//go:embed *.toml claims exercises
var shipped embed.FS

// Entry is one shipped scenario.
type Entry struct {
	Name  string // its name key, which Open accepts: "baseline", "claims-evidence"
	Title string
	File  string // path in the repository, e.g. "scenarios/claims/evidence.toml"
}

// List returns the shipped scenarios and the claims study (not the
// exercises: see Exercises), sorted by name. A shipped file that does not load is listed
// with its error as title; the package's tests keep that from happening.
func List() []Entry {
	top, _ := fs.Glob(shipped, "*.toml")
	claims, _ := fs.Glob(shipped, "claims/*.toml")
	var out []Entry
	for _, f := range append(top, claims...) {
		e := Entry{Name: strings.TrimSuffix(f, ".toml"), File: "scenarios/" + f}
		if s, err := openShipped(f); err == nil {
			e.Name, e.Title = s.Name, s.Title
		} else {
			e.Title = "(invalid: " + strings.SplitN(err.Error(), "\n", 2)[0] + ")"
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Claims returns the scenarios of the claims study, sorted by name.
func Claims() []Entry {
	var out []Entry
	for _, e := range List() {
		if strings.HasPrefix(e.File, "scenarios/claims/") {
			out = append(out, e)
		}
	}
	return out
}

// Exercises returns the shipped exercises, the students' starting files
// (scenarios/exercises/NAME.toml), as Open names them
// ("exercises/restraint-emerges"), in the order of the course: by the
// number of their name key ("ex1-restraint-emerges"), then by name. Their
// solutions are not listed: see OpenSolution.
func Exercises() []Entry {
	files, _ := fs.Glob(shipped, "exercises/*.toml")
	var out []Entry
	num := map[string]int{}
	for _, f := range files {
		if strings.HasSuffix(f, solutionSuffix+".toml") {
			continue
		}
		e := Entry{Name: strings.TrimSuffix(f, ".toml"), File: "scenarios/" + f}
		if s, err := openShipped(f); err == nil {
			e.Title = s.Title
			var n int // a name key without a number sorts first
			if _, err := fmt.Sscanf(s.Name, "ex%d-", &n); err == nil {
				num[e.Name] = n
			}
		} else {
			e.Title = "(invalid: " + strings.SplitN(err.Error(), "\n", 2)[0] + ")"
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := num[out[i].Name], num[out[j].Name]; a != b {
			return a < b
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// exerciseByKey opens the exercise whose name key is name
// ("ex1-restraint-emerges", as check prints it), or returns nil; a
// solution's key ("ex1-restraint-emerges-solution") is not opened.
func exerciseByKey(name string) *Scenario {
	if !strings.HasPrefix(name, "ex") || strings.HasSuffix(name, "-solution") {
		return nil
	}
	files, _ := fs.Glob(shipped, "exercises/*.toml")
	for _, f := range files {
		if strings.HasSuffix(f, solutionSuffix+".toml") {
			continue
		}
		if s, err := openShipped(f); err == nil && s.Name == name {
			return s
		}
	}
	return nil
}

// solutionSuffix ends the name of an exercise's solution.
const solutionSuffix = ".solution"

// OpenSolution opens the teacher's solution of a shipped exercise, named
// "exercises/NAME" or "exercises/NAME.solution" (or just "NAME"). Open
// does not open solutions by name, so that a student's binary does not
// show them unless asked (normsim show --solutions).
func OpenSolution(arg string) (*Scenario, error) {
	name := strings.TrimSuffix(strings.TrimPrefix(path.Clean(arg), "exercises/"), solutionSuffix)
	f := "exercises/" + name + solutionSuffix + ".toml"
	if !strings.ContainsAny(name, "/.") {
		if _, err := fs.Stat(shipped, f); err == nil {
			return openShipped(f)
		}
	}
	var names []string
	for _, e := range Exercises() {
		names = append(names, e.Name)
	}
	msg := fmt.Sprintf("no shipped exercise of that name (exercises: %s)", strings.Join(names, ", "))
	if s := suggest("exercises/"+name, names); s != "" {
		msg = fmt.Sprintf("no shipped exercise of that name; did you mean %q?", s)
	}
	return nil, &Error{Problems: []Problem{{File: arg, Msg: msg}}}
}

// IsPath says whether a command-line argument names a file rather than a
// shipped scenario: it ends in .toml, or it has a path separator and does
// not start with the shipped folders claims/ and exercises/. A bare name
// ("baseline") is always a shipped scenario, so that a file or directory
// of that name in the working directory does not shadow it.
func IsPath(arg string) bool {
	if strings.HasSuffix(arg, ".toml") {
		return true
	}
	if !strings.ContainsAny(arg, "/"+string(os.PathSeparator)) {
		return false
	}
	return !strings.HasPrefix(arg, "exercises/") && !strings.HasPrefix(arg, "claims/")
}

func openShipped(f string) (*Scenario, error) {
	data, err := shipped.ReadFile(f)
	if err != nil {
		return nil, err
	}
	return Parse(shippedLabel+shippedName(f), data)
}

// shippedName is the name a shipped file is known by, which Open takes:
// "baseline", "claims-evidence" (claims/evidence.toml: the claims study's
// names carry their prefix; a test checks that each file's name key says
// the same), "exercises/deterrence".
func shippedName(f string) string {
	name := strings.TrimSuffix(f, ".toml")
	if rest, ok := strings.CutPrefix(name, "claims/"); ok {
		return "claims-" + rest
	}
	return name
}

// shippedFile is the inverse of shippedName for the claims study: the
// file of a name key "claims-NAME", when it is shipped. (The other
// shipped scenarios' name keys are their file names, which Open finds
// first.)
func shippedFile(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "claims-")
	if !ok || strings.Contains(rest, "/") {
		return "", false
	}
	f := "claims/" + rest + ".toml"
	if _, err := fs.Stat(shipped, f); err != nil {
		return "", false
	}
	return f, true
}

// shippedLabel starts the file name of a shipped scenario in messages:
// "shipped scenario baseline", as the user knows it, not the path inside
// the binary ("scenarios/baseline.toml"), which the user does not have.
const shippedLabel = "shipped scenario "

// Open loads a scenario named on the command line: a file when IsPath
// says the argument is a path, or else a shipped scenario by its file name
// without .toml ("baseline", "claims/evidence", "exercises/deterrence")
// or its name key ("claims-evidence"). An exercise's solution is not
// opened by name: see OpenSolution.
func Open(arg string) (*Scenario, error) {
	if IsPath(arg) {
		return Load(arg)
	}
	name := path.Clean(arg)
	if strings.HasPrefix(name, "exercises/") && strings.HasSuffix(name, solutionSuffix) {
		return nil, &Error{Problems: []Problem{{File: arg, Msg: "exercise solutions are not opened by name: a teacher shows one with 'normsim show --solutions " + name + "' (or opens its file, scenarios/" + name + ".toml, in the repository)"}}}
	}
	if !strings.Contains(name, "..") {
		if _, err := fs.Stat(shipped, name+".toml"); err == nil {
			return openShipped(name + ".toml")
		}
		if f, ok := shippedFile(name); ok { // by name key: "claims-evidence"
			return openShipped(f)
		}
		if s := exerciseByKey(name); s != nil {
			return s, nil
		}
	}
	var names []string
	for _, e := range List() {
		names = append(names, e.Name)
	}
	var exercises []string
	for _, e := range Exercises() {
		exercises = append(exercises, e.Name)
	}
	what := "no such file, and no shipped scenario of that name"
	if _, err := os.Stat(arg); err == nil {
		what = fmt.Sprintf("no shipped scenario of that name (to open the file or directory %s, give its path: ./%s)", arg, arg)
	}
	msg := fmt.Sprintf("%s (shipped: %s; exercises: normsim list --exercises)", what, strings.Join(names, ", "))
	candidates := append(names, exercises...)
	if strings.HasPrefix(name, "exercises/") {
		candidates = exercises
		msg = fmt.Sprintf("%s (exercises: %s)", what, strings.Join(exercises, ", "))
	}
	if s := suggest(arg, candidates); s != "" {
		msg = fmt.Sprintf("%s; did you mean %q?", what, s)
	}
	return nil, &Error{Problems: []Problem{{File: arg, Msg: msg}}}
}
