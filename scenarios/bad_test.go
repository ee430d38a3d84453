package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// badFiles are the files of testdata/bad with the exact error each gives
// (the "testdata/bad/NAME:" prefix of every line is added by the test).
var badFiles = []struct {
	file string
	want []string // every line of the error, in order
}{
	{"duplicate.toml", []string{
		`6:1: TOML syntax: Key 'run.steps' has already been defined. (after key run.steps)`,
	}},
	{"empty.toml", []string{
		` empty file: a scenario needs at least schema = 1 and name = "..."`,
	}},
	{"enums.toml", []string{
		`5:1: decision.rule = "logits": want one of threshold, logit, game, reciprocal; did you mean "logit"?`,
		`6:1: decision.reciprocal = "tit-for-2-tats": want one of tit-for-tat, win-stay-lose-shift, generous-tit-for-tat; did you mean "tit-for-tat"?`,
		`10:1: learning.every = 0: want an integer >= 1`,
	}},
	{"events.toml", []string{
		`13:1: events[1].step = 150: want a step 1 <= step <= run.steps (100); to shorten a run, --steps N skips the events after step N`,
		`15:9: events[1].set."payoffs.temptaton" = 4.0: not a parameter an event can set; did you mean "payoffs.temptation"?`,
		`15:36: events[1].set."world.states" = 3: not a parameter an event can set (events set numeric parameters, such as payoffs.temptation)`,
	}},
	{"garbage.toml", []string{
		`1:4: not a TOML file: it is not UTF-8 text`,
	}},
	{"huge.toml", []string{
		`5:1: world.states = 1000000000000: want at most 10000000 (about 2000 MB of memory at most; larger worlds are refused before anything is allocated)`,
	}},
	{"lattice.toml", []string{
		`9:1: topology.width = 9 x 9: want width x height = world.states (100)`,
	}},
	{"memory.toml", []string{
		`5:1: run.steps = 1000000000: the run would take about 22.0 TiB of memory (limit 4.0 GiB), most of it for the record of 32 replicates of 1000000000 steps, every 1: raise run.record_every, or lower run.steps or run.replicates`,
	}},
	{"missing.toml", []string{
		` name: missing: write name = "..." (letters, digits, '.', '_' or '-'), used in output paths`,
		` schema: missing: write schema = 1 at the top of the file`,
	}},
	{"ranges.toml", []string{
		`5:1: attribution.evidence_standard = nan: want a finite number`,
		`6:1: attribution.reporting = 1.5: want a probability, 0 <= x <= 1`,
		`7:1: attribution.false_flag = -0.1: want a probability, 0 <= x <= 1`,
		`10:1: payoffs.temptation = inf: want a finite number`,
	}},
	{"schema.toml", []string{
		`1:1: schema = 2: unsupported format version: this normsim reads schema = 1`,
		`2:1: name = "x y": want letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters`,
	}},
	{"sweep-expect.toml", []string{
		`6:1: sweep.replicates = 0: want an integer >= 1`,
		`9:1: sweep.parameters."attribution.evidence_standard" = { max = 1.0, min = 0.0 }: design = "grid" wants a list [..] or { from, to, steps }; { min, max } is for lhs, sobol and morris`,
		`10:1: sweep.parameters."decision.rule" = [1.0]: not a numeric parameter a sweep can vary (for example "attribution.evidence_standard", "world.power.alpha")`,
		`11:40: sweep.parameters."forum.pull".steps = 1: want 2 <= steps <= 100000 (the ends are included)`,
		`13:1: expect[0]: want at_least, at_most or both`,
		`14:1: expect[0].metric = "restraint": want one of outcome, converged, converged_end, tipping_step, final_restraint, final_belief, restraint_rate, restraint_compliant, opportunities, escalations, detections, reported, true_accusations, false_accusations, public_accusations, private_accusations, cosigned, denied, misrepresentations, responses, spirals, spiral_length, collateral, belief_restraint_mean, belief_restraint_sd, belief_response_mean, belief_response_sd, expectation_gap, adoption, adoption_power, stringency, legitimacy_mean, boldness_mean, vengefulness_mean, credibility_mean, forensics_mean, payoff_mean, restraint_power_low, restraint_power_mid, restraint_power_high, adoption_power_low, adoption_power_mid, adoption_power_high, forum, forum_failed, event; did you mean "restraint_rate"?`,
		`15:1: expect[0].stat = "median": want one of mean, share, quantile; did you mean "mean"?`,
		`19:1: expect[1].outcome = "won": want one of established, latent, contested, hollow, collapsed`,
	}},
	{"syntax.toml", []string{
		`3:5: TOML syntax: expected '.' or ']' to end table name, but got '\n' instead`,
	}},
	{"unknown-keys.toml", []string{
		`5:1: run.stepz = 5: unknown key in [run]; did you mean "steps"?`,
		`6:1: run.Seed = 3: unknown key in [run] (key names are case-sensitive); did you mean "seed"?`,
		`8:1: atribution = { publicity = 0.5 }: unknown key at the top of the file; did you mean "attribution"?`,
	}},
	{"world.toml", []string{
		`5:1: world.power.min: missing: dist = "pareto" needs alpha and min`,
		`6:15: world.forensics.dist = "gauss": want one of constant, uniform, normal, pareto, values`,
		`7:54: world.boldness.mean = 0.5: not a parameter of dist = "uniform" (it takes min, max)`,
		`8:1: world.initial = { escalators = 0.1, pattern = "single" }: want one form: escalators = share, pattern = "single" (with an optional site), or escalating = [...]`,
		`9:1: world.blocs = [3 values]: want one bloc per state (193)`,
	}},
	{"wrong-types.toml", []string{
		`5:1: run.steps = "many": want an integer, not a string`,
		`6:1: run.replicates = 2.5: want an integer, not a float`,
		`7:1: run.seed = -1: want an integer >= 0`,
		`10:1: metanorms.enabled = "yes": want true or false, not a string`,
	}},
}

func TestBadFiles(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range badFiles {
		seen[c.file] = true
		path := "testdata/bad/" + c.file
		s, err := Load(path)
		if err == nil {
			t.Errorf("%s: loaded %q, want an error", c.file, s.Name)
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %T, want *scenarios.Error", c.file, err)
			continue
		}
		want := make([]string, len(c.want))
		for i, w := range c.want {
			want[i] = path + ":" + w
		}
		if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got: %s\nwant: %s", c.file, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
		}
		if len(e.Problems) != len(c.want) {
			t.Errorf("%s: %d problems, want %d", c.file, len(e.Problems), len(c.want))
		}
	}
	files, _ := filepath.Glob("testdata/bad/*.toml")
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s has no expected message in badFiles", f)
		}
	}
}

// TestMissingFile: a file that does not exist is named in the message.
func TestMissingFile(t *testing.T) {
	_, err := Load("testdata/nope.toml")
	want := "testdata/nope.toml: cannot read the file: no such file or directory"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	_, err = Open("no-such-scenario")
	if err == nil || !strings.HasPrefix(err.Error(), "no-such-scenario: no such file, and no shipped scenario of that name") {
		t.Errorf("Open: got %v", err)
	}
	_, err = Open("baselin")
	if err == nil || !strings.Contains(err.Error(), `did you mean "baseline"?`) {
		t.Errorf("Open(baselin): got %v", err)
	}
}

// TestOneBrokenField is the "valid default with one field broken" table:
// the shipped baseline with one line appended to a table, and the key path
// and position that must be reported.
func TestOneBrokenField(t *testing.T) {
	base, err := os.ReadFile("baseline.toml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(base), "\n")
	for _, c := range []struct {
		add, want string
	}{
		{"[response]\nmax_spiral = -1\n", "response.max_spiral = -1: want an integer >= 0"},
		{"[credibility]\nrate = 2\n", "credibility.rate = 2: want a probability, 0 <= x <= 1"},
		{"[convergence]\nlow = 0.95\n", "convergence.low = 0.95: want low < high (0.9)"},
		{"[forum]\ncodified_conformity = 0.5\n", "forum.codified_conformity = 0.5: want x >= 1"},
		{"[opportunity]\nseen = { dist = \"uniform\", min = 0.0, max = 2.0 }\n", "opportunity.seen.max = 2: want a probability, 0 <= x <= 1"},
		{"[world]\nvengefulness = { dist = \"normal\", mean = 0.5, sd = -1.0, min = 0.0, max = 1.0 }\n", "world.vengefulness.sd = -1: want sd >= 0"},
		{"[decision]\nreciprocal = { cc = 1.0, cd = 1.5 }\n", "decision.reciprocal.cd = 1.5: want a probability, 0 <= x <= 1"},
	} {
		// Add to the table where baseline.toml has it (in place of the
		// key's own line, if it sets it), else append it.
		header, line, _ := strings.Cut(c.add, "\n")
		key, _, _ := strings.Cut(line, " =")
		src := string(base) + "\n" + c.add
		if i := strings.Index(string(base), "\n"+header+"\n"); i >= 0 {
			table := string(base)[i+1:]
			if j := strings.Index(table, "\n["); j >= 0 {
				table = table[:j+1]
			}
			body := regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(key)+` *=.*\n`).ReplaceAllString(table, "")
			src = strings.Replace(string(base), table, strings.Replace(body, header+"\n", c.add, 1), 1)
		}
		_, err := Parse("b.toml", []byte(src))
		if err == nil {
			t.Errorf("%q: no error", c.add)
			continue
		}
		got := err.Error()
		if strings.Count(got, "\n") != 0 || !strings.HasPrefix(got, "b.toml:") || !strings.HasSuffix(got, c.want) {
			t.Errorf("%q:\n got %s\nwant b.toml:LINE:COL: %s", c.add, got, c.want)
		}
		var e *Error
		if errors.As(err, &e) && len(e.Problems) == 1 && e.Problems[0].Line <= 0 {
			t.Errorf("%q: no line in %s (file has %d lines)", c.add, got, lines)
		}
	}
}

// TestDistProblemsTogether: a distribution with a parameter missing still
// has its other parameters checked, so that every problem is listed at
// once (pareto's alpha = -1 was reported only after min was added).
func TestDistProblemsTogether(t *testing.T) {
	src := "schema = 1\nname = \"p\"\n[world]\npower = { dist = \"pareto\", alpha = -1 }\n"
	_, err := Parse("p.toml", []byte(src))
	want := []string{
		`p.toml:4:1: world.power.min: missing: dist = "pareto" needs alpha and min`,
		`p.toml:4:28: world.power.alpha = -1: want alpha > 0`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got %v\nwant %s", err, strings.Join(want, "\n"))
	}
}
