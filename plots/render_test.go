package plots

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/sim"
)

// TestRenderAll writes every chart of the fixtures to $PLOTS_OUT, for
// looking at them; it is skipped when PLOTS_OUT is unset.
func TestRenderAll(t *testing.T) {
	dir := os.Getenv("PLOTS_OUT")
	if dir == "" {
		t.Skip("PLOTS_OUT not set")
	}
	for name, res := range map[string]*sim.Result{"cyber": cyberFixture(), "mixed": mixedFixture(), "axelrod": axelrodFixture()} {
		if _, err := SaveAll(filepath.Join(dir, name), res, fixtureMeta); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := SaveClaims(dir, []goals.Claim{claimFixture()}, fixtureMeta); err != nil {
		t.Fatal(err)
	}
	m := fixtureMeta
	m.Scenario, m.Replicates = "nowak-may", 1
	if _, err := SaveAll(filepath.Join(dir, "lattice"), latticeFixture(), m); err != nil {
		t.Fatal(err)
	}
}

func TestRenderSweeps(t *testing.T) {
	dir := os.Getenv("PLOTS_OUT")
	if dir == "" {
		t.Skip("PLOTS_OUT not set")
	}
	m := fixtureMeta
	m.Replicates = 10
	save := func(f *Figure, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Save(dir, f.Name); err != nil {
			t.Fatal(err)
		}
	}
	x, y, z := phaseFixture()
	save(PhaseDiagram(x, y, z, "evidence standard τ", "forum inclusivity", "share established", m))
	px, mean, lo, hi := paramFixture()
	save(ParamLine(px, mean, lo, hi, "evidence standard τ", "final restraint rate", m))
	save(SobolBars(sobolFixture()))
}

// edgeFixture is cyberFixture with no convergence, crowded events and
// one replicate.
func edgeFixture() *sim.Result {
	res := cyberFixture()
	res.Replicates = res.Replicates[:1]
	for i := range res.Replicates {
		res.Replicates[i].Converged = -1
	}
	res.Events = []sim.Event{{Step: 40, Label: "Tallinn Manual"}, {Step: 46, Label: "leak of state tools"}, {Step: 46, Label: "sanctions"}, {Step: 295, Label: "AI-enabled tools"}}
	res.Config.Events = res.Events
	res.Config.Forum.Every = 0
	return res
}

func TestRenderEdge(t *testing.T) {
	dir := os.Getenv("PLOTS_OUT")
	if dir == "" {
		t.Skip("PLOTS_OUT not set")
	}
	if _, err := SaveAll(filepath.Join(dir, "edge"), edgeFixture(), fixtureMeta); err != nil {
		t.Fatal(err)
	}
}
