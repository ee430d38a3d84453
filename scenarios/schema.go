package scenarios

import (
	"github.com/normsim/normsim/sim"
)

// field describes one key of a configuration section: its path, a one-line
// doc (the comment in Resolved output and the README reference), and where
// it lives in sim.Config. Exactly one accessor is set.
type field struct {
	key  string
	doc  string
	enum []string
	f    func(*sim.Config) *float64
	i    func(*sim.Config) *int
	u    func(*sim.Config) *uint64
	b    func(*sim.Config) *bool
	s    func(*sim.Config) *string
	c    codec // a value with its own syntax (distribution, list, choice)
}

// sections are the configuration tables in the order Resolved writes them.
var sections = []string{
	"run", "world", "topology", "opportunity", "payoffs", "attribution", "response", "metanorms",
	"credibility", "expectations", "forum", "decision", "game", "learning", "axelrod", "convergence",
}

// sectionDocs are the comments on the table headers.
var sectionDocs = map[string]string{
	"run":          "how long and how often",
	"world":        "the states",
	"topology":     "who can act against whom",
	"opportunity":  "step 1: chances to operate",
	"payoffs":      "step 3 and the costs of step 5",
	"attribution":  "step 4: detection and attribution (signal detection)",
	"response":     "step 5: countermeasures",
	"metanorms":    "step 6: punishing those who do not punish (Axelrod 1986)",
	"credibility":  "step 7: verification of accusations",
	"expectations": "step 8: beliefs about restraint and response",
	"forum":        "step 9: multilateral forums",
	"decision":     "step 2: the decision rule",
	"game":         "the 2x2 game of decision.rule = \"game\" (restraint = cooperate)",
	"learning":     "step 10: how traits change",
	"axelrod":      "choices Axelrod (1986) left open, named as Galan and Izquierdo (2005) do",
	"convergence":  "when shared expectations have converged, and how outcomes are named",
}

func fl(key, doc string, p func(*sim.Config) *float64) field { return field{key: key, doc: doc, f: p} }
func in(key, doc string, p func(*sim.Config) *int) field     { return field{key: key, doc: doc, i: p} }
func bo(key, doc string, p func(*sim.Config) *bool) field    { return field{key: key, doc: doc, b: p} }
func en(key, doc string, p func(*sim.Config) *string, values ...string) field {
	return field{key: key, doc: doc, s: p, enum: values}
}

var fields = []field{
	in("run.steps", "steps (rounds, or generations in the classics) per replicate, >= 1", func(c *sim.Config) *int { return &c.Run.Steps }),
	in("run.replicates", "independent replicates, >= 1", func(c *sim.Config) *int { return &c.Run.Replicates }),
	{key: "run.seed", doc: "master seed, >= 0; replicate r draws from PCG(seed, r)", u: func(c *sim.Config) *uint64 { return &c.Run.Seed }},
	in("run.record_every", "record every k-th step in timeseries.csv (the last step always), >= 1", func(c *sim.Config) *int { return &c.Run.RecordEvery }),

	in("world.states", "number of states N, >= 1", func(c *sim.Config) *int { return &c.World.States }),
	{key: "world.power", doc: "power of each state, > 0: a distribution", c: distCodec{get: func(c *sim.Config) *sim.Dist { return &c.World.Power }}},
	{key: "world.blocs", doc: "number of blocs (states assigned round-robin), or a list with each state's bloc", c: blocsCodec{}},
	{key: "world.forensics", doc: "forensic skill d' of each state, >= 0: a distribution", c: distCodec{get: func(c *sim.Config) *sim.Dist { return &c.World.Forensics }}},
	{key: "world.initial", doc: "initial escalators: { escalators = share } | { pattern = \"single\", site = i } | { escalating = [i, ...] }", c: initialCodec{}},
	{key: "world.boldness", doc: "initial boldness in [0,1]: a distribution, or { dist = \"levels\" } (uniform on k/7)", c: distCodec{get: func(c *sim.Config) *sim.Dist { return &c.World.Boldness }, levels: true}},
	{key: "world.vengefulness", doc: "initial vengefulness in [0,1]: a distribution, or { dist = \"levels\" }", c: distCodec{get: func(c *sim.Config) *sim.Dist { return &c.World.Vengefulness }, levels: true}},

	en("topology.kind", "complete | lattice | random | small-world | scale-free | blocs | edges", func(c *sim.Config) *string { return &c.Topology.Kind },
		sim.TopoComplete, sim.TopoLattice, sim.TopoRandom, sim.TopoSmallWorld, sim.TopoScaleFree, sim.TopoBlocs, sim.TopoEdges),
	in("topology.width", "lattice: width (width x height = world.states)", func(c *sim.Config) *int { return &c.Topology.Width }),
	in("topology.height", "lattice: height", func(c *sim.Config) *int { return &c.Topology.Height }),
	en("topology.neighbourhood", "lattice: moore (8 neighbours) | von-neumann (4)", func(c *sim.Config) *string { return &c.Topology.Neighbourhood }, "moore", "von-neumann"),
	bo("topology.torus", "lattice: periodic boundary; false = fixed edges", func(c *sim.Config) *bool { return &c.Topology.Torus }),
	bo("topology.self", "lattice: a site is its own neighbour (Nowak and May 1992)", func(c *sim.Config) *bool { return &c.Topology.Self }),
	fl("topology.p", "random (Erdos-Renyi): edge probability", func(c *sim.Config) *float64 { return &c.Topology.P }),
	in("topology.k", "small-world (Watts-Strogatz): neighbours on the ring, even", func(c *sim.Config) *int { return &c.Topology.K }),
	fl("topology.rewire", "small-world: rewiring probability", func(c *sim.Config) *float64 { return &c.Topology.Rewire }),
	in("topology.m", "scale-free (Barabasi-Albert): edges per new state", func(c *sim.Config) *int { return &c.Topology.M }),
	fl("topology.p_in", "blocs: edge probability inside a bloc", func(c *sim.Config) *float64 { return &c.Topology.PIn }),
	fl("topology.p_out", "blocs: edge probability across blocs", func(c *sim.Config) *float64 { return &c.Topology.POut }),
	{key: "topology.pairs", doc: "edges: undirected pairs of state indices, [[0, 1], ...]", c: pairsCodec{}},

	fl("opportunity.rate", "chance that an opportunity is taken up, per state per opportunity, [0,1]", func(c *sim.Config) *float64 { return &c.Opportunity.Rate }),
	en("opportunity.targets", "one (a random neighbour) | all (every neighbour is hurt and may see it, as in Axelrod)", func(c *sim.Config) *string { return &c.Opportunity.Targets }, "one", "all"),
	in("opportunity.per_step", "opportunities per state per step (Axelrod: 4 per generation), >= 1", func(c *sim.Config) *int { return &c.Opportunity.PerStep }),
	{key: "opportunity.seen", doc: "chance S that an opportunity is seen, in [0,1]: a distribution", c: distCodec{get: func(c *sim.Config) *sim.Dist { return &c.Opportunity.Seen }}},

	fl("payoffs.temptation", "T, to the escalating state", func(c *sim.Config) *float64 { return &c.Payoffs.Temptation }),
	fl("payoffs.harm", "H, to the victim(s)", func(c *sim.Config) *float64 { return &c.Payoffs.Harm }),
	fl("payoffs.punishment", "P, to the punished", func(c *sim.Config) *float64 { return &c.Payoffs.Punishment }),
	fl("payoffs.enforcement_cost", "E, to the punisher", func(c *sim.Config) *float64 { return &c.Payoffs.EnforcementCost }),
	fl("payoffs.collateral", "H_c, to each other neighbour of the victim", func(c *sim.Config) *float64 { return &c.Payoffs.Collateral }),
	fl("payoffs.spillover", "chance of collateral damage, [0,1]", func(c *sim.Config) *float64 { return &c.Payoffs.Spillover }),
	fl("payoffs.reputation", "R, cost of a public accusation at full credibility", func(c *sim.Config) *float64 { return &c.Payoffs.Reputation }),

	fl("attribution.evidence_standard", "tau: accuse when the evidence x > tau", func(c *sim.Config) *float64 { return &c.Attribution.EvidenceStandard }),
	in("attribution.suspects", "innocent candidates weighed per incident, 0..1000", func(c *sim.Config) *int { return &c.Attribution.Suspects }),
	fl("attribution.background_rate", "non-state incidents per state per step, [0,1]", func(c *sim.Config) *float64 { return &c.Attribution.BackgroundRate }),
	fl("attribution.false_flag", "chance the culprit's evidence points at an innocent, [0,1]", func(c *sim.Config) *float64 { return &c.Attribution.FalseFlag }),
	fl("attribution.publicity", "share of accusations made public, [0,1]", func(c *sim.Config) *float64 { return &c.Attribution.Publicity }),
	fl("attribution.private_sector_boost", "added to every state's d'", func(c *sim.Config) *float64 { return &c.Attribution.PrivateSectorBoost }),
	bo("attribution.joint", "bloc members pool evidence: d' = sqrt(sum d_j^2)", func(c *sim.Config) *bool { return &c.Attribution.Joint }),
	in("attribution.joint_partners", "bloc partners who join a joint attribution, >= 0", func(c *sim.Config) *int { return &c.Attribution.JointPartners }),

	fl("response.alliance_solidarity", "chance each ally joins a response, [0,1]", func(c *sim.Config) *float64 { return &c.Response.AllianceSolidarity }),
	in("response.max_spiral", "longest chain of counter-responses, >= 0", func(c *sim.Config) *int { return &c.Response.MaxSpiral }),

	bo("metanorms.enabled", "punish those who saw an escalation and did not respond", func(c *sim.Config) *bool { return &c.Metanorms.Enabled }),
	fl("metanorms.punishment", "P', to the state that failed to respond", func(c *sim.Config) *float64 { return &c.Metanorms.Punishment }),
	fl("metanorms.enforcement_cost", "E', to the metapunisher", func(c *sim.Config) *float64 { return &c.Metanorms.EnforcementCost }),

	fl("credibility.initial", "initial credibility of every state, [0,1]", func(c *sim.Config) *float64 { return &c.Credibility.Initial }),
	fl("credibility.verification", "chance an accusation is later verified, [0,1]", func(c *sim.Config) *float64 { return &c.Credibility.Verification }),
	fl("credibility.rate", "eta: how far a verification moves credibility, [0,1]", func(c *sim.Config) *float64 { return &c.Credibility.Rate }),

	fl("expectations.smoothing", "alpha: exponential smoothing of beliefs, [0,1]", func(c *sim.Config) *float64 { return &c.Expectations.Smoothing }),
	fl("expectations.initial_restraint", "initial belief that others hold back, [0,1]", func(c *sim.Config) *float64 { return &c.Expectations.InitialRestraint }),
	fl("expectations.initial_response", "initial belief that escalations are punished, [0,1]", func(c *sim.Config) *float64 { return &c.Expectations.InitialResponse }),
	fl("expectations.public_weight", "weight of the public record against one private observation, >= 0", func(c *sim.Config) *float64 { return &c.Expectations.PublicWeight }),
	fl("expectations.initial_spread", "sd of initial beliefs around their means, >= 0", func(c *sim.Config) *float64 { return &c.Expectations.InitialSpread }),

	in("forum.every", "steps between meetings; 0 = no forum", func(c *sim.Config) *int { return &c.Forum.Every }),
	fl("forum.inclusivity", "chance each state takes part, [0,1]", func(c *sim.Config) *float64 { return &c.Forum.Inclusivity }),
	{key: "forum.blocs", doc: "if not empty, only these blocs take part", c: intListCodec{get: func(c *sim.Config) *[]int { return &c.Forum.Blocs }}},
	fl("forum.dominance", "voice weight ~ power^dominance; 0 = equal voice, >= 0", func(c *sim.Config) *float64 { return &c.Forum.Dominance }),
	fl("forum.pull", "lambda: how far participants move to the consensus, [0,1]", func(c *sim.Config) *float64 { return &c.Forum.Pull }),
	fl("forum.codify", "consensus at which the norm is codified, [0,1]", func(c *sim.Config) *float64 { return &c.Forum.Codify }),
	fl("forum.codified_conformity", "conformity multiplier for participants once codified, >= 1", func(c *sim.Config) *float64 { return &c.Forum.CodifiedConformity }),
	bo("forum.buy_in", "participants with less than their fair voice share are pulled less", func(c *sim.Config) *bool { return &c.Forum.BuyIn }),

	en("decision.rule", "threshold | logit | game | reciprocal", func(c *sim.Config) *string { return &c.Decision.Rule },
		sim.RuleThreshold, sim.RuleLogit, sim.RuleGame, sim.RuleReciprocal),
	fl("decision.precision", "beta of the logit rule, >= 0", func(c *sim.Config) *float64 { return &c.Decision.Precision }),
	fl("decision.conformity", "kappa: weight of conformity to the expected norm (logit), >= 0", func(c *sim.Config) *float64 { return &c.Decision.Conformity }),
	{key: "decision.reciprocal", doc: "chance of restraint given (my last move, their perceived last move): a preset name or { cc, cd, dc, dd, initial }", c: reciprocalCodec{}},

	fl("game.reward", "R, both cooperate", func(c *sim.Config) *float64 { return &c.Game.Reward }),
	fl("game.temptation", "T (Nowak and May's b), defect against a cooperator", func(c *sim.Config) *float64 { return &c.Game.Temptation }),
	fl("game.sucker", "S, cooperate against a defector", func(c *sim.Config) *float64 { return &c.Game.Sucker }),
	fl("game.punishment", "P, both defect", func(c *sim.Config) *float64 { return &c.Game.Punishment }),

	en("learning.rule", "axelrod | imitation | best-neighbour | reinforcement | none", func(c *sim.Config) *string { return &c.Learning.Rule },
		sim.LearnAxelrod, sim.LearnImitation, sim.LearnBestNeighbour, sim.LearnReinforcement, sim.LearnNone),
	in("learning.every", "steps between learning rounds, >= 1", func(c *sim.Config) *int { return &c.Learning.Every }),
	fl("learning.mutation", "mutation chance per trait (axelrod: per bit), [0,1]", func(c *sim.Config) *float64 { return &c.Learning.Mutation }),
	fl("learning.selection", "Fermi intensity of imitation, >= 0", func(c *sim.Config) *float64 { return &c.Learning.Selection }),
	fl("learning.aspiration", "aspiration level of reinforcement (Bush-Mosteller)", func(c *sim.Config) *float64 { return &c.Learning.Aspiration }),
	fl("learning.rate", "learning rate of reinforcement, [0,1]", func(c *sim.Config) *float64 { return &c.Learning.Rate }),
	en("learning.schedule", "synchronous (all revise at once) | asynchronous (one random state per round)", func(c *sim.Config) *string { return &c.Learning.Schedule }, "synchronous", "asynchronous"),

	en("axelrod.selection", "axelrod (mean +- 1 sd) | tournament | roulette | average", func(c *sim.Config) *string { return &c.Axelrod.Selection }, "axelrod", "tournament", "roulette", "average"),
	en("axelrod.refill", "how the population returns to N: random | replicate", func(c *sim.Config) *string { return &c.Axelrod.Refill }, "random", "replicate"),
	en("axelrod.equal", "when all payoffs are equal: replicate-twice | keep", func(c *sim.Config) *string { return &c.Axelrod.Equal }, "replicate-twice", "keep"),
	en("axelrod.sd", "standard deviation used by selection: population | sample", func(c *sim.Config) *string { return &c.Axelrod.SD }, "population", "sample"),

	in("convergence.window", "steps the beliefs must stay put, >= 1", func(c *sim.Config) *int { return &c.Convergence.Window }),
	fl("convergence.epsilon", "belief spread (sd) must stay below this, > 0", func(c *sim.Config) *float64 { return &c.Convergence.Epsilon }),
	fl("convergence.delta", "the mean belief must move less than this, > 0", func(c *sim.Config) *float64 { return &c.Convergence.Delta }),
	fl("convergence.high", "established at or above (restraint rate and mean belief), [0,1]", func(c *sim.Config) *float64 { return &c.Convergence.High }),
	fl("convergence.low", "collapsed at or below, [0,1], < high", func(c *sim.Config) *float64 { return &c.Convergence.Low }),
}

// fieldByKey indexes fields.
var fieldByKey = func() map[string]*field {
	m := make(map[string]*field, len(fields))
	for i := range fields {
		m[fields[i].key] = &fields[i]
	}
	return m
}()

// sectionFields returns the names (last pieces) of a section's keys, in
// table order.
func sectionFields(sec string) []string {
	var names []string
	for _, f := range fields {
		if len(f.key) > len(sec) && f.key[:len(sec)+1] == sec+"." {
			names = append(names, f.key[len(sec)+1:])
		}
	}
	return names
}

// topLevel are the keys and tables a scenario file may have at its top.
var topLevel = append([]string{"schema", "name", "title", "info"}, append(append([]string{}, sections...), "events", "sweep", "expect")...)
