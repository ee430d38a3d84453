package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/sim"
	"github.com/normsim/normsim/sweep"
)

// The sweep charts' names: phase_established, param_KEY_established,
// param_KEY_restraint_rate, sobol_established, sobol_restraint_rate.
var sweepChartGlobs = []string{"phase_*", "param_*", "sobol_*"}

// removeSweepCharts deletes the charts an earlier sweep drew in dir.
func removeSweepCharts(dir string) {
	for _, g := range sweepChartGlobs {
		for _, ext := range []string{".png", ".svg"} {
			old, _ := filepath.Glob(filepath.Join(dir, g+ext))
			for _, f := range old {
				os.Remove(f)
			}
		}
	}
}

// drawSweepCharts draws the charts of a complete sweep directory from its
// manifest, runs.csv and sensitivity.csv, and returns the paths written.
// Notes say which charts were left out and why.
//
//   - phase_established: the established share over the two parameters of
//     a grid with exactly two (pooled over duplicate values);
//   - param_KEY_established and param_KEY_restraint_rate, for every
//     parameter with at least two values: the established share (95%
//     Wilson interval) and the mean final restraint_rate (95% Student-t
//     interval) against the parameter, pooling the runs over the other
//     parameters. A grid uses the parameter's values; lhs, sobol and morris
//     cut its range into bins (morris: one per level; otherwise about the
//     square root of the number of points, 2 to 10) placed at the mean
//     value of the runs in each;
//   - sobol_established and sobol_restraint_rate (sobol designs): S1 and ST
//     of the established share and of the mean restraint_rate.
func drawSweepCharts(dir string) (paths, notes []string, err error) {
	m, err := sweep.ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	d := m.Design
	meta := plots.Meta{Scenario: m.Scenario, Seed: d.Seed, Replicates: d.Replicates,
		Version: strings.TrimPrefix(m.Program, "normsim "), Hash: m.ScenarioHash}
	agg, err := aggregateRuns(filepath.Join(dir, sweep.RunsFile), m)
	if err != nil {
		return nil, nil, err
	}
	var errs []error
	save := func(f *plots.Figure, err error, name string) {
		if err == nil {
			var ps []string
			ps, err = f.Save(dir, name)
			paths = append(paths, ps...)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}

	if agg.phase != nil {
		ax, ay := agg.params[0], agg.params[1]
		z := make([][]float64, len(ay.x))
		for i := range z {
			z[i] = make([]float64, len(ax.x))
			for j := range z[i] {
				c := agg.phase[i][j]
				z[i][j] = math.NaN()
				if c.n > 0 {
					z[i][j] = float64(c.est) / float64(c.n)
				}
			}
		}
		f, err := plots.PhaseDiagram(ax.x, ay.x, z, ax.key, ay.key, "established share", meta, plots.UnitScale())
		save(f, err, "phase_established")
	} else if d.Kind == sweep.Grid {
		notes = append(notes, fmt.Sprintf("no phase diagram: it needs exactly two grid parameters, this sweep has %d", len(d.Params)))
	}

	for _, p := range agg.params {
		x, share, slo, shi, mean, mlo, mhi := p.series()
		if len(x) < 2 {
			notes = append(notes, fmt.Sprintf("no chart of %s: it takes a single value", p.key))
			continue
		}
		name := "param_" + fileSafe(p.key)
		opts := []plots.Option{plots.UnitScale()}
		var others []string
		for _, q := range agg.params {
			if q != p {
				others = append(others, q.key)
			}
		}
		if len(others) > 0 {
			opts = append(opts, plots.Pooled(others...))
		}
		if !p.grid {
			opts = append(opts, plots.Binned(len(p.cells)))
		}
		f, err := plots.ParamLine(x, share, slo, shi, p.key, "established share", meta, opts...)
		save(f, err, name+"_established")
		f, err = plots.ParamLine(x, mean, mlo, mhi, p.key, "mean final restraint_rate", meta, opts...)
		save(f, err, name+"_restraint_rate")
	}

	if d.Kind == sweep.Sobol {
		rows, err := sweep.ReadSensitivity(dir)
		if err != nil {
			errs = append(errs, err)
		}
		idx, err := sobolSets(rows, d.Params)
		if err != nil {
			errs = append(errs, err)
		}
		for _, out := range []struct{ output, name, label string }{
			{sim.Established.String() + "_share", "sobol_established", "established share"},
			{"restraint_rate_mean", "sobol_restraint_rate", "mean final restraint_rate"},
		} {
			s, ok := idx[out.output]
			if !ok {
				continue
			}
			if s.undefined() {
				notes = append(notes, fmt.Sprintf("no %s chart: the %s does not vary over the design, so its Sobol' indices are undefined", out.name, out.label))
				continue
			}
			mt := meta
			mt.Scenario = fmt.Sprintf("%s (%s)", meta.Scenario, out.label)
			f, err := plots.SobolBars(s.names, s.v[0], s.v[1], s.v[2], s.v[3], s.v[4], s.v[5], mt)
			save(f, err, out.name)
		}
	}
	if d.Kind == sweep.Morris {
		rows, err := sweep.ReadSensitivity(dir)
		if err != nil {
			errs = append(errs, err)
		}
		for _, out := range []struct{ output, name, label string }{
			{sim.Established.String() + "_share", "morris_established", "the established share"},
			{"restraint_rate_mean", "morris_restraint_rate", "the mean final restraint_rate"},
		} {
			names, ms, lo, hi, sg, ok := morrisSet(rows, d.Params, out.output)
			if !ok {
				notes = append(notes, fmt.Sprintf("no %s chart: %s does not vary over the design, so its Morris effects are undefined", out.name, out.label))
				continue
			}
			f, err := plots.MorrisPlane(names, ms, lo, hi, sg, out.label, meta)
			save(f, err, out.name)
		}
	}
	return paths, notes, errors.Join(errs...)
}

// morrisSet gathers the Morris measures of one output, per parameter in
// design order: mu* with its interval, and sigma; ok is false when any is
// undefined (the output does not vary) or missing.
func morrisSet(rows []sweep.SensitivityRow, params []sweep.Param, output string) (names []string, ms, lo, hi, sg []float64, ok bool) {
	at := map[string]int{}
	for i, p := range params {
		at[p.Key] = i
		names = append(names, p.Key)
	}
	n := len(params)
	ms, lo, hi, sg = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	seen := 0
	for _, r := range rows {
		i, known := at[r.Param]
		if r.Output != output || !known {
			continue
		}
		switch r.Stat {
		case "mu_star":
			ms[i], lo[i], hi[i] = r.Value, r.Lo, r.Hi
			seen++
		case "sigma":
			sg[i] = r.Value
			seen++
		}
	}
	if seen != 2*n {
		return nil, nil, nil, nil, nil, false
	}
	for i := range n {
		for _, v := range []float64{ms[i], lo[i], hi[i], sg[i]} {
			if math.IsNaN(v) {
				return nil, nil, nil, nil, nil, false
			}
		}
	}
	return names, ms, lo, hi, sg, true
}

// fileSafe turns a key into a file name part.
func fileSafe(key string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, key)
}

// cell pools runs: their number, how many established, and the running
// mean and sum of squared deviations of the final restraint_rate
// (Welford's algorithm).
type cell struct {
	n, est int
	xsum   float64 // sum of the parameter's values (bin positions)
	mean   float64
	m2     float64
}

func (c *cell) add(x float64, est bool, y float64) {
	c.n++
	if est {
		c.est++
	}
	c.xsum += x
	dy := y - c.mean
	c.mean += dy / float64(c.n)
	c.m2 += dy * (y - c.mean)
}

// paramAgg pools the runs by one parameter's value (grid) or bin (other
// designs).
type paramAgg struct {
	key   string
	grid  bool
	index map[float64]int // grid: value -> position in x (lookups only)
	x     []float64       // grid: the distinct values, increasing
	lo    float64         // bins: [lo, hi) cut in len(cells) bins
	hi    float64
	cells []cell
}

func (p *paramAgg) pos(v float64) int {
	if p.grid {
		if i, ok := p.index[v]; ok {
			return i
		}
		return -1
	}
	b := len(p.cells)
	i := int(math.Floor((v - p.lo) / (p.hi - p.lo) * float64(b)))
	return min(max(i, 0), b-1)
}

// series returns the lines of the parameter's charts, over the positions
// that hold runs.
func (p *paramAgg) series() (x, share, slo, shi, mean, mlo, mhi []float64) {
	for i, c := range p.cells {
		if c.n == 0 {
			continue
		}
		xi := c.xsum / float64(c.n)
		if p.grid {
			xi = p.x[i]
		}
		x = append(x, xi)
		sh, lo, hi := stats.Share(c.est, c.n)
		share, slo, shi = append(share, sh), append(slo, lo), append(shi, hi)
		l, h := c.mean, c.mean
		if c.n > 1 {
			l, h = stats.Interval(c.n, c.mean, math.Sqrt(c.m2/float64(c.n-1)), stats.Unit)
		}
		mean, mlo, mhi = append(mean, c.mean), append(mlo, l), append(mhi, h)
	}
	return
}

// runsAgg is what the charts need from runs.csv.
type runsAgg struct {
	params []*paramAgg
	phase  [][]cell // [y = second parameter][x = first parameter], grids of two parameters
}

// aggregateRuns reads runs.csv once, pooling runs by parameter values.
func aggregateRuns(path string, m *sweep.Manifest) (*runsAgg, error) {
	d := m.Design
	agg := &runsAgg{}
	bins := 0
	switch d.Kind {
	case sweep.Grid:
	case sweep.Morris:
		bins = max(2, d.Levels)
	default:
		bins = min(10, max(2, int(math.Sqrt(float64(m.Points)))))
	}
	for _, q := range d.Params {
		p := &paramAgg{key: q.Key, grid: d.Kind == sweep.Grid}
		if p.grid {
			p.x = slices.Clone(q.Values)
			slices.Sort(p.x)
			p.x = slices.Compact(p.x)
			p.index = make(map[float64]int, len(p.x))
			for i, v := range p.x {
				p.index[v] = i
			}
			p.cells = make([]cell, len(p.x))
		} else {
			p.lo, p.hi = q.Min, q.Max
			p.cells = make([]cell, bins)
		}
		agg.params = append(agg.params, p)
	}
	if d.Kind == sweep.Grid && len(d.Params) == 2 {
		agg.phase = make([][]cell, len(agg.params[1].x))
		for i := range agg.phase {
			agg.phase[i] = make([]cell, len(agg.params[0].x))
		}
	}

	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	k := len(d.Params)
	base := slices.Index(head, "point") + 1 // the parameters follow the provenance, run and point columns
	iOut, iRate := -1, -1
	for i := base + k; i < len(head); i++ {
		switch head[i] {
		case "outcome":
			iOut = i
		case sim.MetricNames[sim.RestraintRate]:
			iRate = i
		}
	}
	if base == 0 || len(head) < base+k || iOut < 0 || iRate < 0 {
		return nil, fmt.Errorf("%s: not the runs.csv of this sweep (columns %s)", path, strings.Join(head, ","))
	}
	for i, q := range d.Params {
		if head[base+i] != q.Key {
			return nil, fmt.Errorf("%s: column %d is %q, want the parameter %q", path, base+i+1, head[base+i], q.Key)
		}
	}
	established := sim.Established.String()
	vals := make([]float64, k)
	pos := make([]int, k)
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for i := range k {
			if vals[i], err = strconv.ParseFloat(rec[base+i], 64); err != nil {
				return nil, fmt.Errorf("%s:%d: %s = %q: %v", path, line, d.Params[i].Key, rec[base+i], err)
			}
		}
		y, err := strconv.ParseFloat(rec[iRate], 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: restraint_rate = %q: %v", path, line, rec[iRate], err)
		}
		est := rec[iOut] == established
		for i, p := range agg.params {
			pos[i] = p.pos(vals[i])
			if pos[i] < 0 {
				return nil, fmt.Errorf("%s:%d: %s = %v is not a value of the design", path, line, p.key, vals[i])
			}
			p.cells[pos[i]].add(vals[i], est, y)
		}
		if agg.phase != nil {
			agg.phase[pos[1]][pos[0]].add(0, est, y)
		}
	}
	return agg, nil
}

// sobolSet holds the Sobol' indices of one output, per parameter in
// design order: S1, its lo and hi, ST, its lo and hi.
type sobolSet struct {
	names []string
	v     [6][]float64
}

func (s *sobolSet) undefined() bool {
	for _, v := range s.v {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return true
			}
		}
	}
	return false
}

// sobolSets groups the S1 and ST rows of a sweep's sensitivity indices
// by output, in the order of params.
func sobolSets(rows []sweep.SensitivityRow, params []sweep.Param) (map[string]*sobolSet, error) {
	at := map[string]int{}
	for i, p := range params {
		at[p.Key] = i
	}
	out := map[string]*sobolSet{}
	for _, r := range rows {
		var off int
		switch r.Stat {
		case "S1":
			off = 0
		case "ST":
			off = 3
		default:
			continue
		}
		i, ok := at[r.Param]
		if !ok {
			return nil, fmt.Errorf("%s: unknown parameter %q", sweep.SensitivityFile, r.Param)
		}
		s := out[r.Output]
		if s == nil {
			s = &sobolSet{}
			for _, p := range params {
				s.names = append(s.names, p.Key)
			}
			for j := range s.v {
				s.v[j] = make([]float64, len(params))
			}
			out[r.Output] = s
		}
		s.v[off][i], s.v[off+1][i], s.v[off+2][i] = r.Value, r.Lo, r.Hi
	}
	return out, nil
}
