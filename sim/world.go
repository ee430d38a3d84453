package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
)

// kernel is one implementation of the step. The general cyber-norm model
// runs every configuration but the 2x2 game (decision.rule = game), which
// the game kernel runs; the axelrod and lattice-game kernels are exact,
// much faster special cases of those two that [New] picks when a
// configuration is one of the classics (see doc.go). The interface is
// called once per step, never per state.
type kernel interface {
	// observe fills row with the metrics of the current state; at step 0
	// the per-step counts are zero.
	observe(row *Row)
	// step advances one step and fills row with its metrics.
	step(row *Row)
	// reconfigure re-reads the parameters an event may have changed.
	reconfigure(cfg *Config)
	// agentSteps is the number of state updates one step costs, for the
	// speed figures.
	agentSteps() int
}

// outcomer is implemented by kernels whose outcome is not named by the
// restraint rate and belief (the Axelrod games name it by the traits, as
// Galan and Izquierdo do).
type outcomer interface {
	outcome(final *Row, restraint float64) Outcome
}

// latticer is implemented by kernels on a lattice topology.
type latticer interface {
	snapshot(step int) LatticeSnapshot
}

// World is one replicate's simulated world: the states, their relations
// and the random stream that drives them.
type World struct {
	cfg Config
	k   kernel
	t   int
	row Row
}

// New builds a world from a validated configuration. src drives every
// random draw of the world; it must not be nil.
func New(cfg Config, src rand.Source) (*World, error) {
	if src == nil {
		panic("sim: nil rand.Source")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newWorld(cfg, src, nil)
}

// errStopped is returned when building a world is given up because its
// run was cancelled.
var errStopped = errors.New("sim: cancelled while building the world")

// stopped reports whether a run's stop flag (nil: never) is set. The
// cyber and axelrod kernels poll it per state in their steps, and the
// topology builders as they go, and give up the step or the
// construction: the replicate of a cancelled run is discarded, so a
// half-done step does not matter, and a step of millions of interactions
// stops at once. The game kernels' steps do not poll it: the run checks
// it after each step.
func stopped(stop *atomic.Bool) bool { return stop != nil && stop.Load() }

// newWorld is New for a configuration already validated, with a stop flag
// that cancels its construction and its steps (nil: never).
func newWorld(cfg Config, src rand.Source, stop *atomic.Bool) (*World, error) {
	rnd := rand.New(src)
	k, err := newKernel(&cfg, rnd, stop)
	if err != nil {
		return nil, err
	}
	w := &World{cfg: cfg, k: k}
	k.observe(&w.row)
	return w, nil
}

// kernels is the table of the step's implementations, in the order they
// are tried: the first that applies to a configuration runs it. The
// general model applies to every configuration; the others are exact, much
// faster special cases for the classics.
var kernels = []struct {
	name    string
	applies func(*Config) bool
	make    func(*Config, *rand.Rand, *atomic.Bool) (kernel, error)
}{
	{"axelrod", isAxelrod, newAxelrodKernel},
	{"lattice-game", func(c *Config) bool { return c.Decision.Rule == RuleGame && isLatticeGame(c) }, newGameKernel},
	{"game", func(c *Config) bool { return c.Decision.Rule == RuleGame }, newGameKernel},
	{"cyber", func(*Config) bool { return true }, newCyberKernel},
}

// The kernels implement the interface (and the optional ones they claim).
var (
	_ kernel   = (*cyber)(nil)
	_ kernel   = (*axelrodKernel)(nil)
	_ outcomer = (*axelrodKernel)(nil)
	_ kernel   = (*gameKernel)(nil)
	_ kernel   = (*gameLatticeKernel)(nil)
	_ latticer = (*gameLatticeKernel)(nil)
)

// Kernel names the implementation [New] chooses for a configuration:
// "axelrod", "lattice-game", "game" or "cyber".
func Kernel(cfg *Config) string { return kernels[kernelFor(cfg)].name }

func newKernel(cfg *Config, rnd *rand.Rand, stop *atomic.Bool) (kernel, error) {
	return kernels[kernelFor(cfg)].make(cfg, rnd, stop)
}

// kernelFor returns the index of the first kernel that applies to cfg;
// the last, the general model, applies to every configuration.
func kernelFor(cfg *Config) int {
	i := 0
	for !kernels[i].applies(cfg) {
		i++
	}
	return i
}

// Step advances the world by one step.
func (w *World) Step() {
	w.t++
	w.k.step(&w.row)
}

// T returns the number of steps taken.
func (w *World) T() int { return w.t }

// Row returns the metrics of the last step (of the initial state before the
// first step).
func (w *World) Row() Row { return w.row }

// AgentSteps is the number of state updates one step costs.
func (w *World) AgentSteps() int { return w.k.agentSteps() }

// Lattice returns a snapshot of a lattice world and true, or false when the
// world is not a lattice.
func (w *World) Lattice() (LatticeSnapshot, bool) {
	if l, ok := w.k.(latticer); ok {
		return l.snapshot(w.t), true
	}
	return LatticeSnapshot{}, false
}

// apply applies an event's assignments and lets the kernel re-read them.
func (w *World) apply(ev Event) error {
	for _, a := range ev.Set {
		if err := w.cfg.SetNumber(a.Key, a.Value); err != nil {
			return fmt.Errorf("sim: event %q at step %d: %w", ev.Label, ev.Step, err)
		}
	}
	w.k.reconfigure(&w.cfg)
	return nil
}

// initialEscalators calls mark for every state that starts as an escalator
// (world.initial), the same way in every kernel: with pattern "random",
// each state in index order with probability Escalators (and no draw at
// all when it is 0); "single", the state Site, or when Site < 0 the centre
// of a lattice, (Height/2)*Width + Width/2, or state N/2 off a lattice;
// "list", the states listed.
func initialEscalators(cfg *Config, rnd interface{ Float64() float64 }, mark func(i int)) {
	in := &cfg.World.Initial
	n := cfg.World.States
	switch in.Pattern {
	case InitRandom:
		if in.Escalators > 0 {
			for i := range n {
				if rnd.Float64() < in.Escalators {
					mark(i)
				}
			}
		}
	case InitSingle:
		s := in.Site
		if s < 0 {
			s = n / 2
			if t := &cfg.Topology; t.Kind == TopoLattice {
				s = (t.Height/2)*t.Width + t.Width/2
			}
		}
		mark(s)
	case InitList:
		for _, i := range in.Escalating {
			mark(i)
		}
	}
}
