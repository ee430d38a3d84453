package sim

import (
	"math/rand/v2"
	"testing"
)

// benchAxelrod reports agent-gens/s (one agent playing one generation and
// taking part in its selection) for an Axelrod game, one core, from a fixed
// seed.
func benchAxelrod(b *testing.B, cfg Config) {
	w, err := New(cfg, rand.NewPCG(1, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		w.Step()
	}
	b.ReportMetric(float64(cfg.World.States)*float64(b.N)/b.Elapsed().Seconds(), "agent-gens/s")
}

// BenchmarkAxelrodNorms measures Axelrod's (1986) norms game with 20
// agents from random traits: after a few hundred generations the norm has
// collapsed (almost every opportunity is a defection, the costly state).
func BenchmarkAxelrodNorms(b *testing.B) { benchAxelrod(b, axelrodConfig(false)) }

// BenchmarkAxelrodMetanorms measures Axelrod's metanorms game with 20
// agents from random traits: the norm is established within 100
// generations and usually holds for tens of thousands (Galan and Izquierdo
// 2005), so this is mostly the established state.
func BenchmarkAxelrodMetanorms(b *testing.B) { benchAxelrod(b, axelrodConfig(true)) }

// BenchmarkAxelrodMetanormsCollapsed starts the metanorms game from the
// collapsed norm (every agent of boldness 7/7 and vengefulness 0), its
// costliest state: about 75 defections a generation, each seen by half the
// others, each of them exposed to metapunishment.
func BenchmarkAxelrodMetanormsCollapsed(b *testing.B) {
	cfg := axelrodConfig(true)
	cfg.World.Boldness = Dist{Kind: DistConstant, Value: 1}
	cfg.World.Vengefulness = Dist{Kind: DistConstant, Value: 0}
	benchAxelrod(b, cfg)
}
