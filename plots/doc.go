// Package plots draws normsim's charts from a [sim.Result]: what a run
// shows, as PNG (for slides) and SVG (for documents) images. It knows
// nothing of the engine beyond the types of package sim, and does no
// simulation.
//
// [Charts] names the charts that apply to a result, [Draw] draws one as a
// [Figure], and [SaveAll] writes them all. [PhaseDiagram], [ParamLine] and
// [SobolBars] draw the results of experiments (sweeps).
//
// # Reading the charts
//
// Every chart over time shows, at each recorded step, the median over
// replicates as a line and the band between the 10% and 90% quantiles of
// the replicates as a shaded area of the same colour (quantiles by
// definition 7 of Hyndman and Fan 1996, the default of R and NumPy). A
// wide band means the replicates disagree: the outcome depends on chance,
// not only on the scenario. Timeline events are dashed grey vertical
// lines labelled at the top; forum meetings are grey ticks along the
// bottom. Every chart ends with a caption: scenario, seed, number of
// replicates, normsim version and scenario hash, which is enough to
// reproduce it.
//
// convergence: the top panel shows what states expect and what they do.
// The solid blue line is the mean belief that others hold back (the
// restraint belief, averaged over states); the dashed orange line is the
// actual restraint rate. The gap between them is the point: undetected
// escalation looks like restraint, so beliefs can run ahead of practice
// (or, with many false accusations, fall behind it). The bottom panel
// shows how far apart beliefs are (their standard deviation across
// states) against the convergence threshold ε (dashed black). Shared
// expectations have converged once the spread stays below ε for a window
// of steps while the mean barely moves; the dotted vertical line marks
// the median convergence step of the replicates that converged, and the
// short black ticks at the top of the bottom panel each replicate's. A
// forum usually shows as a sudden drop of the spread.
//
// attribution: the top panel shows detections, true accusations (the
// culprit named) and false accusations (an innocent named) per state per
// step, i.e. counts divided by the number of states. Few detections mean
// escalation goes unseen; false accusations close to true ones mean
// attribution is noise. The bottom panel is the expectation gap, mean
// restraint belief minus restraint rate: above zero, states believe in
// more restraint than there is.
//
// outcomes: on the left, the share of replicates in which the norm ended
// established (restraint rate and mean belief both at least
// Convergence.High), collapsed (both at most Convergence.Low) or
// contested, each with its 95% Wilson (1927) score interval: with few
// replicates the intervals are wide, and two shares whose intervals
// overlap are not shown to differ. On the right, a histogram of the steps
// at which expectations converged, with the median; when no replicate
// converged, the panel says so instead.
//
// traits (learning scenarios): the mean boldness (readiness to escalate)
// and vengefulness (readiness to punish) across states over time. In
// Axelrod's (1986) norms game a norm holds when boldness is low and
// vengefulness high; Galan and Izquierdo (2005) define collapse as mean
// boldness at least 6/7 with vengefulness at most 1/7, and establishment
// as boldness at most 2/7 with vengefulness at least 5/7.
//
// lattice (lattice worlds): the final state of the first replicate's
// lattice, large, and up to six earlier snapshots, spread evenly in
// log(1 + step) because the interesting changes come early. The colours
// are those of Nowak and May (1992), "Evolutionary games and spatial
// chaos", Nature 359: blue, a site that cooperated (restrained) and did
// so before; red, a site that defected (escalated) again; green, a new
// cooperator; yellow, a new defector. Their pure red, green and yellow are
// hard to tell apart with a red-green colour-vision deficiency, so the
// package uses the Okabe-Ito blue, vermillion, bluish green and yellow:
// the same hues and meaning, with every pair well apart under simulated
// protanopia, deuteranopia and tritanopia (Machado et al. 2009; see
// TestLatticeColorsCVD). Green and yellow thus mark where the lattice is
// changing; a picture of only blue and vermillion is frozen.
//
// Sweep charts: [PhaseDiagram] colours each design point of a
// two-parameter grid by a value (the viridis colour map, light = high,
// with the number written in each cell of a small grid); [ParamLine] draws
// a value against one parameter with its interval as a band; [SobolBars]
// compares first-order and total Sobol indices per parameter (Saltelli et
// al. 2010): the first-order index is the share of output variance a
// parameter explains alone, the total index adds its interactions, so a
// total well above the first-order index means the parameter matters
// through interactions.
//
// # Conventions
//
//   - Colours are from the Okabe-Ito palette (Okabe and Ito 2008), and
//     series that share a panel also differ in dash pattern, so that the
//     charts read with a colour-vision deficiency and in grey print.
//   - A PNG has 150 dots per inch: a chart is 1200 x 800 px (1200 x 900
//     for the two-panel time series), with text of 9 to 15 pt, readable
//     on a projector. An SVG has the same layout in points; its text
//     names Liberation Sans with Arial, Helvetica and sans-serif as
//     fallbacks.
//   - Bad data is an error, never a blank or misleading image: no
//     replicates, replicates with different recorded steps, or a NaN or
//     infinite value in a plotted series, named with the replicate and
//     step ("plots: convergence chart: series belief_restraint_mean of
//     replicate 2 is NaN at step 30").
//   - Replicates are thinned by Run.RecordEvery alike, so the bands are
//     computed per recorded step. A series longer than 1500 points is
//     thinned for drawing by merging runs of steps: the median becomes the
//     run's mean, and the band the run's envelope, so no excursion is
//     hidden.
//   - Forum meetings are taken from the recorded forum markers when every
//     step is recorded, and from Forum.Every otherwise (a thinned record
//     can miss them).
//   - Each file is written atomically: to a temporary file in the same
//     directory, renamed over the target.
//
// Golden images in testdata guard the look of four charts; they are
// compared with a small tolerance (cmpimg.CheckPlotApprox), and
// regenerated with go test ./plots -run Golden -regen. The numbers are
// tested directly, not through pixels.
package plots
