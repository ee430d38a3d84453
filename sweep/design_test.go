package sweep

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// SplitMix64 seeded with 0 outputs 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4,
// 0x06c45d188009454f first (the reference implementation by Vigna,
// splitmix64.c; Steele, Lea and Flood 2014); PointSeed clears the top bit.
func TestPointSeedIsSplitMix64(t *testing.T) {
	want := []uint64{0xe220a8397b1dcdaf &^ (1 << 63), 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for p, w := range want {
		if got := PointSeed(0, p); got != w {
			t.Errorf("PointSeed(0, %d) = %#x, want %#x", p, got, w)
		}
	}
}

func TestGridOrderAndCount(t *testing.T) {
	d := Design{Kind: Grid, Replicates: 3, Seed: 7, Params: []Param{
		{Key: "a", Values: []float64{1, 2}},
		{Key: "b", Values: []float64{0.2, 0.5, 0.8}},
	}}
	pts, err := d.Points()
	if err != nil {
		t.Fatal(err)
	}
	// Row-major: the last parameter varies fastest.
	want := [][]float64{{1, 0.2}, {1, 0.5}, {1, 0.8}, {2, 0.2}, {2, 0.5}, {2, 0.8}}
	if len(pts) != len(want) {
		t.Fatalf("%d points, want %d", len(pts), len(want))
	}
	for j := range want {
		if !slices.Equal(pts[j], want[j]) {
			t.Errorf("point %d = %v, want %v", j, pts[j], want[j])
		}
	}
	np, nr, err := d.Count()
	if err != nil || np != 6 || nr != 18 {
		t.Errorf("Count() = %d, %d, %v, want 6, 18", np, nr, err)
	}
	runs, err := d.Runs()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range runs {
		if r.Index != i || r.Point != i/3 || r.Replicate != i%3 || r.Seed != PointSeed(7, i/3) || !slices.Equal(r.Values, want[i/3]) {
			t.Errorf("run %d = %+v", i, r)
		}
	}
	d.CommonSeed = true
	runs, _ = d.Runs()
	for _, r := range runs {
		if r.Seed != 7 {
			t.Fatalf("common seed: run %d has seed %d, want 7", r.Index, r.Seed)
		}
	}
	// No parameters: one point.
	d0 := Design{Kind: Grid, Replicates: 5}
	if np, nr, _ := d0.Count(); np != 1 || nr != 5 {
		t.Errorf("empty grid: %d points, %d runs, want 1, 5", np, nr)
	}
}

func TestRange(t *testing.T) {
	v, err := Range(0, 1, 11)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	if !slices.Equal(v, want) {
		t.Errorf("Range(0, 1, 11) = %v, want %v", v, want)
	}
	if v, _ := Range(2, 2, 1); !slices.Equal(v, []float64{2}) {
		t.Errorf("Range(2, 2, 1) = %v", v)
	}
	if _, err := Range(0, 1, 0); err == nil || !strings.Contains(err.Error(), "steps = 0") {
		t.Errorf("Range(0, 1, 0): err = %v", err)
	}
}

// Latin hypercube sampling (McKay, Beckman and Conover 1979): in every
// dimension, each of the n equal bins holds exactly one of the n points.
func TestLHSStratified(t *testing.T) {
	const n = 97
	d := Design{Kind: LHS, Samples: n, Replicates: 1, Seed: 3, Params: []Param{
		{Key: "a", Min: -2, Max: 5}, {Key: "b", Min: 0, Max: 1}, {Key: "c", Min: 10, Max: 1000},
	}}
	pts, err := d.Points()
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != n {
		t.Fatalf("%d points, want %d", len(pts), n)
	}
	for i, p := range d.Params {
		seen := make([]bool, n)
		for _, x := range pts {
			b := int(math.Floor((x[i] - p.Min) / (p.Max - p.Min) * n))
			if b < 0 || b >= n || seen[b] {
				t.Fatalf("parameter %s: value %v falls in bin %d twice or outside", p.Key, x[i], b)
			}
			seen[b] = true
		}
	}
	again, _ := d.Points()
	for j := range pts {
		if !slices.Equal(pts[j], again[j]) {
			t.Fatal("LHS points differ between two calls with the same seed")
		}
	}
	d.Seed = 4
	other, _ := d.Points()
	if slices.Equal(pts[0], other[0]) {
		t.Error("LHS points do not depend on the seed")
	}
}

// The first eight points of the two-dimensional Sobol' sequence, as
// scipy.stats.qmc.Sobol(d=2, scramble=False).random_base2(m=3) lists them
// in its documentation.
func TestSobolSequenceFirstPoints(t *testing.T) {
	want := [][]float64{{0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}}
	q := newSobolSeq(2)
	p := make([]float64, 2)
	for j, w := range want {
		q.next(p)
		if !slices.Equal(p, w) {
			t.Errorf("point %d = %v, want %v", j, p, w)
		}
	}
}

// Every one-dimensional projection of the first 2^m points of a Sobol'
// sequence puts exactly one point in each interval [i/2^m, (i+1)/2^m), and
// the first two dimensions form a (0, m, 2)-net: every dyadic box of area
// 2^-m holds exactly one point (Sobol' 1967; Niederreiter 1992, ch. 4).
// The check fails for a wrong direction number or recurrence.
func TestSobolSequenceNets(t *testing.T) {
	const m = 10
	const n = 1 << m
	q := newSobolSeq(maxSobolDim)
	pts := make([][]float64, n)
	for j := range pts {
		pts[j] = make([]float64, maxSobolDim)
		q.next(pts[j])
	}
	for dim := range maxSobolDim {
		seen := make([]bool, n)
		for _, p := range pts {
			b := int(p[dim] * n)
			if seen[b] {
				t.Fatalf("dimension %d: two of the first %d points in interval %d", dim+1, n, b)
			}
			seen[b] = true
		}
	}
	for a := 0; a <= m; a++ {
		seen := make(map[[2]int]bool)
		for _, p := range pts {
			box := [2]int{int(p[0] * float64(int(1)<<a)), int(p[1] * float64(int(1)<<(m-a)))}
			if seen[box] {
				t.Fatalf("dimensions 1-2: box %v of size 2^-%d x 2^-%d holds two points", box, a, m-a)
			}
			seen[box] = true
		}
	}
}

func TestSaltelliLayout(t *testing.T) {
	d := Design{Kind: Sobol, Samples: 8, Replicates: 1, Params: []Param{
		{Key: "a", Min: 0, Max: 1}, {Key: "b", Min: 0, Max: 1}, {Key: "c", Min: 0, Max: 1},
	}}
	pts, err := d.Points()
	if err != nil {
		t.Fatal(err)
	}
	const k = 3
	if len(pts) != 8*(k+2) {
		t.Fatalf("%d points, want %d", len(pts), 8*(k+2))
	}
	q := newSobolSeq(2 * k)
	base := make([]float64, 2*k)
	for j := range 8 {
		q.next(base)
		a, b := pts[j*(k+2)], pts[j*(k+2)+k+1]
		if !slices.Equal(a, base[:k]) || !slices.Equal(b, base[k:]) {
			t.Fatalf("sample %d: A = %v, B = %v, want %v, %v", j, a, b, base[:k], base[k:])
		}
		for i := range k {
			ab := pts[j*(k+2)+1+i]
			for c := range k {
				want := a[c]
				if c == i {
					want = b[c]
				}
				if ab[c] != want {
					t.Fatalf("sample %d: AB^%d = %v, want A with column %d from B", j, i, ab, i)
				}
			}
		}
	}
}

// A Morris trajectory has k+1 points on the grid of p levels; each step
// moves one parameter, each parameter exactly once, by Delta = p/(2(p-1))
// of its range (Morris 1991).
func TestMorrisTrajectories(t *testing.T) {
	d := Design{Kind: Morris, Samples: 20, Replicates: 1, Levels: 6, Seed: 11, Params: []Param{
		{Key: "a", Min: 0, Max: 1}, {Key: "b", Min: -3, Max: 3}, {Key: "c", Min: 100, Max: 200}, {Key: "d", Min: 0, Max: 1},
	}}
	pts, err := d.Points()
	if err != nil {
		t.Fatal(err)
	}
	const k, p = 4, 6
	delta := float64(p) / (2 * (p - 1))
	if len(pts) != 20*(k+1) {
		t.Fatalf("%d points, want %d", len(pts), 20*(k+1))
	}
	for tr := range 20 {
		moved := make([]bool, k)
		for s := 1; s <= k; s++ {
			prev, cur := pts[tr*(k+1)+s-1], pts[tr*(k+1)+s]
			changed := -1
			for i := range k {
				if prev[i] != cur[i] {
					if changed >= 0 {
						t.Fatalf("trajectory %d step %d changes two parameters", tr, s)
					}
					changed = i
				}
			}
			if changed < 0 || moved[changed] {
				t.Fatalf("trajectory %d step %d: changed parameter %d (moved before: %v)", tr, s, changed, moved)
			}
			moved[changed] = true
			pr := d.Params[changed]
			step := math.Abs(cur[changed]-prev[changed]) / (pr.Max - pr.Min)
			if math.Abs(step-delta) > 1e-12 {
				t.Fatalf("trajectory %d step %d moves %s by %v of its range, want %v", tr, s, pr.Key, step, delta)
			}
		}
		for _, x := range pts[tr*(k+1) : (tr+1)*(k+1)] {
			for i, pr := range d.Params {
				l := (x[i] - pr.Min) / (pr.Max - pr.Min) * (p - 1)
				if math.Abs(l-math.Round(l)) > 1e-9 || l < -1e-9 || l > p-1+1e-9 {
					t.Fatalf("trajectory %d: %s = %v is not on the grid", tr, pr.Key, x[i])
				}
			}
		}
	}
}

func TestDesignValidate(t *testing.T) {
	for _, c := range []struct {
		d    Design
		want string
	}{
		{Design{Kind: "fractal", Replicates: 1}, `design = "fractal"`},
		{Design{Kind: Grid, Replicates: 0}, "replicates = 0"},
		{Design{Kind: Grid, Replicates: 1, Params: []Param{{Key: "a"}}}, `"a": no values`},
		{Design{Kind: Grid, Replicates: 1, Params: []Param{{Key: "a", Values: []float64{math.NaN()}}}}, "finite"},
		{Design{Kind: Grid, Replicates: 1, Params: []Param{{Key: "a", Values: []float64{1}}, {Key: "a", Values: []float64{1}}}}, "duplicate key"},
		{Design{Kind: LHS, Replicates: 1, Params: []Param{{Key: "a", Min: 1, Max: 1}}}, "samples = 0"},
		{Design{Kind: LHS, Samples: 3, Replicates: 1, Params: []Param{{Key: "a", Min: 1, Max: 1}}}, "min = 1, max = 1"},
		{Design{Kind: Morris, Samples: 3, Levels: 5, Replicates: 1, Params: []Param{{Key: "a", Max: 1}}}, "levels = 5"},
		{Design{Kind: Sobol, Samples: 4, Replicates: 1}, "at least one parameter"},
	} {
		err := c.d.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "sweep: ") {
			t.Errorf("%+v: err = %v, want it to contain %q", c.d, err, c.want)
		}
	}
	var ps []Param
	for i := range 21 {
		ps = append(ps, Param{Key: string(rune('a' + i)), Max: 1})
	}
	if err := (Design{Kind: Sobol, Samples: 4, Replicates: 1, Params: ps}).Validate(); err == nil || !strings.Contains(err.Error(), "at most 20") {
		t.Errorf("21 sobol parameters: err = %v", err)
	}
}

func TestShard(t *testing.T) {
	s, err := ParseShard("1/3")
	if err != nil || s != (Shard{1, 3}) {
		t.Fatalf("ParseShard(1/3) = %v, %v", s, err)
	}
	for _, bad := range []string{"3/3", "-1/3", "1", "a/b", "0/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if s, _ := ParseShard("0/1"); !s.Whole() {
		t.Errorf("0/1 is not the whole sweep: %v", s)
	}
	total := 0
	for i := range 3 {
		total += Shard{i, 3}.Size(13)
	}
	if total != 13 || (Shard{0, 3}).Size(13) != 5 || (Shard{2, 3}).Size(13) != 4 {
		t.Errorf("shard sizes of 13 runs in 3 do not add up")
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		env   map[string]string
		count int
		want  Shard
		ok    bool
		err   string
	}{
		{map[string]string{}, 0, Shard{}, false, ""},
		{map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0"}, 0, Shard{2, 4}, true, ""},
		{map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"}, 0, Shard{2, 4}, true, ""},
		{map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_STEP": "2"}, 0, Shard{2, 3}, true, ""},
		{map[string]string{"JOB_COMPLETION_INDEX": "1"}, 5, Shard{1, 5}, true, ""},
		{map[string]string{"JOB_COMPLETION_INDEX": "1"}, 0, Shard{}, true, "number of shards"},
		{map[string]string{"JOB_COMPLETION_INDEX": "5"}, 5, Shard{}, true, "want 0 <= i < n"},
	} {
		s, _, ok, err := ShardFromEnv(env(c.env), c.count)
		if ok != c.ok || s != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ShardFromEnv(%v, %d) = %v, %v, %v; want %v, %v, %q", c.env, c.count, s, ok, err, c.want, c.ok, c.err)
		}
	}
}

func TestSpans(t *testing.T) {
	var ss []Span
	for _, i := range []int{0, 1, 2, 3, 7, 10, 13, 16, 20, 25} {
		ss = addSpan(ss, i)
	}
	if got, want := FormatSpans(ss, 0), "0-3,7-16:3,20,25"; got != want {
		t.Errorf("spans = %q, want %q", got, want)
	}
	if n := countSpans(ss); n != 10 {
		t.Errorf("count = %d, want 10", n)
	}
	// A pair whose second member starts a run (issue 14: "13,15,16-55").
	ss = nil
	for _, i := range []int{13, 15, 16, 17, 18, 55} {
		ss = addSpan(ss, i)
	}
	if got, want := FormatSpans(ss, 0), "13,15-18,55"; got != want {
		t.Errorf("spans = %q, want %q", got, want)
	}
	ss = addRange(addSpan(addSpan(nil, 13), 15), 16, 55, 1)
	if got, want := FormatSpans(ss, 0), "13,15-55"; got != want {
		t.Errorf("spans = %q, want %q", got, want)
	}
}
