package sweep

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// Pool pools runs: their number, how many ended established, the sum of
// the parameter's values (a bin's position is their mean) and the running
// mean and sum of squared deviations of one metric's final value
// (Welford's algorithm).
type Pool struct {
	N, Established int
	XSum           float64
	Mean, M2       float64
}

// Add pools one run: at parameter value x, established or not, with the
// metric's final value y.
func (c *Pool) Add(x float64, established bool, y float64) {
	c.N++
	if established {
		c.Established++
	}
	c.XSum += x
	dy := y - c.Mean
	c.Mean += dy / float64(c.N)
	c.M2 += dy * (y - c.Mean)
}

// ParamPools pools the runs by one parameter's value (a grid) or bin
// (lhs, sobol and morris: [Lo, Hi) cut in len(Pools) bins).
type ParamPools struct {
	Key   string
	Grid  bool
	X     []float64 // grid: the distinct values, increasing
	Lo    float64   // bins
	Hi    float64
	Pools []Pool

	index map[float64]int // grid: value -> position in X (lookups only)
}

// pos returns the position of value v: its index in X, or its bin; -1 for
// a value that is not one of the grid's.
func (p *ParamPools) pos(v float64) int {
	if p.Grid {
		if i, ok := p.index[v]; ok {
			return i
		}
		return -1
	}
	b := len(p.Pools)
	i := int(math.Floor((v - p.Lo) / (p.Hi - p.Lo) * float64(b)))
	return min(max(i, 0), b-1)
}

// ParamSeries are the lines of a parameter's charts, over the positions
// that hold runs: the established share with its 95% Wilson interval, and
// the metric's mean with its 95% Student-t interval.
type ParamSeries struct {
	X                       []float64
	Share, ShareLo, ShareHi []float64
	Mean, MeanLo, MeanHi    []float64
}

// Series returns the parameter's lines.
func (p *ParamPools) Series() ParamSeries {
	var s ParamSeries
	for i, c := range p.Pools {
		if c.N == 0 {
			continue
		}
		xi := c.XSum / float64(c.N)
		if p.Grid {
			xi = p.X[i]
		}
		s.X = append(s.X, xi)
		sh, lo, hi := stats.Share(c.Established, c.N)
		s.Share, s.ShareLo, s.ShareHi = append(s.Share, sh), append(s.ShareLo, lo), append(s.ShareHi, hi)
		l, h := c.Mean, c.Mean
		if c.N > 1 {
			l, h = stats.Interval(c.N, c.Mean, math.Sqrt(c.M2/float64(c.N-1)), stats.Unit)
		}
		s.Mean, s.MeanLo, s.MeanHi = append(s.Mean, c.Mean), append(s.MeanLo, l), append(s.MeanHi, h)
	}
	return s
}

// Pooled is what the sweep charts need from runs.csv: the runs pooled by
// each parameter, and, for a grid of exactly two parameters, by both
// (Phase[y][x]: y the second parameter's position, x the first's).
type Pooled struct {
	Params []*ParamPools
	Phase  [][]Pool
}

// PoolRuns reads the runs.csv of the sweep directory dir, whose manifest
// is m, once, pooling the runs' outcomes and the final values of metric (a
// column of runs.csv after the outcome, e.g. "final_restraint") by
// parameter values. A grid pools by each distinct value; morris by level;
// lhs and sobol in about the square root of the number of points bins
// (2 to 10).
func PoolRuns(dir string, m *Manifest, metric string) (*Pooled, error) {
	pooled := newPooled(m)
	path := filepath.Join(dir, RunsFile)
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
	cols, err := runsColumns(path, head, m.Design.Params, metric)
	if err != nil {
		return nil, err
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return pooled, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if err := pooled.add(rec, cols, m.Design.Params); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}

// newPooled makes the empty pools of m's design.
func newPooled(m *Manifest) *Pooled {
	d := m.Design
	bins := 0
	switch d.Kind {
	case Grid:
	case Morris:
		bins = max(2, d.Levels)
	default:
		bins = min(10, max(2, int(math.Sqrt(float64(m.Points)))))
	}
	pooled := &Pooled{}
	for _, q := range d.Params {
		p := &ParamPools{Key: q.Key, Grid: d.Kind == Grid}
		if p.Grid {
			p.X = slices.Clone(q.Values)
			slices.Sort(p.X)
			p.X = slices.Compact(p.X)
			p.index = make(map[float64]int, len(p.X))
			for i, v := range p.X {
				p.index[v] = i
			}
			p.Pools = make([]Pool, len(p.X))
		} else {
			p.Lo, p.Hi = q.Min, q.Max
			p.Pools = make([]Pool, bins)
		}
		pooled.Params = append(pooled.Params, p)
	}
	if d.Kind == Grid && len(d.Params) == 2 {
		pooled.Phase = make([][]Pool, len(pooled.Params[1].X))
		for i := range pooled.Phase {
			pooled.Phase[i] = make([]Pool, len(pooled.Params[0].X))
		}
	}
	return pooled
}

// runsCols are the positions in runs.csv of the parameters (from base on,
// in design order), the outcome and the pooled metric.
type runsCols struct{ base, outcome, metric int }

// runsColumns finds the columns of runs.csv that pooling reads, and
// refuses a file that is not the runs.csv of this design.
func runsColumns(path string, head []string, params []Param, metric string) (runsCols, error) {
	k := len(params)
	c := runsCols{base: slices.Index(head, "point") + 1, outcome: -1, metric: -1} // the parameters follow the provenance, run and point columns
	for i := c.base + k; i < len(head); i++ {
		switch head[i] {
		case "outcome":
			c.outcome = i
		case metric:
			c.metric = i
		}
	}
	if c.base == 0 || len(head) < c.base+k || c.outcome < 0 || c.metric < 0 {
		return c, fmt.Errorf("%s: not the runs.csv of this sweep (columns %s)", path, strings.Join(head, ","))
	}
	for i, q := range params {
		if head[c.base+i] != q.Key {
			return c, fmt.Errorf("%s: column %d is %q, want the parameter %q", path, c.base+i+1, head[c.base+i], q.Key)
		}
	}
	return c, nil
}

// add pools the run of one record of runs.csv.
func (pooled *Pooled) add(rec []string, c runsCols, params []Param) error {
	vals := make([]float64, len(params))
	for i := range params {
		var err error
		if vals[i], err = strconv.ParseFloat(rec[c.base+i], 64); err != nil {
			return fmt.Errorf("%s = %q: %v", params[i].Key, rec[c.base+i], err)
		}
	}
	y, err := strconv.ParseFloat(rec[c.metric], 64)
	if err != nil {
		return fmt.Errorf("column %d = %q: %v", c.metric+1, rec[c.metric], err)
	}
	est := rec[c.outcome] == sim.Established.String()
	pos := make([]int, len(params))
	for i, p := range pooled.Params {
		if pos[i] = p.pos(vals[i]); pos[i] < 0 {
			return fmt.Errorf("%s = %v is not a value of the design", p.Key, vals[i])
		}
		p.Pools[pos[i]].Add(vals[i], est, y)
	}
	if pooled.Phase != nil {
		pooled.Phase[pos[1]][pos[0]].Add(0, est, y)
	}
	return nil
}

// SobolIndices are the Sobol' indices of one output, per parameter in
// design order, with their intervals.
type SobolIndices struct {
	Names                          []string
	S1, S1Lo, S1Hi, ST, STLo, STHi []float64
}

// Undefined reports whether any index is NaN or infinite: the output does
// not vary over the design.
func (s *SobolIndices) Undefined() bool {
	for _, v := range [][]float64{s.S1, s.S1Lo, s.S1Hi, s.ST, s.STLo, s.STHi} {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return true
			}
		}
	}
	return false
}

// SobolByOutput groups the S1 and ST rows of a sweep's sensitivity
// indices by output, in the order of params.
func SobolByOutput(rows []SensitivityRow, params []Param) (map[string]*SobolIndices, error) {
	at := map[string]int{}
	for i, p := range params {
		at[p.Key] = i
	}
	out := map[string]*SobolIndices{}
	for _, r := range rows {
		if r.Stat != "S1" && r.Stat != "ST" {
			continue
		}
		i, ok := at[r.Param]
		if !ok {
			return nil, fmt.Errorf("%s: unknown parameter %q", SensitivityFile, r.Param)
		}
		s := out[r.Output]
		if s == nil {
			n := len(params)
			s = &SobolIndices{S1: make([]float64, n), S1Lo: make([]float64, n), S1Hi: make([]float64, n),
				ST: make([]float64, n), STLo: make([]float64, n), STHi: make([]float64, n)}
			for _, p := range params {
				s.Names = append(s.Names, p.Key)
			}
			out[r.Output] = s
		}
		if r.Stat == "S1" {
			s.S1[i], s.S1Lo[i], s.S1Hi[i] = r.Value, r.Lo, r.Hi
		} else {
			s.ST[i], s.STLo[i], s.STHi[i] = r.Value, r.Lo, r.Hi
		}
	}
	return out, nil
}

// MorrisMeasures are the Morris measures of one output, per parameter in
// design order: mu* with its interval, and sigma.
type MorrisMeasures struct {
	Names                 []string
	MuStar, Lo, Hi, Sigma []float64
}

// MorrisOf gathers the Morris measures of output; ok is false when any is
// undefined (the output does not vary) or missing.
func MorrisOf(rows []SensitivityRow, params []Param, output string) (m MorrisMeasures, ok bool) {
	at := map[string]int{}
	for i, p := range params {
		at[p.Key] = i
		m.Names = append(m.Names, p.Key)
	}
	n := len(params)
	m.MuStar, m.Lo, m.Hi, m.Sigma = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	seen := 0
	for _, r := range rows {
		i, known := at[r.Param]
		if r.Output != output || !known {
			continue
		}
		switch r.Stat {
		case "mu_star":
			m.MuStar[i], m.Lo[i], m.Hi[i] = r.Value, r.Lo, r.Hi
			seen++
		case "sigma":
			m.Sigma[i] = r.Value
			seen++
		}
	}
	if seen != 2*n {
		return MorrisMeasures{}, false
	}
	for i := range n {
		for _, v := range []float64{m.MuStar[i], m.Lo[i], m.Hi[i], m.Sigma[i]} {
			if math.IsNaN(v) {
				return MorrisMeasures{}, false
			}
		}
	}
	return m, true
}

// FileSafe is how a sweep's chart files name a parameter's key
// (param_KEY_practice): letters, digits, '.', '-' and '_' are kept, any
// other character becomes '_'.
func FileSafe(key string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, key)
}
