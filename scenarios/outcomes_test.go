package scenarios

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/normsim/normsim/sim"
)

// shippedCyber returns the shipped scenarios of the cyber model
// (scenarios/*.toml, not the claims study or the classic games), loaded.
func shippedCyber(t *testing.T) []*Scenario {
	t.Helper()
	var out []*Scenario
	for _, e := range List() {
		if strings.Contains(strings.TrimPrefix(e.File, "scenarios/"), "/") {
			continue // the claims study
		}
		s := mustOpen(t, e.Name)
		cfg, err := s.Config()
		if err != nil {
			t.Fatal(err)
		}
		if sim.Kernel(&cfg) == "cyber" {
			out = append(out, s)
		}
	}
	if len(out) < 9 {
		t.Fatalf("%d shipped cyber scenarios, want the 9 of the README", len(out))
	}
	return out
}

// runWith runs s with world.revisionists = k (the same replicate seeds
// whatever k) and returns its replicates.
func runWith(t *testing.T, s *Scenario, k int) []sim.Replicate {
	t.Helper()
	c := s.Clone()
	if err := c.Set(fmt.Sprintf("world.revisionists=%d", k)); err != nil {
		t.Fatal(err)
	}
	cfg, err := c.Config()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), cfg, sim.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Replicates
}

// TestOutcomeRobustToOneState checks the outcome thresholds of the shipped
// cyber scenarios (convergence.high and .low): with one revisionist more,
// and one fewer, on the same replicate seeds, the outcome class of at most
// a tenth of the replicates changes. A class that one state more or less
// decides would be the luck of the draw (MODEL.md: version 1's
// established against contested). The README ("Shipped scenarios") says
// why the shipped scenarios set low = 0.25 rather than the default 0.1.
//
// It also checks that a scenario whose practice collapses is classified
// collapsed or hollow, never contested: at least one shipped scenario
// collapses (restraint among non-revisionists at most 0.25 on average),
// and in each that does, at least 90% of the replicates are collapsed or
// hollow.
func TestOutcomeRobustToOneState(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every shipped cyber scenario three times")
	}
	const maxShare = 0.1
	collapses := 0
	for _, s := range shippedCyber(t) {
		t.Run(s.Name, func(t *testing.T) {
			cfg, _ := s.Config()
			k := cfg.World.Revisionists
			if len(cfg.World.RevisionistList) > 0 {
				t.Skip("revisionists named in a list: one more or less is not defined")
			}
			base := runWith(t, s, k)
			for _, other := range []int{k - 1, k + 1} {
				if other < 0 {
					continue
				}
				reps := runWith(t, s, other)
				changed := 0
				for i := range base {
					if base[i].Outcome != reps[i].Outcome {
						changed++
					}
				}
				if share := float64(changed) / float64(len(base)); share > maxShare {
					t.Errorf("%d revisionists instead of %d change the outcome of %d of %d replicates (%.2f > %.2f)",
						other, k, changed, len(base), share, maxShare)
				}
			}
			p, fallen := 0.0, 0
			for _, r := range base {
				p += r.FinalRestraint / float64(len(base))
				if r.Outcome == sim.Collapsed || r.Outcome == sim.Hollow {
					fallen++
				}
			}
			if p <= 0.25 {
				collapses++
				if share := float64(fallen) / float64(len(base)); share < 0.9 {
					t.Errorf("practice collapsed (mean %.3f) but only %d of %d replicates are classified collapsed or hollow", p, fallen, len(base))
				}
			}
		})
	}
	if collapses == 0 {
		t.Error("no shipped cyber scenario collapses: the collapsed class goes untested")
	}
}
