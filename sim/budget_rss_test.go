package sim_test

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"

	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/sim"
)

// rssCases are runs whose peak resident memory TestBudgetRSS measures,
// each a few seconds: a dense graph, a long recorded run, and many
// replicates.
var rssCases = map[string]func(c *sim.Config){
	"dense-random": func(c *sim.Config) {
		c.World.States = 20000
		c.Topology.Kind, c.Topology.P = sim.TopoRandom, 0.1
		c.Run.Steps, c.Run.Replicates = 2, 1
	},
	"long-record": func(c *sim.Config) {
		c.World.States = 2
		c.Run.Steps, c.Run.Replicates = 1_000_000, 1
	},
	"many-replicates": func(c *sim.Config) {
		c.World.States = 2
		c.Run.Steps, c.Run.Replicates = 20, 50_000
	},
}

// TestBudgetRSS runs each case in a child process, as the command runs it
// (the simulation, the CSV files, the charts), and checks that the
// budget's estimate of its memory is within a factor 2 of the child's
// peak resident memory.
func TestBudgetRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs children of several hundred MB")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the peak resident memory of a child from Linux's rusage")
	}
	for name, f := range rssCases {
		t.Run(name, func(t *testing.T) {
			c := sim.DefaultConfig()
			f(&c)
			cmd := exec.Command(os.Args[0], "-test.run=^TestBudgetRSSChild$")
			cmd.Env = append(os.Environ(), "BUDGET_RSS_CASE="+name, "BUDGET_RSS_DIR="+t.TempDir())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			rss := float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) * 1024
			est := c.Cost().Memory(1)
			t.Logf("estimate %.0f MB, peak RSS %.0f MB (%.2f)", est/1e6, rss/1e6, rss/est)
			if rss > 2*est || rss < est/2 {
				t.Errorf("estimate %.0f MB, peak RSS %.0f MB: not within a factor 2", est/1e6, rss/1e6)
			}
		})
	}
}

// TestBudgetRSSChild is the child of TestBudgetRSS: it runs one case
// with one worker and writes its outputs.
func TestBudgetRSSChild(t *testing.T) {
	name := os.Getenv("BUDGET_RSS_CASE")
	if name == "" {
		t.Skip("run by TestBudgetRSS")
	}
	sim.LimitRuntimeMemory()
	c := sim.DefaultConfig()
	rssCases[name](&c)
	res, err := sim.Run(context.Background(), c, sim.RunOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("BUDGET_RSS_DIR")
	m := results.Meta{Scenario: name, Version: sim.Version, Seed: c.Run.Seed, Replicates: c.Run.Replicates}
	if _, err := results.Save(dir, m, res, true, ""); err != nil {
		t.Fatal(err)
	}
	plots.SaveAll(dir, res, plots.Meta{Scenario: name, Seed: c.Run.Seed, Replicates: c.Run.Replicates, Version: sim.Version})
}
