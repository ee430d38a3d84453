package handout

import (
	"fmt"
	"math"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/plots"
)

// claimView is a tested claim as a handout shows it: the variants' table,
// the verdict with its effect size, and the chart.
type claimView struct {
	ID       string
	Claim    goals.Claim
	Variants []variantRow
	Verdict  string // SUPPORTED or NOT SUPPORTED
	Class    string // the verdict as a CSS class
	Box      string // the verdict box's CSS class
	Effect   goals.Diff
	EffectIs string // what the effect size measures
	Chart    chart
}

// variantRow is one variant: the value of the varied key, the mean of the
// measure with its 95% interval over n replicates, and the paired
// difference from the variant before (none for the first).
type variantRow struct {
	Value, Mean, Lo, Hi float64
	N                   int
	HasDiff             bool
	Diff                goals.Diff
	Sig                 bool // the difference's interval excludes zero
}

func newClaimView(c goals.Claim, meta plots.Meta, id string) (claimView, error) {
	e := c.Expect
	v := claimView{ID: id, Claim: c, Verdict: c.Verdict(), Class: "SUPPORTED", Box: "verdict ok", Effect: c.Effect()}
	if !c.Supported {
		v.Class, v.Box = "NOT-SUPPORTED", "verdict bad"
	}
	for j, val := range e.Values {
		r := variantRow{Value: val, Mean: c.Mean[j], Lo: c.Lo[j], Hi: c.Hi[j]}
		for _, x := range c.X[j] {
			if !math.IsNaN(x) {
				r.N++
			}
		}
		if j > 0 && j-1 < len(c.Steps) {
			r.HasDiff, r.Diff = true, c.Steps[j-1]
			r.Sig = r.Diff.Positive() || r.Diff.Negative()
		}
		v.Variants = append(v.Variants, r)
	}
	switch e.Trend {
	case "peaked":
		v.EffectIs = "the height of the peak above the nearer end (the smaller of its paired differences from the two ends)"
	case "dipped":
		v.EffectIs = "the depth of the dip below the nearer end (the smaller of its paired differences from the two ends)"
	default:
		v.EffectIs = fmt.Sprintf("the last variant minus the first (%s = %s against %s)", e.Vary, goals.Num(e.Values[len(e.Values)-1]), goals.Num(e.Values[0]))
	}
	fig, err := plots.Claim(c, meta)
	if err != nil {
		return v, err
	}
	svg, err := figureSVG(fig, "Claim: "+e.Claim)
	if err != nil {
		return v, err
	}
	v.Chart = chart{ID: id + "-chart", Title: "Claim: " + e.Claim, SVG: svg,
		Reading: fmt.Sprintf("Each dot is a replicate's %s in one variant; a replicate's dots are joined across variants (the same seed). The diamond and whisker are the variant's mean and 95%% interval; above the panel, the paired difference from the variant before, bold when its interval excludes zero. Expected trend: %s.", e.Metric, e.Trend)}
	return v, nil
}

// claimReading is how to read a claim's chart, for every claim at once:
// the run's handout draws its claims' charts in a row under one guide
// (each chart names its measure and expected trend in its subtitle).
const claimReading = "Each dot is a replicate's value of the claim's measure in one variant; a replicate's dots are joined across variants (the same seed). The diamond and whisker are the variant's mean and 95% interval; above the panel, the paired difference from the variant before, bold when its interval excludes zero."

// claimHTML shows one tested claim: the sentence, the table and the
// verdict ("claimtest"), then the chart with its reading guide ("claim",
// as the study shows it).
const claimHTML = `{{define "claim"}}<div class="claim" id="{{.ID}}">
{{template "claimtest" .}}
{{template "chart" .Chart}}
</div>
{{end}}
{{define "claimtest"}}<p>Mean <code>{{.Claim.Expect.Metric}}</code> as <code>{{.Claim.Expect.Vary}}</code> varies (expected: {{.Claim.Expect.Trend}}), over {{.Claim.Replicates}} paired replicates.</p>
<table class="keep">
<thead><tr><th class="n">{{breakable .Claim.Expect.Vary}}</th><th class="n">replicates</th><th class="n">mean</th><th class="n">95% interval</th><th class="n">paired difference from the row above</th><th class="n">95% interval</th></tr></thead>
<tbody>{{range .Variants}}
<tr><td class="n">{{num .Value}}</td><td class="n">{{.N}}</td><td class="n">{{num .Mean}}</td><td class="n">{{interval .Lo .Hi}}</td>{{if .HasDiff}}<td class="n{{if .Sig}} sig{{end}}">{{signed .Diff.Mean}}</td><td class="n{{if .Sig}} sig{{end}}">{{interval .Diff.Lo .Diff.Hi}}</td>{{else}}<td class="n"></td><td class="n"></td>{{end}}</tr>{{end}}
</tbody>
</table>
<div class="{{.Box}}"><b class="{{.Class}}">{{.Verdict}}</b>: {{.Claim.Reason}}.<br />
Effect size: <b>{{signed .Effect.Mean}}</b>, 95% interval {{interval .Effect.Lo .Effect.Hi}}: {{.EffectIs}}.{{if .Claim.CensoredAtStep}}<br /><span class="note">A replicate whose {{.Claim.Expect.Metric}} never came counts as step {{.Claim.CensoredAtStep}}, after the run.</span>{{end}}{{if .Claim.Note}}<br /><span class="note">Note: {{.Claim.Note}}.</span>{{end}}{{if and (not .Claim.Supported) .Claim.Expect.Hint}}<br /><span class="hint">Hint: {{.Claim.Expect.Hint}}</span>{{end}}</div>{{end}}`
