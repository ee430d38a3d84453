package main

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/normsim/normsim/goals"
	hp "github.com/normsim/normsim/handout"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// claimsCommand is `normsim claims`.
var claimsCommand = &command{
	Name:    "claims",
	Summary: "the claims study: test every claim of MODEL.md in its scenario (and, with --robust, in 18 other worlds)",
	Usage:   "claims [--robust] [-o DIR] [--force] [--workers N] [--markdown]",
	Help: `Claims runs the claims study: every claim of the scenarios in
scenarios/claims (MODEL.md's thirteen mechanism claims), each in its own
scenario with paired seeds, as 'normsim check' tests it. It prints one line
per claim (SUPPORTED or NOT SUPPORTED, with its effect and 95% interval).

--robust also tests each claim in 18 settings beyond its own set-up: 50,
193 and 1,000 states, a complete, a blocs and a scale-free network, and
decision precision 2 and 5; a claim supported in fewer than two thirds of
them is fragile, and the settings where it fails are listed.

-o DIR writes findings.csv (one row per claim), FINDINGS.md (the table of
the README's findings, generated from findings.csv) and, with --robust,
robustness.csv (one row per claim and setting) and robustness.png/.svg
(the chart of claims x settings, coloured by effect size and sign). --markdown prints that
table instead of the lines. The study of the README is
'normsim claims --robust -o docs/claims'.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		o := &claimsOptions{}
		fs.BoolVar(&o.robust, "robust", false, "also test every claim in the 18 robustness settings")
		fs.StringVar(&o.out, "o", "", "write findings.csv, robustness.csv and FINDINGS.md into `DIR`")
		fs.BoolVar(&o.force, "force", false, "overwrite the findings in DIR")
		fs.IntVar(&o.workers, "workers", 0, "run `N` replicates at once (default: one per core, no more than fit in memory); results do not depend on it")
		fs.BoolVar(&o.markdown, "markdown", false, "print the findings as the README's Markdown table")
		return func(args []string) error { return runClaims(e, o, args) }
	},
}

type claimsOptions struct {
	robust, force, markdown bool
	out                     string
	workers                 int
}

// FindingsFile, RobustnessFile and FindingsTable are the files of a claims
// study's output directory; the first two are the names the study's
// handout reads them by.
const (
	FindingsFile   = hp.FindingsFile
	RobustnessFile = hp.RobustnessFile
	FindingsTable  = "FINDINGS.md"
)

func runClaims(e *env, o *claimsOptions, args []string) error {
	if len(args) > 0 {
		return usageErrorf("claims", "takes no arguments (got %q): it runs every scenario of scenarios/claims", args)
	}
	if o.workers < 0 {
		return usageErrorf("claims", "--workers = %d: want 0 (all cores) or more", o.workers)
	}
	if o.out != "" && !o.force {
		if _, err := os.Stat(filepath.Join(o.out, FindingsFile)); err == nil {
			return usageErrorf("claims", "%s already holds findings: not overwritten (use --force to replace them, or another -o)", o.out)
		}
	}
	st := &claimsStudy{hash: sha256.New()}
	if o.robust {
		st.settings = goals.Settings()
	}
	for _, entry := range scenarios.Claims() {
		if err := st.test(e, o, entry.Name); err != nil {
			return err
		}
	}
	if o.markdown {
		fmt.Fprint(e.stdout, goals.Markdown(st.findings))
	}
	if o.out != "" {
		if err := saveFindings(o.out, st.findings, st.robustRows); err != nil {
			return failuref("claims", "%v", err)
		}
		if o.robust {
			if err := saveRobustChart(o.out, st.settings, st.robustClaims, results.Meta{
				Scenario: "claims study", Version: programVersion, Hash: hex.EncodeToString(st.hash.Sum(nil)), Seed: st.seed}); err != nil {
				return failuref("claims", "%v", err)
			}
		}
		if !o.markdown {
			fmt.Fprintf(e.stdout, "wrote %s\n", o.out)
		}
	}
	return nil
}

// claimsStudy is what the claims study has found so far.
type claimsStudy struct {
	settings     []goals.Setting // the robustness settings: none without --robust
	findings     []goals.Finding
	robustRows   [][]string      // the rows of robustness.csv
	robustClaims [][]goals.Claim // claim x setting, for the chart
	hash         hash.Hash       // the study's hash: of its scenarios' hashes
	seed         uint64
}

// test tests every claim of the study's scenario name (and, with
// --robust, in every setting) and prints each finding, unless --markdown.
func (st *claimsStudy) test(e *env, o *claimsOptions, name string) error {
	s, err := scenarios.Open(name)
	if err != nil {
		return invalidInput("claims", err)
	}
	io.WriteString(st.hash, s.Hash())
	cfg, err := s.Config()
	if err != nil {
		return invalidInput("claims", err)
	}
	st.seed = cfg.Run.Seed
	prov := []string{name, programVersion, s.Hash(), strconv.FormatUint(st.seed, 10)}
	opt := sim.RunOptions{Workers: o.workers}
	var robust [][]goals.Claim
	if o.robust {
		if robust, err = goals.Robust(e.ctx, s, st.settings, opt, nil); err != nil {
			return failuref("claims", "%s: %v", name, err)
		}
	}
	i := 0
	for _, c := range s.Expect {
		if !c.IsClaim() {
			continue
		}
		own, err := goals.Run(e.ctx, s, c, opt)
		if err != nil {
			return failuref("claims", "%s: %v", name, err)
		}
		var rob []goals.Claim
		if o.robust {
			rob = robust[i]
			st.robustClaims = append(st.robustClaims, rob)
			st.robustRows = append(st.robustRows, robustnessRows(prov, c.Claim, rob, st.settings)...)
		}
		f := goals.NewFinding(name, own, rob, st.settings)
		f.Version, f.Hash, f.Seed = programVersion, s.Hash(), st.seed
		st.findings = append(st.findings, f)
		if !o.markdown {
			printFinding(e.stdout, f)
		}
		i++
	}
	return nil
}

// robustnessHeader is the header of robustness.csv.
var robustnessHeader = []string{"scenario", "version", "scenario_hash", "seed", "claim", "setting", "supported", "effect", "lo", "hi"}

// robustnessRows are the rows of robustness.csv of one claim: prov (the
// provenance columns), then for each setting the claim, the setting,
// whether it is supported there, and its effect with its interval.
func robustnessRows(prov []string, claim string, rob []goals.Claim, settings []goals.Setting) [][]string {
	rows := make([][]string, len(rob))
	for j, r := range rob {
		ef := r.Effect()
		rows[j] = append(slices.Clone(prov), claim, settings[j].Name, strconv.FormatBool(r.Supported),
			results.FormatFloat(ef.Mean), results.FormatFloat(ef.Lo), results.FormatFloat(ef.Hi))
	}
	return rows
}

// printFinding prints a finding in one line (two with robustness): the
// verdict first, so that a script can count them.
func printFinding(w io.Writer, f goals.Finding) {
	verdict := "NOT SUPPORTED"
	if f.Supported {
		verdict = "SUPPORTED"
	}
	fmt.Fprintf(w, "%-13s  %s (%s): effect %s %s\n", verdict, f.Claim, f.Scenario, goals.Num(f.Effect), goals.Interval(f.Lo, f.Hi))
	if f.Settings > 0 {
		line := fmt.Sprintf("               robust in %d of %d settings", f.Robust, f.Settings)
		if f.Fragile() {
			line += " (fragile)"
		}
		fmt.Fprintln(w, line)
	}
}

// saveFindings writes the study's files.
func saveFindings(dir string, fs []goals.Finding, robust [][]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := results.WriteFile(filepath.Join(dir, FindingsFile), func(w io.Writer) error { return goals.WriteFindings(w, fs) }); err != nil {
		return err
	}
	if err := results.WriteBytes(filepath.Join(dir, FindingsTable), []byte(goals.Markdown(fs))); err != nil {
		return err
	}
	if robust == nil {
		return nil
	}
	return results.WriteFile(filepath.Join(dir, RobustnessFile), func(w io.Writer) error {
		return writeCSV(w, append([][]string{robustnessHeader}, robust...))
	})
}

// writeCSV writes rows as CSV.
func writeCSV(w io.Writer, rows [][]string) error {
	c := csv.NewWriter(w)
	if err := c.WriteAll(rows); err != nil {
		return err
	}
	return c.Error()
}
