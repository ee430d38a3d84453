package sim

import (
	"fmt"
	"strings"

	"github.com/normsim/normsim/agents"
)

// The enumerations of the configuration. Each is a small integer in the
// engine (compared per opportunity in the hot loop) and a name in scenario
// files and outputs: String gives the name, UnmarshalText parses it, and
// Names lists the allowed ones in their order.

// Rule is a decision rule (decision.rule).
type Rule uint8

// The decision rules.
const (
	RuleThreshold Rule = iota
	RuleLogit
	RuleGame
	RuleReciprocal
)

// TopologyKind is a kind of network (topology.kind).
type TopologyKind uint8

// The topology kinds.
const (
	TopoComplete TopologyKind = iota
	TopoLattice
	TopoRandom
	TopoSmallWorld
	TopoScaleFree
	TopoBlocs
	TopoEdges
)

// DistKind is a kind of distribution ([Dist]).
type DistKind uint8

// The distribution kinds.
const (
	DistConstant DistKind = iota
	DistUniform
	DistNormal
	DistPareto
	DistValues
	// DistLevels is uniform on Axelrod's eight levels k/7.
	DistLevels
)

// Pattern is a form of world.initial.
type Pattern uint8

// The initial patterns.
const (
	InitRandom Pattern = iota // a random share
	InitSingle                // one escalator
	InitList                  // the states listed
)

// Targets says who an escalation hurts (opportunity.targets).
type Targets uint8

// The targets.
const (
	TargetsOne Targets = iota // one neighbour drawn at random
	TargetsAll                // every neighbour (Axelrod's norms game)
)

// Neighbourhood is a lattice neighbourhood (topology.neighbourhood).
type Neighbourhood uint8

// The neighbourhoods.
const (
	Moore      Neighbourhood = iota // 8 neighbours
	VonNeumann                      // 4 neighbours
)

// LearningRule is how traits change (learning.rule).
type LearningRule uint8

// The learning rules.
const (
	LearnAxelrod LearningRule = iota
	LearnImitation
	LearnBestNeighbour
	LearnReinforcement
	LearnNone
	LearnConformist
)

// Schedule is who revises in a learning round (learning.schedule).
type Schedule uint8

// The schedules.
const (
	Synchronous  Schedule = iota // every state at once, from the round before
	Asynchronous                 // one state drawn at random
)

// SDKind is the standard deviation Axelrod's selection uses (axelrod.sd).
type SDKind uint8

// The standard deviations.
const (
	SDPopulation SDKind = iota
	SDSample
)

var enumNames = map[any][]string{
	RuleThreshold:              {"threshold", "logit", "game", "reciprocal"},
	TopoComplete:               {"complete", "lattice", "random", "small-world", "scale-free", "blocs", "edges"},
	DistConstant:               {"constant", "uniform", "normal", "pareto", "values", "levels"},
	InitRandom:                 {"random", "single", "list"},
	TargetsOne:                 {"one", "all"},
	Moore:                      {"moore", "von-neumann"},
	LearnAxelrod:               {"axelrod", "imitation", "best-neighbour", "reinforcement", "none", "conformist"},
	Synchronous:                {"synchronous", "asynchronous"},
	SDPopulation:               {"population", "sample"},
	agents.SelectAxelrod:       {"axelrod", "tournament", "roulette", "average"},
	agents.RefillRandom:        {"random", "replicate"},
	agents.EqualReplicateTwice: {"replicate-twice", "keep"},
}

// enumeration is the constraint of the configuration's enumerations.
type enumeration interface {
	~uint8
}

// names returns the names of T's values, in order.
func names[T enumeration]() []string {
	var zero T
	return enumNames[zero]
}

func enumString[T enumeration](v T) string {
	if n := names[T](); int(v) < len(n) {
		return n[v]
	}
	return fmt.Sprintf("%T(%d)", v, uint8(v))
}

func enumParse[T enumeration](b []byte, v *T) error {
	for i, n := range names[T]() {
		if n == string(b) {
			*v = T(i)
			return nil
		}
	}
	return fmt.Errorf("%q: want one of %s", b, strings.Join(names[T](), ", "))
}

func (v Rule) String() string                         { return enumString(v) }
func (v *Rule) UnmarshalText(b []byte) error          { return enumParse(b, v) }
func (Rule) Names() []string                          { return names[Rule]() }
func (v TopologyKind) String() string                 { return enumString(v) }
func (v *TopologyKind) UnmarshalText(b []byte) error  { return enumParse(b, v) }
func (TopologyKind) Names() []string                  { return names[TopologyKind]() }
func (v DistKind) String() string                     { return enumString(v) }
func (v *DistKind) UnmarshalText(b []byte) error      { return enumParse(b, v) }
func (DistKind) Names() []string                      { return names[DistKind]() }
func (v Pattern) String() string                      { return enumString(v) }
func (v *Pattern) UnmarshalText(b []byte) error       { return enumParse(b, v) }
func (Pattern) Names() []string                       { return names[Pattern]() }
func (v Targets) String() string                      { return enumString(v) }
func (v *Targets) UnmarshalText(b []byte) error       { return enumParse(b, v) }
func (Targets) Names() []string                       { return names[Targets]() }
func (v Neighbourhood) String() string                { return enumString(v) }
func (v *Neighbourhood) UnmarshalText(b []byte) error { return enumParse(b, v) }
func (Neighbourhood) Names() []string                 { return names[Neighbourhood]() }
func (v LearningRule) String() string                 { return enumString(v) }
func (v *LearningRule) UnmarshalText(b []byte) error  { return enumParse(b, v) }
func (LearningRule) Names() []string                  { return names[LearningRule]() }
func (v Schedule) String() string                     { return enumString(v) }
func (v *Schedule) UnmarshalText(b []byte) error      { return enumParse(b, v) }
func (Schedule) Names() []string                      { return names[Schedule]() }
func (v SDKind) String() string                       { return enumString(v) }
func (v *SDKind) UnmarshalText(b []byte) error        { return enumParse(b, v) }
func (SDKind) Names() []string                        { return names[SDKind]() }
