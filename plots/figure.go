package plots

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
	ChartTraits      = "traits"
	ChartLattice     = "lattice"
)

var chartNames = []string{ChartConvergence, ChartAttribution, ChartOutcomes, ChartTraits, ChartLattice}

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

// Charts returns the names of the charts that apply to res: always
// convergence, attribution and outcomes; traits when the learning rule is
// not "none" or the mean boldness or vengefulness changes during a
// replicate; lattice when the first replicate has lattice snapshots.
func Charts(res *sim.Result) []string {
	names := []string{ChartConvergence, ChartAttribution, ChartOutcomes}
	if res == nil {
		return names
	}
	if res.Config.Learning.Rule != sim.LearnNone || traitsVary(res) {
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
		for _, m := range []sim.Metric{sim.BoldnessMean, sim.VengefulnessMean} {
			for _, row := range r.Rows {
				if len(r.Rows) > 0 && row[m] != r.Rows[0][m] {
					return true
				}
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
// others; the error joins every failure.
func SaveAll(dir string, res *sim.Result, meta Meta) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var (
		paths []string
		errs  []error
	)
	for _, name := range Charts(res) {
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

// forumMarks returns the steps at which a forum met: the recorded forum
// markers when every step is recorded (or when no schedule is configured),
// otherwise every Forum.Every steps, which the thinned record may miss.
func forumMarks(res *sim.Result, last int) []float64 {
	cfg := &res.Config
	var xs []float64
	if cfg.Forum.Every > 0 && cfg.Run.RecordEvery > 1 {
		for t := cfg.Forum.Every; t <= last; t += cfg.Forum.Every {
			xs = append(xs, float64(t))
		}
		return xs
	}
	r := &res.Replicates[0]
	for j, row := range r.Rows {
		if row[sim.ForumMarker] == 1 {
			xs = append(xs, float64(r.Steps[j]))
		}
	}
	if len(xs) == 0 && cfg.Forum.Every > 0 {
		for t := cfg.Forum.Every; t <= last; t += cfg.Forum.Every {
			xs = append(xs, float64(t))
		}
	}
	return xs
}
