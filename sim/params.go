package sim

import "sort"

// paramPtrs maps the key paths an event (or a sweep) may set to the field
// they name. Keys are those of the scenario format.
var paramPtrs = map[string]func(c *Config) *float64{
	"opportunity.rate":                 func(c *Config) *float64 { return &c.Opportunity.Rate },
	"payoffs.temptation":               func(c *Config) *float64 { return &c.Payoffs.Temptation },
	"payoffs.harm":                     func(c *Config) *float64 { return &c.Payoffs.Harm },
	"payoffs.punishment":               func(c *Config) *float64 { return &c.Payoffs.Punishment },
	"payoffs.enforcement_cost":         func(c *Config) *float64 { return &c.Payoffs.EnforcementCost },
	"payoffs.collateral":               func(c *Config) *float64 { return &c.Payoffs.Collateral },
	"payoffs.spillover":                func(c *Config) *float64 { return &c.Payoffs.Spillover },
	"payoffs.reputation":               func(c *Config) *float64 { return &c.Payoffs.Reputation },
	"attribution.evidence_standard":    func(c *Config) *float64 { return &c.Attribution.EvidenceStandard },
	"attribution.background_rate":      func(c *Config) *float64 { return &c.Attribution.BackgroundRate },
	"attribution.false_flag":           func(c *Config) *float64 { return &c.Attribution.FalseFlag },
	"attribution.publicity":            func(c *Config) *float64 { return &c.Attribution.Publicity },
	"attribution.private_sector_boost": func(c *Config) *float64 { return &c.Attribution.PrivateSectorBoost },
	"response.alliance_solidarity":     func(c *Config) *float64 { return &c.Response.AllianceSolidarity },
	"metanorms.punishment":             func(c *Config) *float64 { return &c.Metanorms.Punishment },
	"metanorms.enforcement_cost":       func(c *Config) *float64 { return &c.Metanorms.EnforcementCost },
	"credibility.verification":         func(c *Config) *float64 { return &c.Credibility.Verification },
	"credibility.rate":                 func(c *Config) *float64 { return &c.Credibility.Rate },
	"expectations.smoothing":           func(c *Config) *float64 { return &c.Expectations.Smoothing },
	"expectations.public_weight":       func(c *Config) *float64 { return &c.Expectations.PublicWeight },
	"forum.inclusivity":                func(c *Config) *float64 { return &c.Forum.Inclusivity },
	"forum.dominance":                  func(c *Config) *float64 { return &c.Forum.Dominance },
	"forum.pull":                       func(c *Config) *float64 { return &c.Forum.Pull },
	"forum.codify":                     func(c *Config) *float64 { return &c.Forum.Codify },
	"forum.codified_conformity":        func(c *Config) *float64 { return &c.Forum.CodifiedConformity },
	"decision.precision":               func(c *Config) *float64 { return &c.Decision.Precision },
	"decision.conformity":              func(c *Config) *float64 { return &c.Decision.Conformity },
	"game.reward":                      func(c *Config) *float64 { return &c.Game.Reward },
	"game.temptation":                  func(c *Config) *float64 { return &c.Game.Temptation },
	"game.sucker":                      func(c *Config) *float64 { return &c.Game.Sucker },
	"game.punishment":                  func(c *Config) *float64 { return &c.Game.Punishment },
	"learning.mutation":                func(c *Config) *float64 { return &c.Learning.Mutation },
	"learning.selection":               func(c *Config) *float64 { return &c.Learning.Selection },
	"learning.aspiration":              func(c *Config) *float64 { return &c.Learning.Aspiration },
	"learning.rate":                    func(c *Config) *float64 { return &c.Learning.Rate },
}

// EventParams returns, sorted, the key paths that an event may set: the
// numeric parameters that can change while a world runs.
func EventParams() []string {
	keys := make([]string, 0, len(paramPtrs))
	for k := range paramPtrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// paramPtr returns the field named by key, or nil.
func paramPtr(c *Config, key string) *float64 {
	if f, ok := paramPtrs[key]; ok {
		return f(c)
	}
	return nil
}
