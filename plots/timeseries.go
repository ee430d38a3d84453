package plots

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// timeline holds what every chart over time shares: the time axis, the
// timeline events and the forum meetings.
type timeline struct {
	XLabel string
	Last   int
	// Log is set when the run's practice settles within its first 5% of
	// steps (a transient that a linear axis would squash into a few
	// pixels) and the record holds at least ten steps of it: the axis is
	// then log(1 + step). Settle is that step.
	Log    bool
	Settle int
	Events []float64
	Labels []string
	Forums []float64
	// ForumEvery is the forum schedule; Scheduled says the forum marks
	// come from it (the record was thinned) rather than from the record.
	ForumEvery int
	Scheduled  bool
}

// newTimeline reads the timeline of res, which must have passed
// checkReplicates.
func newTimeline(res *sim.Result) timeline {
	r0 := &res.Replicates[0]
	last := r0.Steps[len(r0.Steps)-1]
	ev, lab := eventMarks(res, last)
	fm, sched := forumMarks(res, last)
	t := timeline{
		XLabel:     timeLabel(res),
		Last:       last,
		Events:     ev,
		Labels:     lab,
		Forums:     fm,
		ForumEvery: res.Config.Forum.Every,
		Scheduled:  sched,
	}
	if s, err := metricSeries(res, sim.RestraintCompliant, 1); err == nil {
		b := bandOf(s)
		// A log axis only helps when the record shows the transient: at
		// least ten recorded steps before it settles.
		end, ok := transientEnd(b.X, b.Mid)
		shown := 0
		for _, x := range b.X {
			if x <= float64(end) {
				shown++
			}
		}
		if ok && last >= 200 && float64(end) <= 0.05*float64(last) && shown >= 10 {
			t.Log, t.Settle = true, end
		}
	}
	return t
}

// transientEnd returns the step after which the median y stays at its
// final level, and whether y moves at all (a range of at least 0.05). The
// series is first smoothed by a moving mean over 0.5% of its points, and
// the final level is the mean of the last tenth; y has settled once it
// stays within the larger of 5% of its range and three times the tail's
// own fluctuation (the 90% quantile of its distance from the level), so
// that the noise of a steady state does not count as a transient.
func transientEnd(x, y []float64) (int, bool) {
	var xs, ys []float64
	for i := range y {
		if !math.IsNaN(y[i]) {
			xs, ys = append(xs, x[i]), append(ys, y[i])
		}
	}
	n := len(ys)
	if n < 20 {
		return 0, false
	}
	if lo, hi := slices.Min(ys), slices.Max(ys); hi-lo < 0.05 {
		return 0, false
	}
	h := n / 400 // half the smoothing window
	sm := make([]float64, n)
	for i := range n {
		a, b := max(0, i-h), min(n, i+h+1)
		var sum float64
		for _, v := range ys[a:b] {
			sum += v
		}
		sm[i] = sum / float64(b-a)
	}
	tail := sm[n-max(2, n/10):]
	f, _, _ := stats.Mean(tail, stats.Real)
	dev := make([]float64, len(tail))
	for i, v := range tail {
		dev[i] = math.Abs(v - f)
	}
	slices.Sort(dev)
	tol := math.Max(0.05*(slices.Max(sm)-slices.Min(sm)), 3*stats.Quantile(dev, 0.9))
	end := 0
	for i := range sm {
		if math.Abs(sm[i]-f) > tol {
			end = int(xs[i])
		}
	}
	return end, true
}

var (
	eventStyle = draw.LineStyle{Color: grey, Width: vg.Points(1.1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	convStyle  = draw.LineStyle{Color: oiBlack, Width: vg.Points(1.5), Dashes: dotted}
)

// norm places a step on the time axis, in [0, 1].
func (t timeline) norm(x float64) float64 {
	if t.Log {
		return log1pScale{}.Normalize(0, float64(max(t.Last, 1)), x)
	}
	return x / float64(max(t.Last, 1))
}

// band is the median and 10-90% band of s over replicates, thinned for
// drawing on the time axis.
func (t timeline) band(s series) band {
	return thinBy(bandOf(s), maxPoints, t.norm)
}

// decorate sets p's time axis (linear or log(1 + step)) and adds the
// event lines.
func (t timeline) decorate(p *plot.Plot, xlabel bool) {
	p.X.Min, p.X.Max = 0, float64(max(t.Last, 1))
	p.X.Tick.Marker = intTicks{} // steps are whole numbers
	if t.Log {
		p.X.Scale = log1pScale{}
		p.X.Tick.Marker = log1pTicks{}
	}
	if xlabel {
		p.X.Label.Text = t.XLabel
		if t.Log {
			p.X.Label.Text += " (log scale: log(1 + " + t.XLabel + "))"
		}
	}
	if len(t.Events) > 0 {
		p.Add(&vlines{X: t.Events, Style: eventStyle})
	}
}

// marks returns the lane of event labels and forum ticks for the panel
// of p (decorated first), and the forum ticks' legend entry.
func (t timeline) marks(p *plot.Plot) (lane, []entry) {
	if len(t.Events) == 0 && len(t.Forums) == 0 {
		return nil, nil
	}
	m := &marks{Axis: &p.X, Events: t.Events, Labels: t.Labels, Forums: t.Forums}
	var es []entry
	if len(t.Events) > 0 {
		es = append(es, entry{Label: "event", Thumbs: []plot.Thumbnailer{&vlines{Style: eventStyle}}})
	}
	if len(t.Forums) > 0 {
		label := "forum meeting (ticks above the panel)"
		if t.Scheduled {
			label = fmt.Sprintf("forum scheduled every %d %ss (ticks above the panel)", t.ForumEvery, t.XLabel)
		}
		es = append(es, entry{Label: label, Thumbs: []plot.Thumbnailer{forumThumb{}}})
	}
	return m, es
}

// forumThumb is the legend thumbnail of a forum tick.
type forumThumb struct{}

// Thumbnail implements plot.Thumbnailer.
func (forumThumb) Thumbnail(c *draw.Canvas) {
	st := draw.LineStyle{Color: grey, Width: vg.Points(1.2)}
	for _, f := range []vg.Length{0.25, 0.5, 0.75} {
		x := c.Min.X + (c.Max.X-c.Min.X)*f
		c.StrokeLine2(st, x, c.Min.Y, x, c.Max.Y)
	}
}

// readingNote explains the lines and bands of a chart over time.
func readingNote(res *sim.Result) string {
	n := len(res.Replicates)
	if n == 1 {
		return "One replicate: the line is its record."
	}
	return fmt.Sprintf("Lines: median over %d replicates; bands: 10–90%% of replicates.", n)
}

// axisNote says how to read a log time axis, or "".
func (t timeline) axisNote() string {
	if !t.Log {
		return ""
	}
	return fmt.Sprintf("The time axis is logarithmic: the run settles by %s %d of %d.", t.XLabel, t.Settle, t.Last)
}

// outcomesOf returns each replicate's outcome.
func outcomesOf(res *sim.Result) []sim.Outcome {
	o := make([]sim.Outcome, len(res.Replicates))
	for i, r := range res.Replicates {
		o[i] = r.Outcome
	}
	return o
}

// bimodal reports whether the replicates end in different outcome
// classes: a median over them would then be a line no replicate follows,
// so the charts draw each replicate instead.
func bimodal(res *sim.Result) bool {
	for _, r := range res.Replicates[1:] {
		if r.Outcome != res.Replicates[0].Outcome {
			return true
		}
	}
	return false
}

// outcomeLegend returns one legend entry per outcome class present, with
// its count, in the kernel's order.
func outcomeLegend(res *sim.Result) []entry {
	var count [sim.NumOutcomes]int
	for _, r := range res.Replicates {
		count[r.Outcome]++
	}
	var es []entry
	for _, o := range sim.Outcomes(&res.Config) {
		if count[o] == 0 {
			continue
		}
		ln := &gapLine{Style: draw.LineStyle{Color: outcomeColor(o), Width: vg.Points(2.5)}}
		es = append(es, entry{Label: keep(fmt.Sprintf("%s (%d)", o, count[o])), Thumbs: []plot.Thumbnailer{ln}})
	}
	return es
}

// outcomeCounts describes the classes present ("12 established, 20
// collapsed").
func outcomeCounts(res *sim.Result) string {
	var count [sim.NumOutcomes]int
	for _, r := range res.Replicates {
		count[r.Outcome]++
	}
	var parts []string
	for _, o := range sim.Outcomes(&res.Config) {
		if count[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[o], o))
		}
	}
	return strings.Join(parts, ", ")
}

// kernelText names what the convergence chart's series are for a
// kernel: practice and expectations mean different things in the cyber
// model, Axelrod's games and the games of Nowak and May.
type kernelText struct {
	Title    string
	Practice string // legend of restraint_compliant
	Expect   string // legend of belief_restraint_mean
	Same     string // legend when the two are one curve
	Spread   string // legend of belief_restraint_sd
	Heading  string // heading of the practice and expectations panel
	Gap      bool   // the gap between practice and expectations is the point
	// Converge names what converges ("Expectations converge", ...);
	// SameNote says that practice and expectations are one curve.
	Converge string
	SameNote string
}

func textsFor(res *sim.Result) kernelText {
	switch sim.Kernel(&res.Config) {
	case "axelrod":
		return kernelText{
			Title:    "Convergence: restraint in practice and in disposition",
			Practice: "practice: share of opportunities not taken",
			Expect:   "disposition: 1 − mean boldness",
			Same:     "restraint (practice and 1 − mean boldness)",
			Spread:   "spread of 1 − boldness across agents",
			Heading:  "Practice and disposition (Axelrod's agents hold no beliefs: 1 − boldness is the restraint each shows)",
			Converge: "Dispositions converge",
			SameNote: "Practice and 1 − mean boldness stay within %g of each other at every step, so one curve is drawn for both.",
		}
	case "game", "lattice-game":
		return kernelText{
			Title:    "Convergence: the share of cooperators",
			Practice: "share of states that cooperate (restrain)",
			Expect:   "share cooperating among a state's neighbours, averaged",
			Same:     "share of states that cooperate (restrain)",
			Spread:   "spread across states of the neighbours' share cooperating",
			Heading:  "Cooperation",
			Converge: "What the states see converges",
			SameNote: "The share cooperating among each state's neighbours (what it sees) stays within %g of this share at every step, so it is not drawn separately.",
		}
	}
	practice := "practice: restraint rate"
	if res.Config.World.Revisionists > 0 || len(res.Config.World.RevisionistList) > 0 {
		practice = "practice: restraint among non-revisionists"
	}
	return kernelText{
		Title:    "Convergence: what states do and what they expect",
		Practice: practice,
		Expect:   "expectations: mean restraint belief",
		Same:     "practice and expectations (one curve)",
		Spread:   "spread of restraint beliefs across states",
		Heading:  "Practice and expectations (the gap between them is the point)",
		Gap:      true,
		Converge: "Expectations converge",
		SameNote: "Practice and expectations stay within %g of each other at every step, so one curve is drawn for both.",
	}
}

// sameCurve is how close practice and expectations must stay (at every
// step of every replicate) to be drawn as one curve.
const sameCurve = 0.01

// drawConvergence draws the convergence chart: practice and expectations
// over time (mean, 10-90% band, a few replicates), the belief spread, and
// when replicates converged. It is long because it is one figure's layout
// read top to bottom (each panel's series, notes and legend in turn);
// split into pieces, the layout would be scattered over functions that
// only make sense together.
func drawConvergence(res *sim.Result, meta Meta) (*Figure, error) {
	if err := checkReplicates(res); err != nil {
		return nil, err
	}
	prac, err := metricSeries(res, sim.RestraintCompliant, 1)
	if err != nil {
		return nil, err
	}
	bel, err := metricSeries(res, sim.BeliefRestraintMean, 1)
	if err != nil {
		return nil, err
	}
	spread, err := metricSeries(res, sim.BeliefRestraintSD, 1)
	if err != nil {
		return nil, err
	}
	tl := newTimeline(res)
	kt := textsFor(res)
	cc := res.Config.Convergence
	noPractice := !prac.anyFinite()
	same := !noPractice && maxAbsDiff(prac, bel) < sameCurve
	var sub []string
	if note := incompleteNote(meta, res); note != "" {
		sub = append(sub, note)
	}
	if noPractice {
		sub = append(sub, "No state had an opportunity in any replicate: there is no practice to draw, only expectations.")
	}

	var pns []panel
	unit := func(p *plot.Plot) {
		p.Y.Min, p.Y.Max = 0, 1
		p.Y.Tick.Marker = unitTicks
	}
	if !bimodal(res) {
		sub = append(sub, readingNote(res))
		top := newPlot("", "share")
		top.Add(grid())
		tl.decorate(top, false)
		var legend []entry
		switch {
		case noPractice:
			legend = addBands(top, bandSpec{B: tl.band(bel), Color: oiBlue, Label: kt.Expect})
		case same:
			legend = addBands(top, bandSpec{B: tl.band(prac), Color: oiBlue, Label: kt.Same})
		default:
			legend = addBands(top,
				bandSpec{B: tl.band(bel), Color: oiBlue, Label: kt.Expect},
				bandSpec{B: tl.band(prac), Color: oiOrange, Dashes: dashed, Label: kt.Practice, Hatch: true},
			)
		}
		unit(top)
		m, me := tl.marks(top)
		heading := kt.Heading
		if !kt.Gap || same || noPractice {
			heading, _, _ = strings.Cut(heading, " (the gap")
		}
		pns = append(pns, panel{Plot: top, Heading: heading, Legend: append(legend, me...), Marks: m, Weight: 1.5})
	} else {
		sub = append(sub, fmt.Sprintf("The replicates end in different outcomes (%s): each is drawn as a thin line coloured by its outcome, since a median would follow none of them.",
			outcomeCounts(res)))
		outs := outcomesOf(res)
		if !noPractice {
			pp := newPlot("", "share")
			pp.Add(grid())
			tl.decorate(pp, false)
			addReplicateLines(pp, prac, outs, tl.norm)
			unit(pp)
			head := capitalize(kt.Practice) + ", each replicate"
			if same {
				head = capitalize(kt.Same) + ", each replicate"
			}
			pns = append(pns, panel{Plot: pp, Heading: head, Weight: 1.2})
		}
		if !same {
			pe := newPlot("", "share")
			pe.Add(grid())
			tl.decorate(pe, false)
			addReplicateLines(pe, bel, outs, tl.norm)
			unit(pe)
			pns = append(pns, panel{Plot: pe, Heading: capitalize(kt.Expect) + ", each replicate", Weight: 1.2})
		}
		// The first panel carries the outcome key and the marks.
		m, me := tl.marks(pns[0].Plot)
		pns[0].Legend, pns[0].Marks = append(outcomeLegend(res), me...), m
	}
	if same {
		sub = append(sub, fmt.Sprintf(kt.SameNote, sameCurve))
	}

	// The spread of beliefs, against epsilon.
	bot := newPlot("", "spread (sd)")
	bot.Add(grid())
	tl.decorate(bot, true)
	sb := tl.band(spread)
	botLegend := addBands(bot, bandSpec{B: sb, Color: oiReddishPurple, Label: kt.Spread})
	eps := &hline{Y: cc.Epsilon, Style: lineStyle(oiBlack, dashed...)}
	eps.Style.Width = vg.Points(1.25)
	bot.Add(eps)
	botLegend = append(botLegend, entry{Label: keep(fmt.Sprintf("threshold ε = %g", cc.Epsilon)), Thumbs: []plot.Thumbnailer{eps}})
	bot.Y.Min = 0
	_, hi := sb.extent()
	bot.Y.Max = math.Max(hi, cc.Epsilon) * 1.12
	if !(bot.Y.Max > 0) {
		bot.Y.Max = 1
	}

	var conv []float64
	for _, r := range res.Replicates {
		if r.Converged >= 0 {
			conv = append(conv, float64(r.Converged))
		}
	}
	n := len(res.Replicates)
	heading := "How far apart beliefs are"
	if sim.Kernel(&res.Config) != "cyber" {
		heading = "How far apart the states are"
	}
	if len(conv) > 0 {
		slices.Sort(conv)
		med := stats.Quantile(conv, 0.5)
		v := &vlines{X: []float64{med}, Style: convStyle}
		bot.Add(v)
		botLegend = append(botLegend, entry{
			Label:  keep(fmt.Sprintf("median first convergence: %s %s", tl.XLabel, fmtNum(med))),
			Thumbs: []plot.Thumbnailer{v},
		})
		if n > 1 {
			d := &dots{X: conv, Y: cc.Epsilon, Color: oiBlack}
			bot.Add(d)
			botLegend = append(botLegend, entry{Label: "each replicate's first convergence", Thumbs: []plot.Thumbnailer{d}})
		}
		switch {
		case n == 1:
			heading += ": converged at " + keep(fmt.Sprintf("%s %s", tl.XLabel, fmtNum(conv[0])))
		default:
			heading += ": " + keep(fmt.Sprintf("converged in %d of %d", len(conv), n))
		}
	} else {
		switch {
		case n == 1:
			heading += ": never converged"
		default:
			heading += ": " + keep(fmt.Sprintf("converged in none of %d", n))
		}
	}
	sub = append(sub, fmt.Sprintf("%s when the spread stays below ε for %d %ss and the mean moves less than δ = %g between the halves of that window.",
		kt.Converge, cc.Window, tl.XLabel, cc.Delta))
	if note := tl.axisNote(); note != "" {
		sub = append(sub, note)
	}

	fr := frame{
		Title:    kt.Title,
		Subtitle: strings.Join(sub, " "),
		Caption:  runCaption(meta, res),
	}
	pns = append(pns, panel{Plot: bot, Heading: heading, Notes: []string{endNote(res, tl.XLabel)}, Legend: botLegend, Weight: 1})
	h := 6 * vg.Inch
	if len(pns) > 2 {
		h = 7.5 * vg.Inch
	}
	return &Figure{Width: figWidth, Height: h, draw: func(c draw.Canvas) {
		stack(fr.draw(c), pns)
	}}, nil
}

// endNote says which replicates were converged over their last window
// and, for the others, which condition failed there.
func endNote(res *sim.Result, unit string) string {
	n := len(res.Replicates)
	var ok, spread, drift, window int
	for _, r := range res.Replicates {
		switch {
		case r.ConvergedEnd:
			ok++
		case r.NotConverged == "spread":
			spread++
		case r.NotConverged == "drift":
			drift++
		default:
			window++
		}
	}
	cc := res.Config.Convergence
	w := fmt.Sprintf("Over the last %d %ss", cc.Window, unit)
	switch {
	case n == 1 && ok == 1:
		return w + ", the replicate was converged."
	case n == 1:
		w += ", the replicate was not converged: "
	case ok == n:
		return w + ", " + keep(fmt.Sprintf("all %d", n)) + " replicates were converged."
	case ok == 0:
		w += ", none was converged: "
	default:
		w += ", " + keep(fmt.Sprintf("%d of %d", ok, n)) + " were converged; of the other " + keep(fmt.Sprint(n-ok)) + ", "
	}
	var why []string
	in := func(k int) string {
		if n == 1 {
			return ""
		}
		return fmt.Sprintf(" in %d", k)
	}
	if spread > 0 {
		why = append(why, "the spread rose to ε or above"+in(spread))
	}
	if drift > 0 {
		why = append(why, "the mean drifted by δ or more"+in(drift))
	}
	if window > 0 {
		why = append(why, "the run was shorter than the window"+in(window))
	}
	return w + strings.Join(why, ", ") + "."
}

// drawTraits draws the traits chart: mean boldness and vengefulness over
// time with their bands, and where they ended. Long for the reason given
// at drawConvergence: one figure's layout, read top to bottom.
func drawTraits(res *sim.Result, meta Meta) (*Figure, error) {
	if err := checkReplicates(res); err != nil {
		return nil, err
	}
	bold, err := metricSeries(res, sim.BoldnessMean, 1)
	if err != nil {
		return nil, err
	}
	veng, err := metricSeries(res, sim.VengefulnessMean, 1)
	if err != nil {
		return nil, err
	}
	tl := newTimeline(res)
	axelrod := sim.Kernel(&res.Config) == "axelrod"
	var sub []string
	if note := incompleteNote(meta, res); note != "" {
		sub = append(sub, note)
	}
	if axelrod {
		s := "In Axelrod's (1986) game a norm holds with low boldness and high vengefulness: Galan and Izquierdo (2005) call it established at mean boldness ≤ 2/7 with vengefulness ≥ 5/7, collapsed at boldness ≥ 6/7 with vengefulness ≤ 1/7."
		if bimodal(res) {
			s = strings.TrimSuffix(s, ".") + " (dotted lines)."
		}
		sub = append(sub, s)
	} else {
		s := fmt.Sprintf("Boldness is a state's readiness to escalate, vengefulness its readiness to respond to an escalation it attributes; both change by learning (rule: %s).", res.Config.Learning.Rule)
		if res.Config.Decision.Rule == sim.RuleLogit {
			s += " Under the logit rule boldness scales what a state expects to gain from escalating."
		}
		sub = append(sub, s)
	}
	unit := func(p *plot.Plot) {
		p.Y.Min, p.Y.Max = 0, 1
		p.Y.Tick.Marker = unitTicks
	}
	ref := func(p *plot.Plot, ys ...float64) {
		for _, y := range ys {
			p.Add(&hline{Y: y, Style: draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: dotted}})
		}
	}
	var pns []panel
	if !bimodal(res) {
		sub = append(sub, readingNote(res))
		p := newPlot("", "mean trait")
		p.Add(grid())
		tl.decorate(p, true)
		legend := addBands(p,
			bandSpec{B: tl.band(bold), Color: oiVermillion, Label: "boldness (readiness to escalate)"},
			bandSpec{B: tl.band(veng), Color: oiBlue, Dashes: dashed, Label: "vengefulness (readiness to punish)", Hatch: true},
		)
		unit(p)
		m, me := tl.marks(p)
		pns = append(pns, panel{Plot: p, Heading: "Mean boldness and vengefulness", Legend: append(legend, me...), Marks: m})
	} else {
		sub = append(sub, fmt.Sprintf("The replicates end in different outcomes (%s): each is drawn as a thin line coloured by its outcome.", outcomeCounts(res)))
		outs := outcomesOf(res)
		pb := newPlot("", "mean boldness")
		pb.Add(grid())
		tl.decorate(pb, false)
		addReplicateLines(pb, bold, outs, tl.norm)
		unit(pb)
		pv := newPlot("", "mean vengefulness")
		pv.Add(grid())
		tl.decorate(pv, true)
		addReplicateLines(pv, veng, outs, tl.norm)
		unit(pv)
		if axelrod {
			ref(pb, sim.AxelrodEstablishedBoldness, sim.AxelrodCollapseBoldness)
			ref(pv, sim.AxelrodCollapseVengefulness, sim.AxelrodEstablishedVengefulness)
		}
		m, me := tl.marks(pb)
		pns = append(pns,
			panel{Plot: pb, Heading: "Boldness (readiness to escalate), each replicate", Legend: append(outcomeLegend(res), me...), Marks: m},
			panel{Plot: pv, Heading: "Vengefulness (readiness to punish), each replicate"})
	}
	if note := tl.axisNote(); note != "" {
		sub = append(sub, note)
	}
	fr := frame{
		Title:    "Traits: how dispositions evolve",
		Subtitle: strings.Join(sub, " "),
		Caption:  runCaption(meta, res),
	}
	h := figHeight
	if len(pns) > 1 {
		h = 6.5 * vg.Inch
	}
	return &Figure{Width: figWidth, Height: h, draw: func(c draw.Canvas) {
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
