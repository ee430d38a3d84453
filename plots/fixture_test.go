package plots

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/normsim/normsim/sim"
)

// The engine's kernels are written elsewhere, so the tests draw synthetic
// results: curves shaped like the cyber model's (beliefs rising towards
// restraint faster than practice, a forum every 25 steps pulling beliefs
// together, an event that raises temptation), and a real Nowak-May lattice
// computed here.

// emptyRow is a row before a kernel fills it: the metrics that may be
// empty are NaN (as the engine's clearRow leaves them), the others 0.
func emptyRow() sim.Row {
	var row sim.Row
	for m := range sim.NumMetrics {
		if m.MayBeEmpty() {
			row[m] = math.NaN()
		}
	}
	return row
}

// cyberFixture returns a result of 8 replicates of 300 steps, recorded
// every second step, with a forum every 25 steps (the first agrees a
// text; the one at step 100 fails in three replicates) and an event at
// 150. Every replicate ends established: one outcome class.
func cyberFixture() *sim.Result { return cyberFixtureWith(false, 2) }

// mixedFixture is cyberFixture where two replicates collapse after the
// event: the replicates end in different outcome classes.
func mixedFixture() *sim.Result { return cyberFixtureWith(true, 2) }

// cyberFixtureWith builds the cyber fixture, recorded every every steps.
func cyberFixtureWith(mixed bool, every int) *sim.Result {
	cfg := sim.DefaultConfig()
	cfg.Name = "baseline"
	cfg.Run.Steps = 300
	cfg.Run.Replicates = 8
	cfg.Run.RecordEvery = every
	cfg.Forum.Every = 25
	cfg.Learning.Rule = sim.LearnImitation
	cfg.Events = []sim.Event{{Step: 150, Label: "AI-enabled tools", Set: []sim.Assignment{{Key: "payoffs.temptation", Value: 4.5}}}}
	res := &sim.Result{Config: cfg, Events: cfg.Events}
	cc := cfg.Convergence
	n := float64(cfg.World.States)
	for r := range cfg.Run.Replicates {
		rng := rand.New(rand.NewPCG(7, uint64(r)))
		rep := sim.Replicate{Index: r, Seed: 7, Converged: -1, Tipping: -1}
		target := 0.95 + 0.03*rng.Float64()
		collapse := mixed && r%4 == 1
		speed := 20 + 15*rng.Float64()
		sd := 0.22
		belief := 0.5
		below := 0
		var window []sim.Row
		for t := 0; t <= cfg.Run.Steps; t++ {
			goal := target
			if t >= 150 && collapse {
				goal = 0.02
			}
			belief += (goal - belief) / speed
			rate := math.Min(1, math.Max(0, belief-0.03-0.01*rng.Float64()+0.01*rng.NormFloat64()))
			sd = 0.02 + (sd-0.02)*(0.975+0.015*float64(r)/8)
			if t%25 == 0 && t > 0 {
				sd *= 0.7
			}
			if t == 150 {
				sd += 0.06
			}
			row := emptyRow()
			spread := sd * (1 + 0.05*rng.NormFloat64())
			if spread < cc.Epsilon {
				below++
				if below == cc.Window && rep.Converged < 0 {
					rep.Converged = t - cc.Window + 1
				}
			} else {
				below = 0
			}
			esc := (1 - rate) * n
			det := esc * (0.45 + 0.1*rng.Float64())
			row[sim.BeliefRestraintMean] = belief
			row[sim.BeliefRestraintSD] = spread
			row[sim.BoldnessMean] = 0.5 - 0.25*(1-math.Exp(-float64(t)/speed/2)) + 0.02*rng.NormFloat64()
			row[sim.VengefulnessMean] = 0.5 + 0.2*(1-math.Exp(-float64(t)/speed/3)) + 0.02*rng.NormFloat64()
			row[sim.CredibilityMean] = 0.8
			row[sim.ForensicsMean] = 1
			if t > 0 { // step 0 is the initial state: no opportunity yet
				row[sim.RestraintRate] = rate
				row[sim.RestraintCompliant] = rate
				row[sim.Opportunities] = n
				row[sim.Escalations] = math.Round(esc)
				row[sim.Detections] = math.Round(det)
				row[sim.Reported] = math.Round(det * 0.3)
				row[sim.TrueAccusations] = math.Round(det * (0.35 + 0.1*rng.Float64()))
				row[sim.FalseAccusations] = math.Round(0.02*n*rng.Float64() + det*0.05)
				row[sim.PublicAccusations] = math.Round(0.6 * (row[sim.TrueAccusations] + row[sim.FalseAccusations]))
				row[sim.PrivateAccusations] = row[sim.TrueAccusations] + row[sim.FalseAccusations] - row[sim.PublicAccusations]
				row[sim.Spirals] = math.Round(row[sim.FalseAccusations] * 0.2 * rng.Float64())
				row[sim.ExpectationGap] = belief - rate
				row[sim.RestraintLow] = math.Min(1, rate+0.02)
				row[sim.RestraintMid] = rate
				row[sim.RestraintHigh] = math.Max(0, rate-0.06)
			}
			if t >= 25 { // the first forum agreed a text
				a := 1 / (1 + math.Exp(-(float64(t)-45-4*float64(r))/6))
				if collapse && t > 150 {
					a *= math.Exp(-float64(t-150) / 30)
				}
				row[sim.Adoption] = a
				row[sim.AdoptionPower] = a * 0.9
				row[sim.AdoptionLow], row[sim.AdoptionMid], row[sim.AdoptionHigh] = math.Min(1, a*1.05), a, a*0.8
				row[sim.Stringency] = 0.65 + 0.02*float64(r%3)
				row[sim.LegitimacyMean] = 0.55 + 0.05*float64(r%4)
				if a >= 0.5 && rep.Tipping < 0 {
					rep.Tipping = t
				}
			}
			if t%25 == 0 && t > 0 {
				row[sim.ForumMarker] = 1
				if t == 100 && r < 3 {
					row[sim.ForumFailed] = 1
				}
			}
			if t == 150 {
				row[sim.EventMarker] = 1
			}
			if t%cfg.Run.RecordEvery == 0 || t == cfg.Run.Steps {
				rep.Steps = append(rep.Steps, t)
				rep.Rows = append(rep.Rows, row)
			}
			if t > cfg.Run.Steps-cc.Window {
				window = append(window, row)
			}
			rep.Final = row
		}
		var p, b float64
		end := true
		for _, w := range window {
			p += w[sim.RestraintCompliant] / float64(len(window))
			b += w[sim.BeliefRestraintMean] / float64(len(window))
			end = end && w[sim.BeliefRestraintSD] < cc.Epsilon
		}
		rep.FinalRestraint, rep.FinalBelief = p, b
		rep.ConvergedEnd = end
		if !end {
			rep.NotConverged = "spread"
		}
		rep.Outcome = sim.Classify(cc, p, b)
		res.Replicates = append(res.Replicates, rep)
	}
	return res
}

// axelrodFixture is a result of Axelrod's norms game: 6 replicates of 120
// generations whose traits drift to establishment or collapse.
func axelrodFixture() *sim.Result {
	cfg := sim.DefaultConfig()
	cfg.Name = "axelrod-norms"
	cfg.Run.Steps = 120
	cfg.Run.Replicates = 6
	cfg.World.States = 20
	cfg.Decision.Rule = sim.RuleThreshold
	cfg.Learning.Rule = sim.LearnAxelrod
	cfg.Opportunity.Targets = sim.TargetsAll
	cfg.Topology.Kind = sim.TopoComplete
	res := &sim.Result{Config: cfg}
	for r := range cfg.Run.Replicates {
		rng := rand.New(rand.NewPCG(3, uint64(r)))
		rep := sim.Replicate{Index: r, Seed: 3, Converged: -1, Tipping: -1, NotConverged: "spread"}
		b, v := 0.5, 0.5
		gb, gv := 0.1, 0.85
		if r%3 == 2 {
			gb, gv = 0.95, 0.05
		}
		for t := 0; t <= cfg.Run.Steps; t++ {
			b += (gb-b)/25 + 0.02*rng.NormFloat64()
			v += (gv-v)/25 + 0.02*rng.NormFloat64()
			b, v = math.Min(1, math.Max(0, b)), math.Min(1, math.Max(0, v))
			row := emptyRow()
			row[sim.BoldnessMean], row[sim.VengefulnessMean] = b, v
			row[sim.BeliefRestraintMean] = 1 - b
			row[sim.BeliefRestraintSD] = 0.1 + 0.02*rng.Float64()
			if t > 0 {
				rate := math.Min(1, math.Max(0, 1-b+0.03*rng.NormFloat64()))
				row[sim.RestraintRate], row[sim.RestraintCompliant] = rate, rate
				row[sim.Opportunities] = 80
				row[sim.ExpectationGap] = 1 - b - rate
			}
			rep.Steps = append(rep.Steps, t)
			rep.Rows = append(rep.Rows, row)
			rep.Final = row
		}
		rep.FinalRestraint, rep.FinalBelief = rep.Final[sim.RestraintCompliant], rep.Final[sim.BeliefRestraintMean]
		rep.Outcome = sim.AxelrodRegion(b, v)
		res.Replicates = append(res.Replicates, rep)
	}
	return res
}

// nowakMay runs Nowak and May's (1992) spatial prisoner's dilemma on a
// size x size lattice with fixed edges, self-interaction, payoffs R=1,
// T=b, S=P=0 and a single defector at the centre, and returns snapshots at
// the given generations, cells coded as in sim.LatticeSnapshot.
func nowakMay(size int, b float64, gens int, at []int) []sim.LatticeSnapshot {
	s := make([]uint8, size*size) // 0 = C, 1 = D
	s[(size/2)*size+size/2] = 1
	prev := append([]uint8(nil), s...)
	score := make([]float64, size*size)
	snap := func(t int) sim.LatticeSnapshot {
		cells := make([]uint8, len(s))
		for i := range s {
			switch {
			case prev[i] == 0 && s[i] == 0:
				cells[i] = 0
			case prev[i] == 1 && s[i] == 1:
				cells[i] = 1
			case prev[i] == 1 && s[i] == 0:
				cells[i] = 2
			default:
				cells[i] = 3
			}
		}
		return sim.LatticeSnapshot{Step: t, Width: size, Height: size, Cells: cells}
	}
	var out []sim.LatticeSnapshot
	want := func(t int) bool {
		for _, a := range at {
			if a == t {
				return true
			}
		}
		return false
	}
	if want(0) {
		out = append(out, snap(0))
	}
	for t := 1; t <= gens; t++ {
		for y := range size {
			for x := range size {
				c := 0.0
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						xx, yy := x+dx, y+dy
						if xx < 0 || yy < 0 || xx >= size || yy >= size {
							continue
						}
						if s[yy*size+xx] == 0 {
							c++
						}
					}
				}
				if s[y*size+x] == 0 {
					score[y*size+x] = c
				} else {
					score[y*size+x] = b * c
				}
			}
		}
		copy(prev, s)
		for y := range size {
			for x := range size {
				best, strat := score[y*size+x], prev[y*size+x]
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						xx, yy := x+dx, y+dy
						if xx < 0 || yy < 0 || xx >= size || yy >= size {
							continue
						}
						if score[yy*size+xx] > best {
							best, strat = score[yy*size+xx], prev[yy*size+xx]
						}
					}
				}
				s[y*size+x] = strat
			}
		}
		if want(t) {
			out = append(out, snap(t))
		}
	}
	return out
}

// The Nowak-May snapshots of latticeFixture, computed once.
var (
	snapsOnce  sync.Once
	snapsCache []sim.LatticeSnapshot
)

// latticeFixture returns a game-rule result on a 99 x 99 lattice whose
// first replicate has Nowak-May snapshots.
func latticeFixture() *sim.Result {
	cfg := sim.DefaultConfig()
	cfg.Name = "nowak-may"
	cfg.Run.Steps = 200
	cfg.Run.Replicates = 1
	cfg.World.States = 99 * 99
	cfg.Topology.Kind = sim.TopoLattice
	cfg.Topology.Width, cfg.Topology.Height = 99, 99
	cfg.Topology.Self = true
	cfg.Decision.Rule = sim.RuleGame
	cfg.Learning.Rule = sim.LearnBestNeighbour
	cfg.Learning.Every = 1
	snapsOnce.Do(func() { snapsCache = nowakMay(99, 1.85, cfg.Run.Steps, []int{0, 1, 2, 5, 10, 20, 50, 100, 200}) })
	snaps := make([]sim.LatticeSnapshot, len(snapsCache))
	for i, sn := range snapsCache { // a deep copy: tests spoil them
		sn.Cells = slices.Clone(sn.Cells)
		snaps[i] = sn
	}
	rep := sim.Replicate{Index: 0, Seed: 1, Converged: -1, Tipping: -1, Outcome: sim.Contested, Lattice: snaps, NotConverged: "spread"}
	for _, sn := range snaps {
		row := emptyRow()
		row[sim.RestraintRate] = cooperators(&sn)
		row[sim.RestraintCompliant] = cooperators(&sn)
		row[sim.BeliefRestraintMean] = cooperators(&sn)
		row[sim.BeliefRestraintSD] = 0.1
		row[sim.ExpectationGap] = 0
		row[sim.BoldnessMean] = 1 - cooperators(&sn)
		rep.Steps = append(rep.Steps, sn.Step)
		rep.Rows = append(rep.Rows, row)
	}
	rep.Final = rep.Rows[len(rep.Rows)-1]
	rep.FinalRestraint, rep.FinalBelief = rep.Final[sim.RestraintCompliant], rep.Final[sim.BeliefRestraintMean]
	return &sim.Result{Config: cfg, Replicates: []sim.Replicate{rep}}
}

var fixtureMeta = Meta{Scenario: "baseline", Seed: 7, Replicates: 8, Version: "v0.1.0-test", Hash: "9f86d081884c7d659a2feaa0c55ad015"}

// phaseFixture is a smooth surface over a 6 x 5 grid: establishment is
// likelier with a moderate evidence standard and an inclusive forum.
func phaseFixture() (x, y []float64, z [][]float64) {
	x = []float64{0.5, 1, 1.5, 2, 2.5, 3}
	y = []float64{0, 0.25, 0.5, 0.75, 1}
	for _, yv := range y {
		row := make([]float64, len(x))
		for j, xv := range x {
			row[j] = math.Round(100*yv*math.Exp(-(xv-1.5)*(xv-1.5)/1.5)) / 100
		}
		z = append(z, row)
	}
	return x, y, z
}

func paramFixture() (x, mean, lo, hi []float64) {
	for i := range 9 {
		xv := 0.5 + 0.25*float64(i)
		m := 0.4 + 0.45/(1+math.Exp(-3*(xv-1.4)))
		x = append(x, xv)
		mean = append(mean, m)
		lo = append(lo, m-0.04-0.02*float64(i%3))
		hi = append(hi, m+0.05)
	}
	return
}

func sobolFixture() (names []string, s1, s1lo, s1hi, st, stlo, sthi []float64, meta Meta) {
	names = []string{"attribution.evidence_standard", "forum.inclusivity", "forum.dominance", "payoffs.temptation", "attribution.false_flag"}
	s1 = []float64{0.31, 0.12, 0.02, 0.22, 0.05}
	st = []float64{0.45, 0.30, 0.06, 0.25, 0.07}
	for i := range names {
		s1lo = append(s1lo, s1[i]-0.04)
		s1hi = append(s1hi, s1[i]+0.05)
		stlo = append(stlo, st[i]-0.05)
		sthi = append(sthi, st[i]+0.04)
	}
	meta = fixtureMeta
	meta.Scenario, meta.Replicates = "baseline-sobol", 10
	return
}
