package plots

import (
	"log"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/cmpimg"
)

// Golden images guard the look of the charts, not their numbers (those
// are asserted by the other tests). They are compared with a small
// per-pixel tolerance in YIQ space (cmpimg.EqualApprox), so that
// anti-aliasing differences between architectures pass and a moved line
// or label does not. Regenerate with: go test ./plots -run Golden -regen

// goldenDelta is cmpimg's normalised per-pixel tolerance.
const goldenDelta = 0.05

// writePNG draws chart name of res to testdata/file.
func writePNG(f *Figure, err error, file string) {
	if err != nil {
		log.Fatal(err)
	}
	out, err := os.Create(filepath.Join("testdata", file))
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close()
	if err := f.WritePNG(out); err != nil {
		log.Fatal(err)
	}
}

// ExampleDraw draws the convergence chart of a run and saves it as PNG.
func ExampleDraw() {
	res := cyberFixture() // in a program: res, err := sim.Run(ctx, cfg, sim.RunOptions{})
	f, err := Draw("convergence", res, Meta{Scenario: "baseline", Seed: 7, Replicates: 8, Version: "v0.1.0-test", Hash: "9f86d081884c7d65"})
	writePNG(f, err, "convergence.png")
}

// ExamplePhaseDiagram draws the share of established runs over a grid of
// two parameters.
func ExamplePhaseDiagram() {
	x, y, z := phaseFixture() // z[i][j] is the value at (x[j], y[i])
	f, err := PhaseDiagram(x, y, z, "evidence standard τ", "forum inclusivity", "share established",
		Meta{Scenario: "baseline", Seed: 7, Replicates: 10, Version: "v0.1.0-test"})
	writePNG(f, err, "phase.png")
}

func exampleOutcomes() {
	f, err := Draw("outcomes", cyberFixture(), fixtureMeta)
	writePNG(f, err, "outcomes.png")
}

func exampleAdoption() {
	f, err := Draw("adoption", cyberFixture(), fixtureMeta)
	writePNG(f, err, "adoption.png")
}

// ExampleClaim draws a tested claim: the variants side by side.
func ExampleClaim() {
	c := claimFixture() // in a program: c, err := goals.Run(ctx, scenario, expect, sim.RunOptions{})
	f, err := Claim(c, Meta{Scenario: "baseline", Seed: 7, Replicates: 12, Version: "v0.1.0-test"})
	writePNG(f, err, "claim.png")
}

func exampleLattice() {
	m := fixtureMeta
	m.Scenario, m.Replicates = "nowak-may", 1
	f, err := Draw("lattice", latticeFixture(), m)
	writePNG(f, err, "lattice.png")
}

func TestGoldenConvergence(t *testing.T) {
	cmpimg.CheckPlotApprox(ExampleDraw, t, goldenDelta, "convergence.png")
}

func TestGoldenOutcomes(t *testing.T) {
	cmpimg.CheckPlotApprox(exampleOutcomes, t, goldenDelta, "outcomes.png")
}

func TestGoldenAdoption(t *testing.T) {
	cmpimg.CheckPlotApprox(exampleAdoption, t, goldenDelta, "adoption.png")
}

func TestGoldenClaim(t *testing.T) {
	cmpimg.CheckPlotApprox(ExampleClaim, t, goldenDelta, "claim.png")
}

func TestGoldenLattice(t *testing.T) {
	cmpimg.CheckPlotApprox(exampleLattice, t, goldenDelta, "lattice.png")
}

func TestGoldenPhaseDiagram(t *testing.T) {
	cmpimg.CheckPlotApprox(ExamplePhaseDiagram, t, goldenDelta, "phase.png")
}
