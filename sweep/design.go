package sweep

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// The kinds of design.
const (
	Grid   = "grid"   // full factorial over lists of values
	LHS    = "lhs"    // Latin hypercube sample (McKay, Beckman and Conover 1979)
	Sobol  = "sobol"  // Saltelli's A, B, AB_i matrices for Sobol' indices (Saltelli et al. 2010)
	Morris = "morris" // Morris (1991) elementary-effect trajectories
)

// Defaults applied by [Design.Normalize].
const (
	DefaultLevels    = 4   // Morris grid levels p
	DefaultBootstrap = 200 // bootstrap resamples for sensitivity intervals
)

// What one sweep may hold. Memory does not grow with the runs, but the
// journal takes about 300 bytes of disk a run; the design's points are
// held in memory (with a value per output each), and so are the
// replicates of one point while the outputs are written.
const (
	MaxRuns       = 1_000_000_000
	MaxPoints     = 1_000_000
	MaxReplicates = 100_000
)

// Param is one swept parameter. Key names it (a scenario key path such as
// "forum.inclusivity"; the package does not interpret it). A grid design
// uses Values; lhs, sobol and morris draw from the interval [Min, Max]
// (uniformly, or on the Morris grid of levels).
type Param struct {
	Key    string    `json:"key"`
	Values []float64 `json:"values,omitempty"`
	Min    float64   `json:"min,omitempty"`
	Max    float64   `json:"max,omitempty"`
}

// Design is an experimental design: which parameter combinations (design
// points) to run, and how many replicates of each. Everything a sweep
// runs, and every seed, is a function of the Design alone, so a run's
// result does not depend on where, when, or on how many workers it ran.
type Design struct {
	// Kind is Grid, LHS, Sobol or Morris.
	Kind   string  `json:"kind"`
	Params []Param `json:"params"`
	// Replicates is the number of runs per design point, >= 1.
	Replicates int `json:"replicates"`
	// Samples is, for lhs, the number of points; for sobol, the base
	// sample size N (the design has N*(k+2) points for k parameters; a
	// power of two keeps the Sobol' sequence balanced); for morris, the
	// number of trajectories r (r*(k+1) points). Unused by grid.
	Samples int `json:"samples,omitempty"`
	// Seed is the master seed. Point p's runs get the seed
	// [PointSeed](Seed, p); lhs and morris draw their points from PCG
	// streams of Seed; the bootstrap draws from another.
	Seed uint64 `json:"seed"`
	// Levels is the number p of Morris grid levels, even, >= 2; 0 means
	// DefaultLevels. Unused by other kinds.
	Levels int `json:"levels,omitempty"`
	// Bootstrap is the number of bootstrap resamples behind the intervals
	// of sensitivity indices; 0 means DefaultBootstrap.
	Bootstrap int `json:"bootstrap,omitempty"`
	// CommonSeed gives every point the master seed itself, so replicate r
	// draws from the same stream at every point (common random numbers):
	// differences between points then owe less to chance, which sharpens
	// elementary effects and Sobol' indices of a stochastic model.
	CommonSeed bool `json:"common_seed,omitempty"`
}

// PCG stream numbers of the design's own draws (ASCII tags), distinct from
// the replicate numbers 0, 1, 2... that runs use with their point seeds.
const (
	streamLHS       = 0x6c6873       // "lhs"
	streamMorris    = 0x6d6f72726973 // "morris"
	streamBootstrap = 0x626f6f74     // "boot"
)

// Normalize returns d with defaults filled in: Levels for morris and
// Bootstrap for every kind; fields a kind does not use are cleared, so that
// two designs that run the same experiment compare equal.
func (d Design) Normalize() Design {
	d.Kind = strings.ToLower(strings.TrimSpace(d.Kind))
	if d.Bootstrap == 0 {
		d.Bootstrap = DefaultBootstrap
	}
	if d.Kind == Morris {
		if d.Levels == 0 {
			d.Levels = DefaultLevels
		}
	} else {
		d.Levels = 0
	}
	if d.Kind == Grid {
		d.Samples = 0
	}
	ps := make([]Param, len(d.Params))
	for i, p := range d.Params {
		if d.Kind == Grid {
			p.Min, p.Max = 0, 0
		} else {
			p.Values = nil
		}
		ps[i] = p
	}
	d.Params = ps
	return d
}

// Validate reports every problem with d (after [Design.Normalize]) at once.
func (d Design) Validate() error {
	d = d.Normalize()
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("sweep: "+format, args...))
	}
	k := len(d.Params)
	switch d.Kind {
	case Grid:
	case LHS, Sobol, Morris:
		if k == 0 {
			add("design %s needs at least one parameter", d.Kind)
		}
	default:
		add("design = %q, want grid, lhs, sobol or morris", d.Kind)
	}
	if d.Replicates < 1 || d.Replicates > MaxReplicates {
		add("replicates = %d, want 1 <= replicates <= %d per design point", d.Replicates, MaxReplicates)
	}
	switch d.Kind {
	case LHS:
		if d.Samples < 1 {
			add("samples = %d, want >= 1 for lhs", d.Samples)
		}
	case Sobol:
		if d.Samples < 2 {
			add("samples = %d, want >= 2 for sobol", d.Samples)
		}
		if 2*k > maxSobolDim {
			add("sobol design with %d parameters, want at most %d", k, maxSobolDim/2)
		}
	case Morris:
		if d.Samples < 2 {
			add("samples = %d trajectories, want >= 2 for morris", d.Samples)
		}
		if d.Levels < 2 || d.Levels%2 != 0 {
			add("levels = %d, want an even number >= 2", d.Levels)
		}
	}
	if d.Bootstrap < 1 {
		add("bootstrap = %d, want >= 1", d.Bootstrap)
	}
	seen := map[string]bool{}
	for i, p := range d.Params {
		name := fmt.Sprintf("parameters[%d] %q", i, p.Key)
		switch {
		case p.Key == "":
			add("parameters[%d] has no key", i)
		case strings.ContainsAny(p.Key, "\n\r"):
			add("%s: key contains a line break", name)
		case seen[p.Key]:
			add("%s: duplicate key", name)
		}
		seen[p.Key] = true
		if d.Kind == Grid {
			if len(p.Values) == 0 {
				add("%s: no values", name)
			}
			for _, v := range p.Values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					add("%s: value %v, want a finite number", name, v)
					break
				}
			}
			continue
		}
		if math.IsNaN(p.Min) || math.IsInf(p.Min, 0) || math.IsNaN(p.Max) || math.IsInf(p.Max, 0) || !(p.Min < p.Max) {
			add("%s: min = %v, max = %v, want finite min < max", name, p.Min, p.Max)
		}
	}
	if len(errs) == 0 {
		errs = append(errs, d.checkSize())
	}
	return errors.Join(errs...)
}

// checkSize refuses a design larger than a sweep may hold.
func (d Design) checkSize() error {
	points, runs, err := d.Count()
	switch {
	case err != nil:
		return err
	case runs > MaxRuns:
		return fmt.Errorf("sweep: %d runs, want at most %d (the journal alone would take about %d GB of disk)", runs, MaxRuns, runs/3_000_000)
	case points > MaxPoints:
		return fmt.Errorf("sweep: %d design points, want at most %d", points, MaxPoints)
	}
	return nil
}

// Count returns the number of design points and of runs (points times
// replicates) without building the design.
func (d Design) Count() (points, runs int, err error) {
	d = d.Normalize()
	k := len(d.Params)
	const limit = 1 << 40
	mul := func(a, b int) (int, error) {
		if a < 0 || b < 0 || (b != 0 && a > limit/b) {
			return 0, fmt.Errorf("sweep: design too large (over %d runs)", limit)
		}
		return a * b, nil
	}
	switch d.Kind {
	case Grid:
		points = 1
		for _, p := range d.Params {
			if points, err = mul(points, len(p.Values)); err != nil {
				return 0, 0, err
			}
		}
	case LHS:
		points = d.Samples
	case Sobol:
		points, err = mul(d.Samples, k+2)
	case Morris:
		points, err = mul(d.Samples, k+1)
	default:
		return 0, 0, fmt.Errorf("sweep: design = %q, want grid, lhs, sobol or morris", d.Kind)
	}
	if err != nil {
		return 0, 0, err
	}
	runs, err = mul(points, d.Replicates)
	return points, runs, err
}

// Points returns the design points, each a slice of parameter values in
// the order of d.Params. The result is a deterministic function of d:
//
//   - grid: the full factorial, in row-major order: the last parameter
//     varies fastest (like nested loops over Params in order);
//   - lhs: Samples points, each parameter stratified into Samples equal
//     bins with exactly one point in each (McKay et al. 1979), drawn from
//     PCG(Seed, "lhs");
//   - sobol: for j = 0..Samples-1, the k+2 points A_j, AB_j^1, ...,
//     AB_j^k, B_j of Saltelli et al. (2010), where row j of A and B are
//     the first and last k coordinates of point j of a 2k-dimensional
//     Sobol' sequence (Joe and Kuo 2008 direction numbers, first point
//     0 kept) and AB^i is A with column i taken from B (the order of
//     SALib's saltelli.sample);
//   - morris: Samples trajectories of k+1 points each on a grid of Levels
//     levels, each trajectory moving one parameter at a time by
//     Delta = p/(2(p-1)) in random order and direction (Morris 1991),
//     drawn from PCG(Seed, "morris").
func (d Design) Points() ([][]float64, error) {
	d = d.Normalize()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if d.Kind == Grid {
		return gridPoints(d.Params), nil
	}
	u := d.unitPoints()
	for _, row := range u {
		for i, p := range d.Params {
			row[i] = scale(p, row[i])
		}
	}
	return u, nil
}

// scale maps u in [0,1] to [p.Min, p.Max], exactly at both ends.
func scale(p Param, u float64) float64 {
	switch u {
	case 0:
		return p.Min
	case 1:
		return p.Max
	}
	return p.Min + u*(p.Max-p.Min)
}

func gridPoints(ps []Param) [][]float64 {
	n := 1
	for _, p := range ps {
		n *= len(p.Values)
	}
	pts := make([][]float64, n)
	flat := make([]float64, n*len(ps))
	for j := range pts {
		row := flat[j*len(ps) : (j+1)*len(ps) : (j+1)*len(ps)]
		rem := j
		for i := len(ps) - 1; i >= 0; i-- {
			m := len(ps[i].Values)
			row[i] = ps[i].Values[rem%m]
			rem /= m
		}
		pts[j] = row
	}
	return pts
}

// unitPoints returns the points of an lhs, sobol or morris design in the
// unit hypercube. d must be normalized and valid.
func (d Design) unitPoints() [][]float64 {
	k := len(d.Params)
	switch d.Kind {
	case LHS:
		return lhsPoints(d.Samples, k, rand.New(rand.NewPCG(d.Seed, streamLHS)))
	case Sobol:
		return saltelliPoints(d.Samples, k)
	case Morris:
		m := d.morrisPlan()
		pts := make([][]float64, len(m.levels))
		for j, lv := range m.levels {
			row := make([]float64, k)
			for i, l := range lv {
				row[i] = float64(l) / float64(d.Levels-1)
			}
			pts[j] = row
		}
		return pts
	}
	panic("sweep: unitPoints of a " + d.Kind + " design")
}

// lhsPoints draws n points of a k-dimensional Latin hypercube: in each
// dimension the n points fall one in each of the bins [b/n, (b+1)/n).
func lhsPoints(n, k int, rnd *rand.Rand) [][]float64 {
	pts := make([][]float64, n)
	flat := make([]float64, n*k)
	for j := range pts {
		pts[j] = flat[j*k : (j+1)*k : (j+1)*k]
	}
	perm := make([]int, n)
	for i := range k {
		shuffle(perm, rnd)
		for j := range n {
			pts[j][i] = (float64(perm[j]) + rnd.Float64()) / float64(n)
		}
	}
	return pts
}

// shuffle fills p with a uniformly random permutation of 0..len(p)-1
// (Fisher-Yates), written out so that the draws are fixed by this code.
func shuffle(p []int, rnd *rand.Rand) {
	for i := range p {
		p[i] = i
	}
	for i := len(p) - 1; i > 0; i-- {
		j := int(rnd.Uint64N(uint64(i + 1)))
		p[i], p[j] = p[j], p[i]
	}
}

// saltelliPoints returns the N*(k+2) points A_j, AB_j^1..AB_j^k, B_j.
func saltelliPoints(n, k int) [][]float64 {
	seq := newSobolSeq(2 * k)
	base := make([]float64, 2*k)
	pts := make([][]float64, 0, n*(k+2))
	flat := make([]float64, n*(k+2)*k)
	next := func() []float64 {
		row := flat[:k:k]
		flat = flat[k:]
		pts = append(pts, row)
		return row
	}
	for range n {
		seq.next(base)
		a, b := base[:k], base[k:]
		copy(next(), a)
		for i := range k {
			row := next()
			copy(row, a)
			row[i] = b[i]
		}
		copy(next(), b)
	}
	return pts
}

// morrisPlan is a Morris design in integer grid levels: levels[j][i] is
// the level (0..p-1) of parameter i at point j; in trajectory t, the point
// t*(k+1)+s (s >= 1) moves parameter moved[t*k+s-1] by up[t*k+s-1] ? +p/2 :
// -p/2 levels from the point before it.
type morrisPlan struct {
	levels [][]int
	moved  []int
	up     []bool
}

// morrisPlan draws the trajectories of Morris (1991): a random base point
// on the grid {0, 1/(p-1), ..., 1}, then each parameter once, in random
// order, moved by Delta = p/(2(p-1)) up or down. Each parameter's pair of
// values (x, x+Delta) is uniform over the p/2 pairs that fit in [0,1], and
// which end the trajectory starts from is a fair coin, which is the
// distribution of Morris's B* matrix.
func (d Design) morrisPlan() morrisPlan {
	k, r, p := len(d.Params), d.Samples, d.Levels
	rnd := rand.New(rand.NewPCG(d.Seed, streamMorris))
	m := morrisPlan{
		levels: make([][]int, 0, r*(k+1)),
		moved:  make([]int, 0, r*k),
		up:     make([]bool, 0, r*k),
	}
	order := make([]int, k)
	cur := make([]int, k)
	upward := make([]bool, k)
	half := p / 2
	for range r {
		for i := range k {
			lo := int(rnd.Uint64N(uint64(half)))
			upward[i] = rnd.Uint64N(2) == 0
			if upward[i] {
				cur[i] = lo
			} else {
				cur[i] = lo + half
			}
		}
		shuffle(order, rnd)
		m.levels = append(m.levels, append([]int(nil), cur...))
		for _, i := range order {
			if upward[i] {
				cur[i] += half
			} else {
				cur[i] -= half
			}
			m.moved = append(m.moved, i)
			m.up = append(m.up, upward[i])
			m.levels = append(m.levels, append([]int(nil), cur...))
		}
	}
	return m
}

// Range returns steps values evenly spaced from from to to inclusive, each
// computed as (from*(steps-1-i) + to*i)/(steps-1) so that round ends stay
// round (0 to 1 in 11 steps gives 0.3, not 0.30000000000000004). One step
// gives [from].
func Range(from, to float64, steps int) ([]float64, error) {
	if steps < 1 {
		return nil, fmt.Errorf("sweep: range steps = %d, want >= 1", steps)
	}
	if math.IsNaN(from) || math.IsInf(from, 0) || math.IsNaN(to) || math.IsInf(to, 0) {
		return nil, fmt.Errorf("sweep: range from %v to %v, want finite ends", from, to)
	}
	if steps == 1 {
		return []float64{from}, nil
	}
	v := make([]float64, steps)
	n := float64(steps - 1)
	for i := range v {
		v[i] = (from*(n-float64(i)) + to*float64(i)) / n
	}
	v[steps-1] = to
	return v, nil
}

// PointSeed returns the seed of design point p under master seed s: the
// SplitMix64 output for state s + (p+1)*0x9e3779b97f4a7c15, that is the
// (p+1)th output of SplitMix64 seeded with s (Steele, Lea and Flood 2014,
// "Fast splittable pseudorandom number generators", OOPSLA), with the top
// bit cleared so that every point seed is a valid run.seed (a TOML integer
// is signed): `normsim run --seed` reproduces any run of a sweep. Replicate
// r of the point draws from PCG(seed, r).
func PointSeed(s uint64, p int) uint64 {
	z := s + (uint64(p)+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return (z ^ (z >> 31)) &^ (1 << 63)
}

// seed returns the seed of point p.
func (d Design) seed(p int) uint64 {
	if d.CommonSeed {
		return d.Seed
	}
	return PointSeed(d.Seed, p)
}

// Run is one run of a sweep: replicate Replicate of design point Point,
// with the point's parameter Values and Seed. The engine runs it with the
// random stream PCG(Seed, Replicate). Index = Point*Replicates + Replicate.
type Run struct {
	Index, Point, Replicate int
	Values                  []float64
	Seed                    uint64
}

// Runs returns every run of d in index order. Runs of one point share its
// Values slice.
func (d Design) Runs() ([]Run, error) {
	pts, err := d.Points()
	if err != nil {
		return nil, err
	}
	d = d.Normalize()
	runs := make([]Run, 0, len(pts)*d.Replicates)
	for p, v := range pts {
		s := d.seed(p)
		for r := range d.Replicates {
			runs = append(runs, Run{Index: len(runs), Point: p, Replicate: r, Values: v, Seed: s})
		}
	}
	return runs, nil
}
