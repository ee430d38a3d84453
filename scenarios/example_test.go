package scenarios_test

import (
	"errors"
	"fmt"

	"github.com/normsim/normsim/scenarios"
)

// Open a shipped scenario, change a key as --set does, and read the
// configuration the engine runs.
func ExampleOpen() {
	s, err := scenarios.Open("baseline")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Set("attribution.evidence_standard=2.0"); err != nil {
		fmt.Println(err)
		return
	}
	cfg, _ := s.Config()
	fmt.Println(s.Name, cfg.World.States, cfg.Attribution.EvidenceStandard, len(cfg.Events))
	// Output: baseline 193 2 1
}

// Every problem in a file is reported at once, one a line, with its
// position, key path, value and what is allowed.
func ExampleLoad() {
	_, err := scenarios.Load("testdata/bad/wrong-types.toml")
	fmt.Println(err)
	var e *scenarios.Error
	if errors.As(err, &e) {
		p := e.Problems[0]
		fmt.Printf("first: line %d, key %s\n", p.Line, p.Key)
	}
	// Output:
	// testdata/bad/wrong-types.toml:5:1: run.steps = "many": want an integer, not a string
	// testdata/bad/wrong-types.toml:6:1: run.replicates = 2.5: want an integer, not a float
	// testdata/bad/wrong-types.toml:7:1: run.seed = -1: want an integer >= 0
	// testdata/bad/wrong-types.toml:10:1: metanorms.enabled = "yes": want true or false, not a string
	// first: line 5, key run.steps
}
