package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// tinyScenario is the world --set values are fuzzed against: small enough
// that every accepted assignment is run.
const tinyScenario = `schema = 1
name = "tiny"
[run]
steps = 6
replicates = 2
[world]
states = 9
[forum]
every = 2
[[events]]
step = 3
label = "e"
set = { "payoffs.temptation" = 4.0 }
[[expect]]
metric = "restraint_rate"
at_least = 0.5
`

// runTiny runs an accepted scenario as 'normsim run --steps 6
// --replicates 2' would, when its world is small, and writes its data
// files: whatever the input, nothing panics, and an accepted scenario
// runs.
func runTiny(t *testing.T, s *scenarios.Scenario) {
	cfg, err := s.Config()
	if err != nil {
		t.Fatalf("accepted, but Config fails: %v", err)
	}
	s.DropEventsAfter(6)
	if err := s.SetAll(scenarios.Assign{Origin: "--steps", Text: "run.steps=6"}, scenarios.Assign{Origin: "--replicates", Text: "run.replicates=2"}); err != nil {
		return // a file valid for its own steps may not be for 6 (a late convergence window...)
	}
	if cfg, err = s.Config(); err != nil {
		t.Fatalf("accepted after --steps, but Config fails: %v", err)
	}
	if cfg.World.States > 400 || cfg.Cost().StepWork > 1e6 || cfg.Cost().World > 64<<20 {
		return // too large to run at every input
	}
	res, err := sim.Run(context.Background(), cfg, sim.RunOptions{Workers: 1})
	if err != nil {
		t.Fatalf("an accepted scenario fails to run: %v", err)
	}
	m := results.Meta{Scenario: s.Name, Version: programVersion, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	if _, err := results.Save(t.TempDir(), m, res, true, ""); err != nil {
		t.Fatalf("writing the results: %v", err)
	}
	if _, err := scenarios.Parse("resolved.toml", s.Resolved()); err != nil {
		t.Fatalf("the resolved scenario does not load: %v\n%s", err, s.Resolved())
	}
}

// FuzzSet fuzzes --set assignments on a tiny scenario: they are refused
// or applied, and an applied one runs.
func FuzzSet(f *testing.F) {
	for _, a := range []string{
		"world.power={ dist = \"pareto\", alpha = 1.16, min = 1.0 }", "world.states=16", "topology.kind=lattice",
		"topology.kind=small-world", "topology.k=4", "topology.pairs=[[0, 1], [1, 2]]", "world.blocs=[0, 1, 0, 1, 0, 1, 0, 1, 0]",
		"world.initial.escalating=[0, 3]", "world.initial={ pattern = \"single\", site = 4 }", "decision.rule=reciprocal",
		"decision.reciprocal=win-stay-lose-shift", "decision.rule=game", "learning.rule=axelrod", "opportunity.targets=all",
		"metanorms.enabled=true", "attribution.joint=true", "forum.blocs=[1]", "forum.dominance=2.5",
		"events[0].set.\"credibility.rate\"=0.5", "expect[0].stat=quantile", "sweep.parameters.\"forum.pull\"=[0.2, 0.8]",
		"convergence.window=3", "run.record_every=2", "world.boldness={ dist = \"levels\" }", "opportunity.seen=0.5",
		"info.what=\"\\u001b[2J\"", "x=[[[[1]]]]",
	} {
		f.Add(a)
	}
	base, err := scenarios.Parse("tiny.toml", []byte(tinyScenario))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, assign string) {
		s := base.Clone()
		if err := s.SetAll(scenarios.Assign{Origin: "--set", Text: assign}); err != nil {
			return
		}
		runTiny(t, s)
	})
}

// FuzzScenario fuzzes whole scenario files, from the shipped ones, the
// exercises and the bad files of the loader's tests: each is refused, or
// it runs (when its world is small) and writes its results.
func FuzzScenario(f *testing.F) {
	f.Add([]byte(tinyScenario))
	for _, glob := range []string{"../../scenarios/*.toml", "../../scenarios/exercises/*.toml", "../../scenarios/testdata/bad/*.toml"} {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			if data, err := os.ReadFile(name); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenarios.Parse("fuzz.toml", data)
		if err != nil {
			return
		}
		runTiny(t, s)
	})
}
