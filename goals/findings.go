package goals

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/normsim/normsim/results"
)

// Finding is one claim of the claims study: its verdict and effect in its
// own scenario and, when the robustness check ran, in how many settings
// it is supported and where it fails.
type Finding struct {
	Scenario string // its name key, which Open accepts: "claims-evidence"
	// Version, Hash, Seed and Replicates are the provenance: the program
	// that tested the claim, the scenario's hash, its master seed and the
	// paired replicates of each variant.
	Version    string
	Hash       string
	Seed       uint64
	Replicates int
	Claim      string
	Metric     string
	Vary       string
	Trend      string
	// Effect is the claim's effect size in its own scenario (Claim.Effect)
	// with its 95% interval; Supported its verdict there.
	Effect, Lo, Hi float64
	Supported      bool
	// Settings is the number of robustness settings tested (0: none),
	// Robust how many of them support the claim, Fails the names of the
	// others.
	Settings, Robust int
	Fails            []string
}

// Fragile reports whether the claim is supported in fewer than two thirds
// of the robustness settings.
func (f Finding) Fragile() bool { return f.Settings > 0 && 3*f.Robust < 2*f.Settings }

// NewFinding summarises a claim's test in its own scenario and in the
// robustness settings (nil robust: not checked).
func NewFinding(scenario string, own Claim, robust []Claim, settings []Setting) Finding {
	e := own.Effect()
	f := Finding{Scenario: scenario, Replicates: own.Replicates, Claim: own.Expect.Claim, Metric: own.Expect.Metric, Vary: own.Expect.Vary, Trend: own.Expect.Trend,
		Effect: e.Mean, Lo: e.Lo, Hi: e.Hi, Supported: own.Supported, Settings: len(robust)}
	for i, c := range robust {
		if c.Supported {
			f.Robust++
		} else {
			f.Fails = append(f.Fails, settings[i].Name)
		}
	}
	return f
}

var findingsHeader = []string{"scenario", "version", "scenario_hash", "seed", "replicates", "claim", "metric", "vary", "trend", "effect", "lo", "hi", "supported", "settings", "robust", "fails"}

// WriteFindings writes findings as CSV, one row per claim.
func WriteFindings(w io.Writer, fs []Finding) error {
	c := csv.NewWriter(w)
	if err := c.Write(findingsHeader); err != nil {
		return err
	}
	num := results.FormatFloat // a NaN is an empty cell, as in a run's CSVs
	for _, f := range fs {
		rec := []string{f.Scenario, f.Version, f.Hash, strconv.FormatUint(f.Seed, 10), strconv.Itoa(f.Replicates), f.Claim, f.Metric, f.Vary, f.Trend, num(f.Effect), num(f.Lo), num(f.Hi),
			strconv.FormatBool(f.Supported), strconv.Itoa(f.Settings), strconv.Itoa(f.Robust), strings.Join(f.Fails, "; ")}
		if err := c.Write(rec); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}

// ReadFindings reads what WriteFindings wrote.
func ReadFindings(r io.Reader) ([]Finding, error) {
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(findingsHeader, ",") {
		return nil, fmt.Errorf("goals: not a findings file (want the header %s)", strings.Join(findingsHeader, ","))
	}
	var out []Finding
	for i, rec := range recs[1:] {
		num := func(s string) float64 {
			if s == "" {
				return math.NaN()
			}
			x, perr := strconv.ParseFloat(s, 64)
			if perr != nil && err == nil {
				err = fmt.Errorf("goals: findings row %d: %v", i+2, perr)
			}
			return x
		}
		n := func(s string) int { return int(num(s)) }
		seed, serr := strconv.ParseUint(rec[3], 10, 64)
		if serr != nil && err == nil {
			err = fmt.Errorf("goals: findings row %d: seed: %v", i+2, serr)
		}
		f := Finding{Scenario: rec[0], Version: rec[1], Hash: rec[2], Seed: seed, Replicates: n(rec[4]),
			Claim: rec[5], Metric: rec[6], Vary: rec[7], Trend: rec[8],
			Effect: num(rec[9]), Lo: num(rec[10]), Hi: num(rec[11]), Supported: rec[12] == "true", Settings: n(rec[13]), Robust: n(rec[14])}
		if rec[15] != "" {
			f.Fails = strings.Split(rec[15], "; ")
		}
		out = append(out, f)
	}
	return out, err
}

// Markdown renders findings as the README's table: the claim, its
// scenario, the effect with its interval, the verdict and the robustness
// share; then the fragile claims with the settings where they fail.
func Markdown(fs []Finding) string {
	var b strings.Builder
	b.WriteString("| claim | scenario | effect (95% CI) | verdict | robustness |\n|---|---|---|---|---|\n")
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, f := range fs {
		verdict := "NOT SUPPORTED"
		if f.Supported {
			verdict = "SUPPORTED"
		}
		rob := "not checked"
		if f.Settings > 0 {
			rob = fmt.Sprintf("%d of %d", f.Robust, f.Settings)
			if f.Fragile() {
				rob += " (fragile)"
			}
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s [%s, %s] in `%s`, varying `%s` | %s | %s |\n", esc(f.Claim), f.Scenario,
			signed(f.Effect), Num(f.Lo), Num(f.Hi), f.Metric, esc(f.Vary), verdict, rob)
	}
	var fragile []Finding
	for _, f := range fs {
		if f.Fragile() {
			fragile = append(fragile, f)
		}
	}
	if len(fragile) > 0 {
		b.WriteString("\nFragile claims (supported in fewer than two thirds of the settings):\n\n")
		for _, f := range fragile {
			fmt.Fprintf(&b, "- %s (`%s`): not supported with %s.\n", f.Claim, f.Scenario, strings.Join(f.Fails, ", "))
		}
	}
	return b.String()
}
