package sweep

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// SensitivityRow is one row of sensitivity.csv: a statistic (S1 or ST of
// a sobol design; mu_star, mu or sigma of a morris design) of one output
// and parameter, with its 95% bootstrap interval (NaN where the output
// does not vary over the design).
type SensitivityRow struct {
	Output, Param, Stat string
	Interval
}

// sensitivityHeader is the header of sensitivity.csv.
var sensitivityHeader = append(append([]string(nil), provenance...), "seed", "output", "parameter", "statistic", "value", "lo", "hi")

// ReadSensitivity reads the sensitivity.csv of a sweep directory.
func ReadSensitivity(dir string) ([]SensitivityRow, error) {
	path := filepath.Join(dir, SensitivityFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(sensitivityHeader, ",") {
		return nil, fmt.Errorf("%s: not a sensitivity.csv of this version (want the header %s)", path, strings.Join(sensitivityHeader, ","))
	}
	n := len(provenance) + 1
	var out []SensitivityRow
	for i, r := range recs[1:] {
		var v [3]float64
		for j := range v {
			if r[n+3+j] == "" {
				v[j] = math.NaN()
				continue
			}
			if v[j], err = strconv.ParseFloat(r[n+3+j], 64); err != nil {
				return nil, fmt.Errorf("%s:%d: %q: %v", path, i+2, r[n+3+j], err)
			}
		}
		out = append(out, SensitivityRow{Output: r[n], Param: r[n+1], Stat: r[n+2], Interval: Interval{v[0], v[1], v[2]}})
	}
	return out, nil
}

// sobolSlack is how far an estimate may stray beyond what the indices
// can be (0 <= S1 <= ST <= 1) before the design is called too small:
// estimates from a finite sample scatter around the truth, a little.
const sobolSlack = 0.05

// SensitivityWarnings returns what makes the indices of a sobol design
// unreliable: estimates that stray outside 0 <= S1 <= ST <= 1 by more
// than sobolSlack, which a design of too few base samples gives (Saltelli
// et al. 2010, "Variance based sensitivity analysis of model output",
// Comput. Phys. Commun. 181, use 500 and more). Outputs that do not vary
// (NaN indices) are not warned about: their indices are undefined, not
// badly estimated. Other designs get no warning.
func SensitivityWarnings(d Design, rows []SensitivityRow) []string {
	if d.Kind != Sobol {
		return nil
	}
	st := map[[2]string]float64{}
	for _, r := range rows {
		if r.Stat == "ST" {
			st[[2]string{r.Output, r.Param}] = r.Value
		}
	}
	var bad []string
	for _, r := range rows {
		v := r.Value
		if math.IsNaN(v) {
			continue
		}
		switch {
		case v < -sobolSlack || v > 1+sobolSlack:
			bad = append(bad, fmt.Sprintf("%s of %s for %s is %.3g, outside [0, 1]", r.Stat, r.Param, r.Output, v))
		case r.Stat == "S1" && v > st[[2]string{r.Output, r.Param}]+sobolSlack:
			bad = append(bad, fmt.Sprintf("S1 of %s for %s is %.3g, above its ST %.3g", r.Param, r.Output, v, st[[2]string{r.Output, r.Param}]))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	more := ""
	if len(bad) > 3 {
		more = fmt.Sprintf(" (and %d more)", len(bad)-3)
		bad = bad[:3]
	}
	return []string{fmt.Sprintf("the sobol design's %d base samples are too few to estimate its indices: %s%s; raise sweep.samples (a power of two: 512 or more)",
		d.Normalize().Samples, strings.Join(bad, "; "), more)}
}
