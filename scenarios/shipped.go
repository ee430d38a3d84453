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
// exercises), sorted by name. A shipped file that does not load is listed
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

// Exercises returns the shipped exercise files (scenarios/exercises/),
// sorted, as paths Open accepts ("exercises/NAME").
func Exercises() []string {
	files, _ := fs.Glob(shipped, "exercises/*.toml")
	for i, f := range files {
		files[i] = strings.TrimSuffix(f, ".toml")
	}
	sort.Strings(files)
	return files
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

// shippedLabel starts the file name of a shipped scenario in messages:
// "shipped scenario baseline", as the user knows it, not the path inside
// the binary ("scenarios/baseline.toml"), which the user does not have.
const shippedLabel = "shipped scenario "

// Open loads a scenario named on the command line: a path, when the file
// exists or the argument ends in .toml, or else the file name (without
// .toml) of a shipped scenario or exercise ("baseline",
// "exercises/deterrence").
func Open(arg string) (*Scenario, error) {
	if _, err := os.Stat(arg); err == nil || strings.HasSuffix(arg, ".toml") || strings.ContainsRune(arg, os.PathSeparator) && !strings.HasPrefix(arg, "exercises/") && !strings.HasPrefix(arg, "claims/") {
		return Load(arg)
	}
	name := path.Clean(arg)
	if !strings.Contains(name, "..") {
		if _, err := fs.Stat(shipped, name+".toml"); err == nil {
			return openShipped(name + ".toml")
		}
		for _, e := range List() { // by name key: "claims-evidence"
			if e.Name == name {
				return openShipped(strings.TrimPrefix(e.File, "scenarios/"))
			}
		}
	}
	var names []string
	for _, e := range List() {
		names = append(names, e.Name)
	}
	msg := fmt.Sprintf("no such file, and no shipped scenario of that name (shipped: %s)", strings.Join(names, ", "))
	if s := suggest(arg, names); s != "" {
		msg = fmt.Sprintf("no such file, and no shipped scenario of that name; did you mean %q?", s)
	}
	return nil, &Error{Problems: []Problem{{File: arg, Msg: msg}}}
}
