package plots

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/sim"
)

// timeline holds what every chart over time marks: the time axis, the
// timeline events and the forum meetings.
type timeline struct {
	XLabel     string
	Last       int
	Events     []float64
	Labels     []string
	Forums     []float64
	ForumEvery int
}

func newTimeline(res *sim.Result) timeline {
	r0 := &res.Replicates[0]
	last := r0.Steps[len(r0.Steps)-1]
	ev, lab := eventMarks(res, last)
	return timeline{
		XLabel:     timeLabel(res),
		Last:       last,
		Events:     ev,
		Labels:     lab,
		Forums:     forumMarks(res, last),
		ForumEvery: res.Config.Forum.Every,
	}
}

var (
	eventStyle = draw.LineStyle{Color: grey, Width: vg.Points(1.1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	forumStyle = draw.LineStyle{Color: lightGrey, Width: vg.Points(1.1)}
	convStyle  = draw.LineStyle{Color: oiBlack, Width: vg.Points(1.5), Dashes: dotted}
)

// decorate sets p's time axis and adds the event lines (labelled when
// labels is true) and the forum rug; it returns the legend entry of the
// forum rug, if there is one.
func (t timeline) decorate(p *plot.Plot, labels bool, xlabel bool) []entry {
	p.X.Min, p.X.Max = 0, float64(max(t.Last, 1))
	if xlabel {
		p.X.Label.Text = t.XLabel
	}
	v := &vlines{X: t.Events, Style: eventStyle, Text: textStyle(legendSize-0.5, false, grey)}
	if labels {
		v.Labels = t.Labels
	}
	p.Add(v)
	if len(t.Forums) == 0 {
		return nil
	}
	r := &rug{X: t.Forums, Len: vg.Points(7), Style: forumStyle}
	p.Add(r)
	label := "forum meeting"
	if t.ForumEvery > 0 {
		label = fmt.Sprintf("forum (every %d %ss)", t.ForumEvery, t.XLabel)
	}
	return []entry{{Label: label, Thumbs: []plot.Thumbnailer{r}}}
}

// readingNote explains the lines and bands of a chart over time.
func readingNote(res *sim.Result) string {
	n := len(res.Replicates)
	if n == 1 {
		return "One replicate: the line is its record."
	}
	return fmt.Sprintf("Lines: median over %d replicates; shaded bands: 10–90%% of replicates.", n)
}

func drawConvergence(res *sim.Result, meta Meta) (*Figure, error) {
	if err := checkReplicates(res); err != nil {
		return nil, err
	}
	belief, err := metricBand(res, sim.BeliefRestraintMean, 1)
	if err != nil {
		return nil, err
	}
	rate, err := metricBand(res, sim.RestraintRate, 1)
	if err != nil {
		return nil, err
	}
	spread, err := metricBand(res, sim.BeliefRestraintSD, 1)
	if err != nil {
		return nil, err
	}
	tl := newTimeline(res)
	cc := res.Config.Convergence

	top := newPlot("", "restraint (share, 0–1)")
	top.Add(grid())
	topLegend, err := addBands(top,
		bandSpec{belief, oiBlue, nil, "expected: mean restraint belief"},
		bandSpec{rate, oiOrange, dashed, "actual: restraint rate"},
	)
	if err != nil {
		return nil, err
	}
	topLegend = append(topLegend, tl.decorate(top, true, false)...)
	top.Y.Min, top.Y.Max = 0, 1
	top.Y.Tick.Marker = unitTicks

	bot := newPlot("", "spread (sd)")
	bot.Add(grid())
	botLegend, err := addBands(bot, bandSpec{spread, oiReddishPurple, nil, "spread of restraint beliefs across states"})
	if err != nil {
		return nil, err
	}
	eps := &hline{Y: cc.Epsilon, Style: lineStyle(oiBlack, dashed...)}
	eps.Style.Width = vg.Points(1.25)
	bot.Add(eps)
	botLegend = append(botLegend, entry{Label: fmt.Sprintf("threshold ε = %g", cc.Epsilon), Thumbs: []plot.Thumbnailer{eps}})
	tl.decorate(bot, false, true)
	bot.Y.Min = 0
	bot.Y.Max = math.Max(slices.Max(spread.Hi), cc.Epsilon) * 1.08
	if bot.Y.Max <= 0 {
		bot.Y.Max = 1
	}

	var conv []float64
	for _, r := range res.Replicates {
		if r.Converged >= 0 {
			conv = append(conv, float64(r.Converged))
		}
	}
	heading := "How far apart beliefs are"
	if len(conv) > 0 {
		slices.Sort(conv)
		med := quantile(conv, 0.5)
		v := &vlines{X: []float64{med}, Style: convStyle}
		top.Add(v)
		bot.Add(v)
		botLegend = append(botLegend, entry{
			Label:  fmt.Sprintf("converged: median %s %s (%d of %d)", tl.XLabel, fmtNum(med), len(conv), len(res.Replicates)),
			Thumbs: []plot.Thumbnailer{v},
		})
		if len(res.Replicates) > 1 {
			r := &rug{X: conv, Top: true, Len: vg.Points(9), Style: draw.LineStyle{Color: oiBlack, Width: vg.Points(1.5)}}
			bot.Add(r)
			botLegend = append(botLegend, entry{Label: "each replicate's convergence", Thumbs: []plot.Thumbnailer{r}})
		}
	} else {
		heading += fmt.Sprintf(": no replicate converged (it needs the spread below ε for %d %ss)", cc.Window, tl.XLabel)
	}

	fr := frame{
		Title: "Convergence of shared expectations",
		Subtitle: readingNote(res) + fmt.Sprintf(" Expectations converge when the spread stays below ε for %d %ss and the mean moves less than %g.",
			cc.Window, tl.XLabel, cc.Delta),
		Caption: caption(metaFor(meta, res), false),
	}
	pns := []panel{
		{Plot: top, Heading: "Expected and actual restraint (the gap between them is the point)", Legend: topLegend, Weight: 1.55},
		{Plot: bot, Heading: heading, Legend: botLegend, Weight: 1},
	}
	return &Figure{Width: figWidth, Height: 6 * vg.Inch, draw: func(c draw.Canvas) {
		stack(fr.draw(c), pns)
	}}, nil
}

func drawAttribution(res *sim.Result, meta Meta) (*Figure, error) {
	if err := checkReplicates(res); err != nil {
		return nil, err
	}
	n := res.Config.World.States
	if n <= 0 {
		return nil, fmt.Errorf("plots: world.states = %d: cannot express counts per state", n)
	}
	scale := 1 / float64(n)
	det, err := metricBand(res, sim.Detections, scale)
	if err != nil {
		return nil, err
	}
	tru, err := metricBand(res, sim.TrueAccusations, scale)
	if err != nil {
		return nil, err
	}
	fal, err := metricBand(res, sim.FalseAccusations, scale)
	if err != nil {
		return nil, err
	}
	gap, err := metricBand(res, sim.ExpectationGap, 1)
	if err != nil {
		return nil, err
	}
	tl := newTimeline(res)

	top := newPlot("", fmt.Sprintf("per state per %s", tl.XLabel))
	top.Add(grid())
	topLegend, err := addBands(top,
		bandSpec{det, oiBlue, nil, "detections"},
		bandSpec{tru, oiBluishGreen, dashed, "true accusations"},
		bandSpec{fal, oiVermillion, dotted, "false accusations"},
	)
	if err != nil {
		return nil, err
	}
	topLegend = append(topLegend, tl.decorate(top, true, false)...)
	top.Y.Min = 0
	if top.Y.Max <= 0 {
		top.Y.Max = 0.1 // nothing detected or accused: an empty, honest scale
	}
	top.Y.Max *= 1.05

	bot := newPlot("", "gap (belief − rate)")
	bot.Add(grid())
	zero := &hline{Y: 0, Style: draw.LineStyle{Color: grey, Width: vg.Points(1)}}
	bot.Add(zero)
	botLegend, err := addBands(bot, bandSpec{gap, oiReddishPurple, nil, "mean restraint belief minus restraint rate"})
	if err != nil {
		return nil, err
	}
	tl.decorate(bot, false, true)
	lo, hi := math.Min(0, slices.Min(gap.Lo)), math.Max(0, slices.Max(gap.Hi))
	if hi-lo < 0.1 {
		hi, lo = hi+0.05, lo-0.05
	}
	bot.Y.Min, bot.Y.Max = lo-(hi-lo)*0.05, hi+(hi-lo)*0.05

	fr := frame{
		Title:    "Attribution: what is seen, who is blamed",
		Subtitle: readingNote(res) + fmt.Sprintf(" Counts are divided by the %d states.", n),
		Caption:  caption(metaFor(meta, res), false),
	}
	pns := []panel{
		{Plot: top, Heading: "Detections and accusations", Legend: topLegend, Weight: 1.4},
		{Plot: bot, Heading: "Expectation gap (above 0: more restraint believed than practised)", Legend: botLegend, Weight: 1},
	}
	return &Figure{Width: figWidth, Height: 6 * vg.Inch, draw: func(c draw.Canvas) {
		stack(fr.draw(c), pns)
	}}, nil
}

func drawTraits(res *sim.Result, meta Meta) (*Figure, error) {
	if err := checkReplicates(res); err != nil {
		return nil, err
	}
	bold, err := metricBand(res, sim.BoldnessMean, 1)
	if err != nil {
		return nil, err
	}
	veng, err := metricBand(res, sim.VengefulnessMean, 1)
	if err != nil {
		return nil, err
	}
	tl := newTimeline(res)
	p := newPlot("", "mean trait across states (0–1)")
	p.Add(grid())
	legend, err := addBands(p,
		bandSpec{bold, oiVermillion, nil, "boldness (readiness to escalate)"},
		bandSpec{veng, oiBlue, dashed, "vengefulness (readiness to punish)"},
	)
	if err != nil {
		return nil, err
	}
	legend = append(legend, tl.decorate(p, true, true)...)
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = unitTicks

	rule := res.Config.Learning.Rule
	fr := frame{
		Title:    "Traits: how the states' dispositions evolve",
		Subtitle: readingNote(res) + fmt.Sprintf(" Learning rule: %s. A norm holds with low boldness and high vengefulness.", rule),
		Caption:  caption(metaFor(meta, res), false),
	}
	pns := []panel{{Plot: p, Heading: "Mean boldness and vengefulness", Legend: legend}}
	return &Figure{Width: figWidth, Height: figHeight, draw: func(c draw.Canvas) {
		stack(fr.draw(c), pns)
	}}, nil
}

// fmtNum formats a step or count: whole numbers without decimals.
func fmtNum(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return fmt.Sprintf("%d", int64(x))
	}
	return fmt.Sprintf("%.1f", x)
}
