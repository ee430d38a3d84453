package sim_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/normsim/normsim/sim"
)

var update = flag.Bool("update", false, "rewrite the regression goldens in testdata/regress")

// regressConfigs are fixed configurations whose records are pinned by
// golden files: any change of the engine's draws or arithmetic shows up
// here. A golden diff must be intentional and explained in the commit
// (rewrite with go test ./sim -run Regress -update).
func regressConfigs() map[string]sim.Config {
	base := sim.DefaultConfig()
	base.Run.Steps = 40
	base.Run.Replicates = 2
	base.World.States = 60

	forum := base
	forum.Forum.Every = 10
	forum.Forum.Dominance = 1
	forum.Events = []sim.Event{{Step: 20, Label: "AI-enabled tools", Set: []sim.Assignment{
		{Key: "payoffs.temptation", Value: 4.5}, {Key: "attribution.private_sector_boost", Value: -0.5}}}}

	recip := base
	recip.Decision.Rule = sim.RuleReciprocal
	recip.Topology.Kind = sim.TopoSmallWorld

	lattice := base
	lattice.World.States = 64
	lattice.Topology = sim.TopologyConfig{Kind: sim.TopoLattice, Width: 8, Height: 8, Neighbourhood: sim.VonNeumann, Torus: true}
	lattice.Decision.Rule = sim.RuleThreshold
	lattice.Learning.Rule = sim.LearnBestNeighbour
	lattice.Metanorms.Enabled = true

	axelrod := sim.DefaultConfig()
	axelrod.World.States = 20
	axelrod.World.Boldness = sim.Dist{Kind: sim.DistLevels}
	axelrod.World.Vengefulness = sim.Dist{Kind: sim.DistLevels}
	axelrod.World.Initial = sim.InitialConfig{Pattern: sim.InitRandom, Site: -1}
	axelrod.Opportunity = sim.OpportunityConfig{Rate: 1, Targets: sim.TargetsAll, PerStep: 4, Seen: sim.Dist{Kind: sim.DistUniform, Min: 0, Max: 1}}
	axelrod.Decision.Rule = sim.RuleThreshold
	axelrod.Learning = sim.LearningConfig{Sample: 5, Rule: sim.LearnAxelrod, Every: 1, Mutation: 0.01, Schedule: sim.Synchronous}
	axelrod.Metanorms.Enabled = true
	axelrod.Run = sim.RunConfig{Steps: 60, Replicates: 2, Seed: 1, RecordEvery: 3}

	nowakMay := sim.DefaultConfig()
	nowakMay.World.States = 30 * 30
	nowakMay.World.Initial = sim.InitialConfig{Pattern: sim.InitRandom, Escalators: 0.1, Site: -1}
	nowakMay.Topology = sim.TopologyConfig{Kind: sim.TopoLattice, Width: 30, Height: 30, Neighbourhood: sim.Moore, Self: true}
	nowakMay.Decision.Rule = sim.RuleGame
	nowakMay.Game = sim.GameConfig{Reward: 1, Temptation: 1.85}
	nowakMay.Learning = sim.LearningConfig{Sample: 5, Rule: sim.LearnBestNeighbour, Every: 1, Schedule: sim.Synchronous}
	nowakMay.Run = sim.RunConfig{Steps: 40, Replicates: 2, Seed: 1, RecordEvery: 2}

	imitation := nowakMay
	imitation.Topology = sim.TopologyConfig{Kind: sim.TopoSmallWorld, K: 4, Rewire: 0.1}
	imitation.Learning = sim.LearningConfig{Sample: 5, Rule: sim.LearnImitation, Every: 1, Selection: 2, Mutation: 0.01, Schedule: sim.Asynchronous}

	return map[string]sim.Config{"cyber-forum": forum, "cyber-reciprocal": recip, "cyber-lattice": lattice,
		"axelrod-metanorms": axelrod, "nowak-may": nowakMay, "game-imitation": imitation}
}

func TestRegress(t *testing.T) {
	for name, c := range regressConfigs() {
		t.Run(name, func(t *testing.T) {
			res, err := sim.Run(context.Background(), c, sim.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			b.WriteString("replicate,step")
			for _, m := range sim.MetricNames {
				b.WriteString("," + m)
			}
			b.WriteString("\n")
			for _, r := range res.Replicates {
				for i, row := range r.Rows {
					fmt.Fprintf(&b, "%d,%d", r.Index, r.Steps[i])
					for _, x := range row {
						b.WriteString("," + strconv.FormatFloat(x, 'g', -1, 64))
					}
					b.WriteString("\n")
				}
			}
			path := filepath.Join("testdata", "regress", name+".csv")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create it with -update)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				got, wnt := bytes.Split(b.Bytes(), []byte("\n")), bytes.Split(want, []byte("\n"))
				for i := range min(len(got), len(wnt)) {
					if !bytes.Equal(got[i], wnt[i]) {
						t.Fatalf("%s differs from the golden at line %d:\n got %s\nwant %s", path, i+1, got[i], wnt[i])
					}
				}
				t.Fatalf("%s: %d lines, golden has %d", path, len(got), len(wnt))
			}
		})
	}
}
