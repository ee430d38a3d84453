package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/sim"
	"github.com/normsim/normsim/sweep"
)

// The sweep charts' names: phase_established, param_KEY_established,
// param_KEY_practice, sobol_established, sobol_practice,
// morris_established, morris_practice.
var sweepChartGlobs = []string{"phase_*", "param_*", "sobol_*", "morris_*"}

// practice is the measure of what states do that the sweep charts show:
// final_restraint, restraint among the states that are not revisionists
// over the last window (the practice P of the outcomes), as the scenarios'
// notices and the handouts quote it.
const practice = "final_restraint"

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
//   - param_KEY_established and param_KEY_practice, for every
//     parameter with at least two values: the established share (95%
//     Wilson interval) and the mean practice, final_restraint (95% Student-t
//     interval) against the parameter, pooling the runs over the other
//     parameters. A grid uses the parameter's values; lhs, sobol and morris
//     cut its range into bins (morris: one per level; otherwise about the
//     square root of the number of points, 2 to 10) placed at the mean
//     value of the runs in each;
//   - sobol_established and sobol_practice (sobol designs): S1 and ST
//     of the established share and of the mean practice; morris designs
//     get the (mu*, sigma) plane of each instead.
func drawSweepCharts(dir string) (paths, notes []string, err error) {
	m, err := sweep.ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	d := m.Design
	c := &sweepCharts{dir: dir, meta: plots.Meta{Scenario: m.Scenario, Seed: d.Seed, Replicates: d.Replicates,
		Version: strings.TrimPrefix(m.Program, "normsim "), Hash: m.ScenarioHash}}
	pooled, err := sweep.PoolRuns(dir, m, practice)
	if err != nil {
		return nil, nil, err
	}
	if pooled.Phase != nil {
		c.phase(pooled)
	} else if d.Kind == sweep.Grid {
		c.notes = append(c.notes, fmt.Sprintf("no phase diagram: it needs exactly two grid parameters, this sweep has %d", len(d.Params)))
	}
	for _, p := range pooled.Params {
		c.param(pooled, p)
	}
	switch d.Kind {
	case sweep.Sobol:
		c.sobol(d.Params)
	case sweep.Morris:
		c.morris(d.Params)
	}
	return c.paths, c.notes, errors.Join(c.errs...)
}

// sweepCharts collects what drawSweepCharts writes: the paths of the
// charts, the notes on those left out, and the errors.
type sweepCharts struct {
	dir          string
	meta         plots.Meta
	paths, notes []string
	errs         []error
}

// save saves figure f (made with error err) as name.png and name.svg.
func (c *sweepCharts) save(f *plots.Figure, err error, name string) {
	if err == nil {
		var ps []string
		ps, err = f.Save(c.dir, name)
		c.paths = append(c.paths, ps...)
	}
	if err != nil {
		c.errs = append(c.errs, fmt.Errorf("%s: %w", name, err))
	}
}

// phase draws the established share over a grid of two parameters.
func (c *sweepCharts) phase(pooled *sweep.Pooled) {
	ax, ay := pooled.Params[0], pooled.Params[1]
	z := make([][]float64, len(ay.X))
	for i := range z {
		z[i] = make([]float64, len(ax.X))
		for j := range z[i] {
			p := pooled.Phase[i][j]
			z[i][j] = math.NaN()
			if p.N > 0 {
				z[i][j] = float64(p.Established) / float64(p.N)
			}
		}
	}
	f, err := plots.PhaseDiagram(ax.X, ay.X, z, ax.Key, ay.Key, "established share", c.meta, plots.UnitScale())
	c.save(f, err, "phase_established")
}

// param draws the established share and the mean practice against
// one parameter, pooling the runs over the others.
func (c *sweepCharts) param(pooled *sweep.Pooled, p *sweep.ParamPools) {
	s := p.Series()
	if len(s.X) < 2 {
		c.notes = append(c.notes, fmt.Sprintf("no chart of %s: it takes a single value", p.Key))
		return
	}
	name := "param_" + sweep.FileSafe(p.Key)
	opts := []plots.Option{plots.UnitScale()}
	var others []string
	for _, q := range pooled.Params {
		if q != p {
			others = append(others, q.Key)
		}
	}
	if len(others) > 0 {
		opts = append(opts, plots.Pooled(others...))
	}
	if !p.Grid {
		opts = append(opts, plots.Binned(len(p.Pools)))
	}
	f, err := plots.ParamLine(s.X, s.Share, s.ShareLo, s.ShareHi, p.Key, "established share", c.meta, opts...)
	c.save(f, err, name+"_established")
	f, err = plots.ParamLine(s.X, s.Mean, s.MeanLo, s.MeanHi, p.Key, "mean practice (final_restraint)", c.meta, opts...)
	c.save(f, err, name+"_practice")
}

// sobol draws the Sobol' indices of the established share and of the
// mean practice.
func (c *sweepCharts) sobol(params []sweep.Param) {
	rows, err := sweep.ReadSensitivity(c.dir)
	if err != nil {
		c.errs = append(c.errs, err)
	}
	idx, err := sweep.SobolByOutput(rows, params)
	if err != nil {
		c.errs = append(c.errs, err)
	}
	for _, out := range []struct{ output, name, label string }{
		{sim.Established.String() + "_share", "sobol_established", "established share"},
		{practice + "_mean", "sobol_practice", "mean practice (final_restraint)"},
	} {
		s, ok := idx[out.output]
		if !ok {
			continue
		}
		if s.Undefined() {
			c.notes = append(c.notes, fmt.Sprintf("no %s chart: the %s does not vary over the design, so its Sobol' indices are undefined", out.name, out.label))
			continue
		}
		mt := c.meta
		mt.Scenario = fmt.Sprintf("%s (%s)", c.meta.Scenario, out.label)
		f, err := plots.SobolBars(s.Names, s.S1, s.S1Lo, s.S1Hi, s.ST, s.STLo, s.STHi, mt)
		c.save(f, err, out.name)
	}
}

// morris draws the Morris (mu*, sigma) plane of the established share and
// of the mean practice.
func (c *sweepCharts) morris(params []sweep.Param) {
	rows, err := sweep.ReadSensitivity(c.dir)
	if err != nil {
		c.errs = append(c.errs, err) // and no note that the outputs do not vary: they were not read
		return
	}
	for _, out := range []struct{ output, name, label string }{
		{sim.Established.String() + "_share", "morris_established", "the established share"},
		{practice + "_mean", "morris_practice", "the mean practice (final_restraint)"},
	} {
		m, ok := sweep.MorrisOf(rows, params, out.output)
		if !ok {
			c.notes = append(c.notes, fmt.Sprintf("no %s chart: %s does not vary over the design, so its Morris effects are undefined", out.name, out.label))
			continue
		}
		f, err := plots.MorrisPlane(m.Names, m.MuStar, m.Lo, m.Hi, m.Sigma, out.label, c.meta)
		c.save(f, err, out.name)
	}
}
