package plots

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/normsim/normsim/sim"
)

// Meta is the provenance printed in every caption.
type Meta struct {
	Scenario   string // the scenario's name
	Seed       uint64 // the master seed
	Replicates int    // replicates run (per design point for sweep charts)
	Version    string // normsim's version
	Hash       string // hash of the resolved scenario; the caption shows 12 hex digits
}

// The chart names, in the order [Charts] and [SaveAll] use.
const (
	ChartConvergence = "convergence"
	ChartAttribution = "attribution"
	ChartOutcomes    = "outcomes"
	ChartAdoption    = "adoption"
	ChartTraits      = "traits"
	ChartLattice     = "lattice"
)

var chartNames = []string{ChartConvergence, ChartAttribution, ChartOutcomes, ChartAdoption, ChartTraits, ChartLattice}

// ChartNames returns the names of every chart [Draw] knows, in order.
func ChartNames() []string { return slices.Clone(chartNames) }

// Figure is a drawn chart that can be saved as PNG and SVG. A Figure is
// cheap: it holds what to draw, and draws it anew for each format.
type Figure struct {
	// Name is the chart's name ("convergence", ...; "phase", "param" and
	// "sobol" for the sweep charts).
	Name string
	// Width and Height are the figure's size; the PNG has 150 dots per
	// inch (a default figure is 1200 x 800 px), the SVG uses points.
	Width, Height vg.Length
	draw          func(draw.Canvas)
}

// WritePNG writes the figure as a PNG image.
func (f *Figure) WritePNG(w io.Writer) error {
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(whiteBG))
	if err := f.render(c); err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("plots: writing %s.png: %w", f.Name, err)
	}
	return nil
}

// WriteSVG writes the figure as an SVG document. Text refers to the
// Liberation Sans font by name, with Arial, Helvetica and sans-serif as
// fallbacks (Liberation Sans has Arial's metrics), so that labels keep
// their place in a viewer without Liberation fonts; fonts are not
// embedded (that would add about 1 MB per file).
func (f *Figure) WriteSVG(w io.Writer) error {
	c := vgsvg.New(f.Width, f.Height)
	if err := f.render(c); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("plots: writing %s.svg: %w", f.Name, err)
	}
	out := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	// vgsvg labels its embedded PNG images (the lattices) as JPEG, which
	// strict renderers refuse.
	out = bytes.ReplaceAll(out, []byte(`xlink:href="data:image/jpg;base64,`), []byte(`xlink:href="data:image/png;base64,`))
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("plots: writing %s.svg: %w", f.Name, err)
	}
	return nil
}

// render draws the figure on c, turning a panic of the drawing library
// into an error.
func (f *Figure) render(c vg.CanvasSizer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing %s: %v", f.Name, r)
		}
	}()
	f.draw(draw.New(c))
	return nil
}

// Charts returns the names of the charts that mean something for res,
// by its kernel ([sim.Kernel]) and what its replicates recorded:
//
//   - convergence and outcomes: always;
//   - attribution: the cyber model (the classic games accuse nobody), when
//     something was detected or accused, or there was practice to compare
//     beliefs with;
//   - adoption: the cyber model, when a norm text was in force at some
//     recorded step of some replicate;
//   - traits: Axelrod's games and the cyber model, when the mean boldness
//     or vengefulness moves in some replicate (not the games of Nowak and
//     May, whose "traits" are the strategies the convergence chart shows,
//     nor a run whose traits never change);
//   - lattice: when the first replicate has lattice snapshots.
func Charts(res *sim.Result) []string {
	names := []string{ChartConvergence}
	if res == nil {
		return append(names, ChartOutcomes)
	}
	k := sim.Kernel(&res.Config)
	if k == "cyber" && attributionData(res) {
		names = append(names, ChartAttribution)
	}
	names = append(names, ChartOutcomes)
	if k == "cyber" && textInForce(res) {
		names = append(names, ChartAdoption)
	}
	if (k == "cyber" || k == "axelrod") && traitsVary(res) {
		names = append(names, ChartTraits)
	}
	if len(res.Replicates) > 0 && len(res.Replicates[0].Lattice) > 0 {
		names = append(names, ChartLattice)
	}
	return names
}

// traitsVary reports whether the mean boldness or vengefulness of any
// replicate moves.
func traitsVary(res *sim.Result) bool {
	for _, r := range res.Replicates {
		if len(r.Rows) == 0 {
			continue
		}
		for _, m := range []sim.Metric{sim.BoldnessMean, sim.VengefulnessMean} {
			for _, row := range r.Rows {
				if row[m] != r.Rows[0][m] {
					return true
				}
			}
		}
	}
	return false
}

// attributionData reports whether some replicate detected, reported or
// accused anything, or has an expectation gap: the attribution chart has
// something to show.
func attributionData(res *sim.Result) bool {
	for _, r := range res.Replicates {
		for _, row := range r.Rows {
			if !math.IsNaN(row[sim.ExpectationGap]) {
				return true
			}
			for _, g := range attributionGroups {
				for _, sp := range g.Specs {
					if row[sp.M] != 0 {
						return true
					}
				}
			}
		}
	}
	return false
}

// textInForce reports whether a norm text was in force (the stringency
// has a value) at some recorded step of some replicate.
func textInForce(res *sim.Result) bool {
	for _, r := range res.Replicates {
		for _, row := range r.Rows {
			if !math.IsNaN(row[sim.Stringency]) {
				return true
			}
		}
	}
	return false
}

// Draw renders one chart of res; name is one of the names [Charts] returns.
// Bad data (no replicates, replicates with different steps, a NaN or
// infinite value in a plotted series) is an error that names the series.
func Draw(name string, res *sim.Result, meta Meta) (*Figure, error) {
	if res == nil {
		return nil, fmt.Errorf("plots: %s: no result", name)
	}
	var (
		f   *Figure
		err error
	)
	switch name {
	case ChartConvergence:
		f, err = drawConvergence(res, meta)
	case ChartAttribution:
		f, err = drawAttribution(res, meta)
	case ChartOutcomes:
		f, err = drawOutcomes(res, meta)
	case ChartAdoption:
		f, err = drawAdoption(res, meta)
	case ChartTraits:
		f, err = drawTraits(res, meta)
	case ChartLattice:
		f, err = drawLattice(res, meta)
	default:
		return nil, fmt.Errorf("plots: unknown chart %q (want one of %s)", name, strings.Join(chartNames, ", "))
	}
	if err != nil {
		if !strings.HasPrefix(err.Error(), "plots: ") {
			return nil, fmt.Errorf("plots: %s: %w", name, err)
		}
		return nil, fmt.Errorf("plots: %s chart: %s", name, strings.TrimPrefix(err.Error(), "plots: "))
	}
	f.Name = name
	return f, nil
}

// SaveAll draws every chart that applies to res ([Charts]) and writes
// NAME.png and NAME.svg into dir (created if missing), each atomically: a
// temporary file in dir renamed over the target. It returns the paths
// written, in order. A chart that cannot be drawn does not stop the
// others; the error joins every failure. The files of the package's other
// charts (those that do not apply to res) are removed from dir, so that a
// redrawn directory never shows a chart of an earlier result.
func SaveAll(dir string, res *sim.Result, meta Meta) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var (
		paths []string
		errs  []error
	)
	applies := Charts(res)
	for _, name := range chartNames {
		if slices.Contains(applies, name) {
			continue
		}
		for _, ext := range []string{".png", ".svg"} {
			if err := os.Remove(filepath.Join(dir, name+ext)); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, fmt.Errorf("plots: %w", err))
			}
		}
	}
	for _, name := range applies {
		f, err := Draw(name, res, meta)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := f.Save(dir, name)
		paths = append(paths, p...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return paths, errors.Join(errs...)
}

// Save writes the figure as NAME.png and NAME.svg into dir (which must
// exist), each atomically, and returns the paths written.
func (f *Figure) Save(dir, name string) ([]string, error) {
	var paths []string
	for _, w := range []struct {
		ext   string
		write func(io.Writer) error
	}{{"png", f.WritePNG}, {"svg", f.WriteSVG}} {
		path := filepath.Join(dir, name+"."+w.ext)
		if err := writeAtomic(path, w.write); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// writeAtomic writes path through a temporary file in the same directory,
// renamed over path once complete, so that a reader never sees half a file.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// caption is the provenance line of every figure.
func caption(meta Meta, perPoint bool) string {
	return captionOf(meta, perPoint, -1)
}

// runCaption is the provenance line of a chart of res: when the run was
// interrupted, or fewer replicates finished than meta asked for, it says
// so ("6 of 16 replicates, interrupted").
func runCaption(meta Meta, res *sim.Result) string {
	if done, ok := interrupted(meta, res); ok {
		return captionOf(meta, false, done)
	}
	return caption(metaFor(meta, res), false)
}

// interrupted returns the number of replicates that finished and whether
// the run is incomplete: cancelled, or with fewer replicates than meta
// asked for.
func interrupted(meta Meta, res *sim.Result) (int, bool) {
	done := len(res.Replicates)
	for _, r := range res.Replicates {
		if r.Status == sim.Canceled {
			done--
		}
	}
	return done, res.Status == sim.Canceled || done < meta.Replicates || done < len(res.Replicates)
}

// incompleteNote is the warning an interrupted run's charts carry under
// their title, or "".
func incompleteNote(meta Meta, res *sim.Result) string {
	done, ok := interrupted(meta, res)
	if !ok {
		return ""
	}
	want := max(meta.Replicates, len(res.Replicates))
	return fmt.Sprintf("INCOMPLETE: the run was interrupted; %d of %d replicates finished, and only they are shown.", done, want)
}

// captionOf builds a caption; done >= 0 marks an interrupted run with
// that many finished replicates.
func captionOf(meta Meta, perPoint bool, done int) string {
	var parts []string
	name := meta.Scenario
	if name == "" {
		name = "(unnamed)"
	}
	parts = append(parts, "scenario "+name, fmt.Sprintf("seed %d", meta.Seed))
	reps := fmt.Sprintf("%d replicates", meta.Replicates)
	if meta.Replicates == 1 {
		reps = "1 replicate"
	}
	if done >= 0 {
		reps = fmt.Sprintf("%d of %d replicates, interrupted", done, max(meta.Replicates, done))
	}
	if perPoint {
		reps += " per point"
	}
	parts = append(parts, reps)
	v := meta.Version
	if v == "" {
		v = "unknown version"
	}
	parts = append(parts, "normsim "+v)
	if meta.Hash != "" {
		h := meta.Hash
		if len(h) > 12 {
			h = h[:12]
		}
		parts = append(parts, "scenario hash "+h)
	}
	return strings.Join(parts, "  ·  ")
}

// metaFor fills in the replicate count from res when meta leaves it zero.
func metaFor(meta Meta, res *sim.Result) Meta {
	if meta.Replicates == 0 {
		meta.Replicates = len(res.Replicates)
	}
	return meta
}

// timeLabel names the time axis: generations for the classic kernels,
// steps for the cyber model.
func timeLabel(res *sim.Result) string {
	switch sim.Kernel(&res.Config) {
	case "axelrod", "game", "lattice-game":
		return "generation"
	}
	return "step"
}

// eventMarks returns the timeline events that fall within (0, last],
// labels of events at one step joined.
func eventMarks(res *sim.Result, last int) (xs []float64, labels []string) {
	evs := res.Events
	if evs == nil {
		evs = res.Config.Events
	}
	evs = slices.Clone(evs)
	slices.SortStableFunc(evs, func(a, b sim.Event) int { return a.Step - b.Step })
	for _, e := range evs {
		if e.Step <= 0 || e.Step > last {
			continue
		}
		label := e.Label
		if label == "" {
			label = fmt.Sprintf("event at %d", e.Step)
		}
		if n := len(xs); n > 0 && xs[n-1] == float64(e.Step) {
			labels[n-1] += "; " + label
			continue
		}
		xs = append(xs, float64(e.Step))
		labels = append(labels, label)
	}
	return xs, labels
}

// forumMarks returns the steps at which a forum met, from the recorded
// forum markers of any replicate when every step is recorded, and
// otherwise every Forum.Every steps (a thinned record can miss them);
// scheduled says which.
func forumMarks(res *sim.Result, last int) (xs []float64, scheduled bool) {
	cfg := &res.Config
	schedule := func() []float64 {
		var xs []float64
		for t := cfg.Forum.Every; cfg.Forum.Every > 0 && t <= last; t += cfg.Forum.Every {
			xs = append(xs, float64(t))
		}
		return xs
	}
	if cfg.Forum.Every > 0 && cfg.Run.RecordEvery > 1 {
		return schedule(), true
	}
	r0 := &res.Replicates[0]
	for j, t := range r0.Steps {
		for i := range res.Replicates {
			if res.Replicates[i].Rows[j][sim.ForumMarker] == 1 {
				xs = append(xs, float64(t))
				break
			}
		}
	}
	if len(xs) == 0 && cfg.Forum.Every > 0 {
		return schedule(), true
	}
	return xs, false
}
