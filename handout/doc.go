// Package handout writes normsim's handouts: self-contained HTML files
// (text, tables, and charts as inline SVG; nothing is loaded from the
// network) laid out for the screen and for print on A4, written by their
// Render methods; the same inputs give the same bytes.
//
//   - [Run] ([NewRun]): one scenario's results (a run, an exercise, a
//     check): its info text with an exercise's solution set apart, its
//     goals graded and claims tested as `normsim check` does, outcomes
//     with intervals, key measures, the charts with their reading guides
//     ([plots.Reading]), the changed parameters and the events; two or
//     three printed pages (charts in two columns, claims' charts small).
//   - [Sweep] ([ReadSweep]): a finished sweep directory's design, table of
//     points, charts and sensitivity indices.
//   - [Study] ([NewStudy]): MODEL.md's argument, how claims are tested, then
//     each claim from a new page (at most two): set-up, variants, chart,
//     verdict, effect size and, given findings ([ReadFindings]), robustness.
//
// What does not belong on paper (the resolved scenario, every final value,
// what the changed parameters mean, a big sweep's full table) goes into a
// collapsed appendix, printed only if opened.
package handout
