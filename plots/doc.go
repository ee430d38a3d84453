// Package plots draws normsim's charts, as PNG (for slides) and SVG (for
// documents): a run's charts from a [sim.Result], the claims that normsim
// check tests, and the charts of sweeps and of the claims study. It does no
// simulation, and takes every statistic it draws from internal/stats, so
// that a median or an interval on a chart is the one the command prints.
//
// [Charts] names the charts that mean something for a result (by its
// kernel and what its replicates recorded), [Draw] draws one as a
// [Figure], and [SaveAll] writes them all; [Reading] gives a chart's short
// reading guide for a handout. [Claim] and [SaveClaims] draw claims
// ([goals.Claim]); [PhaseDiagram], [ParamLine], [SobolBars] and
// [MorrisPlane] draw sweeps, and [Robustness] the claims' robustness.
// Every caption carries the provenance of [Meta].
//
// docs/charts.md is the full guide: which charts a run gets, how to read
// each, the conventions (palette, sizes, errors, thinning, atomic files)
// and how the charts are tested (golden images, PLOTS_OUT).
package plots
