// Package handout writes normsim's handouts: self-contained HTML files
// (text, tables, and charts as inline SVG; nothing is loaded from the
// network) laid out for the screen and for print on A4.
//
// There are three handouts:
//
//   - [Run]: one scenario's results (a run, an exercise, a check): its
//     [info] text with an exercise's solution set apart from the task,
//     its goals graded and its claims tested (as `normsim check` does),
//     the outcomes of version 2 with their intervals, the key measures,
//     the charts with their reading guides ([plots.Reading]), the
//     parameters that differ from the defaults and the timeline of events.
//     Made to print on two or three pages: the charts in two columns, the
//     claims' charts small and in a row under one reading guide.
//   - [Sweep]: a finished sweep directory: its design, the table of its
//     design points (points.csv), its charts and its sensitivity indices.
//   - [Study]: the claims study: the argument of MODEL.md, how claims are
//     tested, then one section per claim (its set-up, variants, chart,
//     verdict and effect size, and its robustness when a findings file is
//     given), each starting a page and at most two pages long.
//
// Everything that does not belong on paper (the resolved scenario, every
// final value, what a run's changed parameters mean, the full table of a
// big sweep) goes into an appendix: a
// collapsed <details> section, left out of print unless opened first in
// the browser.
//
// The package knows nothing of flags or files of the command line: the
// command loads scenarios and results and hands them over, and writes the
// document where it is told. The same inputs give the same bytes.
package handout
