package sim

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"unsafe"
)

// The budget of a run: what it may cost in memory, and how long one step
// may take, checked before anything is allocated. Validate calls budget,
// so a configuration that passes validation cannot exhaust the memory of
// the machine or run a step for minutes; [Run] and the command also check
// the number of worlds alive at once ([MaxWorkers]).
//
// The estimates are in float64, so that no product of huge counts can
// overflow; each is an upper bound of the bytes a part allocates,
// measured on the kernels (TestBudgetRSS compares them with the peak
// resident memory of real runs).

// MemoryLimit is the memory a run may take: worlds, topologies, pair
// memories and records together. Larger runs are refused before anything
// is allocated.
const MemoryLimit = 4 << 30

// MaxStepWork bounds the work of one step, in state-target interactions
// (an opportunity aimed at one target, with what it sets off), in the
// worst case where every opportunity is taken, escalated and attributed.
// The general kernel makes about 2e7 of them a second, so a step stays
// under a minute; every step also checks for cancellation as it goes.
const MaxStepWork = 1e9

// maxDirected bounds the neighbour entries of a topology (two per edge):
// the adjacency indexes them with int32.
const maxDirected = math.MaxInt32

// runBaseBytes is what the program takes before any world: the runtime,
// the binary, the chart fonts.
const runBaseBytes = 48 << 20

// rowBytes is the memory of one recorded step: its number and its row.
const rowBytes = 8 + 8*float64(NumMetrics)

// replicateBytes is the memory of one replicate's record besides its
// rows (its final row, window means, ...), counted twice (the run's table
// and the result).
const replicateBytes = 2 * float64(unsafe.Sizeof(Replicate{}))

// recordOverhead is the factor between the recorded rows and the memory
// they take at their peak: the collector lets the heap grow to twice the
// live data (GOGC=100), and the charts copy series while they draw.
const recordOverhead = 2.3

// Bytes per state of each kernel (measured: TestBudgetRSS), and per
// neighbour entry of a topology while it is built and once it is frozen.
var kernelStateBytes = map[string]float64{"cyber": 280, "axelrod": 64, "game": 72, "lattice-game": 8}

const (
	listHeaderBytes = 24 // the per-state list of a topology being built
	entryBytes      = 12 // a neighbour entry: its list and the frozen copy
	ringEntryBytes  = 24 // small world: the membership map and the link list, per entry
	repeatedBytes   = 4  // scale-free: the repeated-nodes list, per entry
	perceptBytes    = 4 * 12
)

// Cost is what one configuration costs: the memory of one world while it
// is built and runs, of one replicate's record, and the work of a step.
type Cost struct {
	World     float64 // bytes of one world (states, topology, pair memories, windows)
	Directed  float64 // neighbour entries of the topology, two per edge; 0 when complete
	Record    float64 // bytes of one replicate's recorded rows and snapshots
	StepWork  float64 // state-target interactions of one step, worst case
	Fanout    float64 // targets per opportunity (mean degree when every neighbour is one)
	Replicate int     // replicates
}

// Cost estimates what c costs. c need not be valid: counts below their
// minimum are taken at the minimum.
func (c *Config) Cost() Cost {
	n := float64(max(c.World.States, 1))
	directed := c.expectedDirected()
	k := Kernel(c)
	w := kernelStateBytes[k] * n
	if c.Topology.Kind != TopoComplete && k != "lattice-game" {
		w += listHeaderBytes*n + entryBytes*directed
		switch c.Topology.Kind {
		case TopoSmallWorld:
			w += ringEntryBytes * directed
		case TopoScaleFree:
			w += repeatedBytes * directed
		}
	}
	if c.Decision.Rule == RuleReciprocal && k == "cyber" {
		pairs := directed
		if c.Topology.Kind == TopoComplete {
			pairs = n * n
		}
		w += pairs + perceptBytes*n
	}
	w += windowBytes(c) // the means over the last window
	every := float64(max(c.Run.RecordEvery, 1))
	rows := math.Floor(float64(max(c.Run.Steps, 1))/every) + 2
	rec := rows*rowBytes + replicateBytes
	if c.Topology.Kind == TopoLattice {
		rec += n * float64(len(snapshotSteps)+1) / float64(max(c.Run.Replicates, 1)) // replicate 0 keeps snapshots
	}
	cost := Cost{World: w, Directed: directed, Record: rec, Replicate: max(c.Run.Replicates, 1)}
	cost.Fanout, cost.StepWork = c.stepWork(n, directed)
	return cost
}

// Memory returns the memory of a run of the configuration with workers
// worlds alive at once: the program, the worlds, and every replicate's
// record (kept until the outputs are written).
func (cost Cost) Memory(workers int) float64 {
	return runBaseBytes + float64(max(workers, 0))*cost.World + recordOverhead*float64(cost.Replicate)*cost.Record
}

// MaxWorkers returns how many worlds of c fit in [MemoryLimit] at once
// (at least 1; a configuration whose one world does not fit is refused
// by Validate).
func MaxWorkers(c *Config) int {
	cost := c.Cost()
	free := MemoryLimit - cost.Memory(0)
	if cost.World <= 0 || free >= cost.World*float64(math.MaxInt32) {
		return math.MaxInt32
	}
	return max(1, int(free/cost.World))
}

// Workers returns the number of worlds a run of c runs at once when asked
// for want (<= 0: one per core): at most one per replicate, and no more
// than fit in memory.
func Workers(c *Config, want int) int {
	if want <= 0 {
		want = runtime.GOMAXPROCS(0)
	}
	return max(1, min(want, c.Run.Replicates, MaxWorkers(c)))
}

// CheckWorkers reports, as a problem of the key "workers", a number of
// worlds at once that does not fit in memory; nil when it fits.
func CheckWorkers(c *Config, workers int) *FieldError {
	if workers <= 1 || workers <= MaxWorkers(c) {
		return nil
	}
	cost := c.Cost()
	return &FieldError{Key: "workers", Value: strconv.Itoa(workers),
		Msg: fmt.Sprintf("%d worlds of %d states at once would take about %s (limit %s); at most %d fit: use fewer workers",
			workers, c.World.States, bytesString(cost.Memory(workers)), bytesString(MemoryLimit), MaxWorkers(c))}
}

// windowBytes is the memory of the means over the last convergence window
// that a replicate keeps: the practice, the belief and every metric.
func windowBytes(c *Config) float64 {
	return 8 * float64(NumMetrics+2) * float64(max(c.Convergence.Window, 1))
}

// expectedDirected returns the expected number of neighbour entries (two
// per undirected edge) of c's topology; 0 for a complete one.
func (c *Config) expectedDirected() float64 {
	t := &c.Topology
	n := float64(max(c.World.States, 1))
	switch t.Kind {
	case TopoLattice:
		deg := 8.0
		if t.Neighbourhood == VonNeumann {
			deg = 4
		}
		if t.Self {
			deg++
		}
		return deg * float64(max(t.Width, 0)) * float64(max(t.Height, 0))
	case TopoRandom:
		return clampProb(t.P) * n * (n - 1)
	case TopoSmallWorld:
		return float64(max(t.K, 0)) * n
	case TopoScaleFree:
		return 2 * float64(max(t.M, 0)) * n
	case TopoEdges:
		return 2 * float64(len(t.Edges))
	case TopoBlocs:
		return c.blocDirected(n)
	}
	return 0
}

// blocDirected returns the expected neighbour entries of a blocs topology:
// p_in within each bloc, p_out across.
func (c *Config) blocDirected(n float64) float64 {
	var inside float64 // ordered pairs within blocs
	if len(c.World.BlocOf) > 0 {
		sizes := map[int]float64{}
		for _, b := range c.World.BlocOf {
			sizes[b]++
		}
		for _, s := range sizes {
			inside += s * (s - 1)
		}
	} else {
		nb := float64(max(c.World.Blocs, 1))
		s := n / nb
		inside = nb * s * (s - 1)
	}
	inside = max(inside, 0)
	across := max(n*(n-1)-inside, 0)
	return clampProb(c.Topology.PIn)*inside + clampProb(c.Topology.POut)*across
}

func clampProb(p float64) float64 {
	if !(p > 0) {
		return 0
	}
	return math.Min(p, 1)
}

// stepWork returns the targets of one opportunity and the worst-case work
// of one step: every state's opportunities, each with what it may set off
// (innocent suspects weighed, joint partners, a spiral, allies, and under
// metanorms every other state watching).
func (c *Config) stepWork(n, directed float64) (fanout, work float64) {
	deg := n - 1
	if c.Topology.Kind != TopoComplete {
		deg = directed / n
	}
	perStep := float64(max(c.Opportunity.PerStep, 1))
	switch Kernel(c) {
	case "lattice-game":
		return deg, n * 9
	case "game":
		if c.Topology.Kind == TopoComplete {
			return deg, n // closed form: the counts of cooperators
		}
		return deg, n * (deg + 1)
	case "axelrod":
		// Bit-parallel over 64 agents: each opportunity is seen by
		// every other agent, and under metanorms each of them is watched
		// by every other one.
		w := perStep * n * math.Max(1, n/64)
		if c.Metanorms.Enabled {
			w *= n
		}
		return deg, w
	}
	fanout = 1
	if c.Opportunity.Targets == TargetsAll {
		fanout = math.Max(deg, 1)
	}
	each := 1 + float64(max(c.Attribution.Suspects, 0)) + float64(max(c.Response.MaxSpiral, 0))
	if c.Attribution.Joint {
		each += math.Min(float64(max(c.Attribution.JointPartners, 0)), n)
	}
	if c.Metanorms.Enabled {
		each += n
	}
	if c.Response.AllianceSolidarity > 0 || eventSets(c, "response.alliance_solidarity") {
		each += n / float64(max(c.World.Blocs, 1))
	}
	return fanout, n * perStep * fanout * each
}

// eventSets reports whether an event sets key.
func eventSets(c *Config, key string) bool {
	for _, ev := range c.Events {
		for _, a := range ev.Set {
			if a.Key == key {
				return true
			}
		}
	}
	return false
}

// budget returns the problems of c's cost with one world at a time, each
// naming the key that causes it: a lattice whose width x height
// overflows, a topology with more edges than can be indexed, a world or a
// record that does not fit in [MemoryLimit], a step of more than
// [MaxStepWork].
func budget(c *Config) []FieldError {
	var errs []FieldError
	add := func(key, value, format string, args ...any) {
		errs = append(errs, FieldError{Key: key, Value: value, Msg: fmt.Sprintf(format, args...)})
	}
	t := &c.Topology
	if t.Kind == TopoLattice && t.Width >= 1 && t.Height >= 1 && float64(t.Width)*float64(t.Height) > math.MaxInt64/2 {
		add("topology.width", fmt.Sprintf("%d x %d", t.Width, t.Height),
			"width x height overflows; want width x height = world.states (%d)", c.World.States)
		return errs // the other estimates use the product
	}
	if c.World.States > MaxStates {
		return errs // refused by Validate, which says so
	}
	cost := c.Cost()
	if cost.Directed > maxDirected {
		add(topologyKey(c), topologyValue(c), "%s would have about %s edges, want at most %s (%d states)",
			c.Topology.Kind, countString(cost.Directed/2), countString(maxDirected/2), c.World.States)
		return errs
	}
	if m := cost.Memory(1); m > MemoryLimit {
		key, value, what, advice := c.memoryCause(cost)
		add(key, value, "the run would take about %s of memory (limit %s), most of it for %s: %s",
			bytesString(m), bytesString(MemoryLimit), what, advice)
		return errs // the step's work follows from the same counts
	}
	if cost.StepWork > MaxStepWork {
		key, value := c.workCause()
		add(key, value, "one step could make %s state-target interactions (%d states x %d opportunities x %s targets, and what each sets off; limit %s): a step could run for minutes",
			countString(cost.StepWork), c.World.States, max(c.Opportunity.PerStep, 1), countString(cost.Fanout), countString(MaxStepWork))
	}
	return errs
}

// memoryCause names the part of a run that takes the most memory: its key,
// the value there, what it is and what to change.
func (c *Config) memoryCause(cost Cost) (key, value, what, advice string) {
	n := float64(max(c.World.States, 1))
	states := kernelStateBytes[Kernel(c)] * n
	parts := []struct {
		bytes                    float64
		key, value, what, advice string
	}{
		{states, "world.states", strconv.Itoa(c.World.States), fmt.Sprintf("a world of %d states", c.World.States),
			"lower world.states"},
		{cost.World - states - windowBytes(c), topologyKey(c), topologyValue(c),
			fmt.Sprintf("a %s topology of about %s edges", c.Topology.Kind, countString(cost.Directed/2)), "make the topology sparser"},
		{windowBytes(c), "convergence.window", strconv.Itoa(c.Convergence.Window),
			fmt.Sprintf("a convergence window of %d steps (a value of every metric for each)", c.Convergence.Window), "shorten the window"},
		{recordOverhead * float64(cost.Replicate) * cost.Record, "run.steps", strconv.Itoa(c.Run.Steps),
			fmt.Sprintf("the record of %d replicates of %d steps, every %d", c.Run.Replicates, c.Run.Steps, max(c.Run.RecordEvery, 1)),
			"raise run.record_every, or lower run.steps or run.replicates"},
	}
	if c.Decision.Rule == RuleReciprocal && c.Topology.Kind == TopoComplete {
		parts[1].key, parts[1].value = "decision.rule", strconv.Quote(c.Decision.Rule.String())
		parts[1].what = fmt.Sprintf("the reciprocal rule's memory of every pair of %d states (complete topology)", c.World.States)
		parts[1].advice = "lower world.states, or use a sparser topology"
	}
	best := 0
	for i, p := range parts {
		if p.bytes > parts[best].bytes {
			best = i
		}
	}
	p := parts[best]
	if best == 3 && recordOverhead*cost.Record*16 < MemoryLimit { // each replicate is small: there are too many
		p.key, p.value = "run.replicates", strconv.Itoa(c.Run.Replicates)
	}
	return p.key, p.value, p.what, p.advice
}

// workCause names the key that makes a step too long.
func (c *Config) workCause() (key, value string) {
	switch {
	case c.Decision.Rule == RuleGame: // plays every neighbour
		return topologyKey(c), topologyValue(c)
	case c.Opportunity.PerStep > 1:
		return "opportunity.per_step", strconv.Itoa(c.Opportunity.PerStep)
	case c.Opportunity.Targets == TargetsAll:
		return "opportunity.targets", strconv.Quote(c.Opportunity.Targets.String())
	case c.Metanorms.Enabled:
		return "metanorms.enabled", "true"
	case c.Response.MaxSpiral > 1000:
		return "response.max_spiral", strconv.Itoa(c.Response.MaxSpiral)
	}
	return "world.states", strconv.Itoa(c.World.States)
}

// topologyKey is the key that sets the density of c's topology.
func topologyKey(c *Config) string {
	switch c.Topology.Kind {
	case TopoRandom:
		return "topology.p"
	case TopoSmallWorld:
		return "topology.k"
	case TopoScaleFree:
		return "topology.m"
	case TopoBlocs:
		if c.Topology.PIn >= c.Topology.POut {
			return "topology.p_in"
		}
		return "topology.p_out"
	case TopoEdges:
		return "topology.pairs"
	case TopoLattice:
		return "topology.width"
	}
	return "world.states"
}

func topologyValue(c *Config) string {
	t := &c.Topology
	switch topologyKey(c) {
	case "topology.p":
		return strconv.FormatFloat(t.P, 'g', -1, 64)
	case "topology.k":
		return strconv.Itoa(t.K)
	case "topology.m":
		return strconv.Itoa(t.M)
	case "topology.p_in":
		return strconv.FormatFloat(t.PIn, 'g', -1, 64)
	case "topology.p_out":
		return strconv.FormatFloat(t.POut, 'g', -1, 64)
	case "topology.pairs":
		return fmt.Sprintf("[%d pairs]", len(t.Edges))
	case "topology.width":
		return fmt.Sprintf("%d x %d", t.Width, t.Height)
	}
	return strconv.Itoa(c.World.States)
}

// bytesString writes a number of bytes for people: "3.2 GiB".
func bytesString(b float64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f bytes", b)
	}
	if b >= 1024 {
		return fmt.Sprintf("%.3g %s", b, units[i])
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// countString writes a large count compactly: 193, 2.5e+10.
func countString(x float64) string {
	if x < 1e6 {
		return strconv.FormatFloat(math.Round(x), 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', 2, 64)
}

// LimitRuntimeMemory sets the Go runtime's soft memory limit to
// [MemoryLimit] plus a quarter, unless GOMEMLIMIT says otherwise, so that
// the collector keeps the heap near what the budget counts (the live
// data) rather than letting it grow to twice that. The command calls it
// once at start.
func LimitRuntimeMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit + MemoryLimit/4)
	}
}
