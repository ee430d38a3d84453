package plots

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/normsim/normsim/sim"
)

// TestCharts checks that each chart is drawn only for the kernels and
// runs it means something for.
func TestCharts(t *testing.T) {
	all := []string{"convergence", "attribution", "outcomes", "adoption", "traits"}
	for _, c := range []struct {
		name string
		res  func() *sim.Result
		want []string
	}{
		{"cyber, learning, a text in force", cyberFixture, all},
		{"cyber, no learning, fixed traits", func() *sim.Result {
			r := cyberFixture()
			r.Config.Learning.Rule = sim.LearnNone
			for i := range r.Replicates {
				for j := range r.Replicates[i].Rows {
					r.Replicates[i].Rows[j][sim.BoldnessMean] = 0.3
					r.Replicates[i].Rows[j][sim.VengefulnessMean] = 0.6
				}
			}
			return r
		}, []string{"convergence", "attribution", "outcomes", "adoption"}},
		{"cyber, no learning, traits move", func() *sim.Result {
			r := cyberFixture()
			r.Config.Learning.Rule = sim.LearnNone
			return r
		}, all},
		{"cyber, no text ever in force", func() *sim.Result {
			r := cyberFixture()
			for i := range r.Replicates {
				for j := range r.Replicates[i].Rows {
					r.Replicates[i].Rows[j][sim.Stringency] = math.NaN()
				}
			}
			return r
		}, []string{"convergence", "attribution", "outcomes", "traits"}},
		{"axelrod", axelrodFixture, []string{"convergence", "outcomes", "traits"}},
		{"nowak-may lattice", latticeFixture, []string{"convergence", "outcomes", "lattice"}},
		{"game on a complete graph", func() *sim.Result {
			r := latticeFixture()
			r.Config.Topology.Kind = sim.TopoComplete
			r.Replicates[0].Lattice = nil
			return r
		}, []string{"convergence", "outcomes"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := c.res()
			if got := Charts(res); !slices.Equal(got, c.want) {
				t.Errorf("Charts = %v, want %v (kernel %s)", got, c.want, sim.Kernel(&res.Config))
			}
		})
	}
}

// pngSize reads the width and height from a PNG's IHDR chunk.
func pngSize(b []byte) (w, h int) {
	if len(b) < 24 {
		return 0, 0
	}
	return int(binary.BigEndian.Uint32(b[16:20])), int(binary.BigEndian.Uint32(b[20:24]))
}

// TestSaveAll checks what the acceptance check (checks/charts) and the
// issue ask of the files: every applicable chart as PNG and SVG, at least
// 1200 x 800 px and more than 5 kB, the caption in the SVG, no temporary
// files left behind.
func TestSaveAll(t *testing.T) {
	dir := t.TempDir()
	res := latticeFixture()
	meta := Meta{Scenario: "nowak-may", Seed: 42, Replicates: 1, Version: "v9.8.7", Hash: "abcdef0123456789abcdef"}
	paths, err := SaveAll(dir, res, meta)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range Charts(res) {
		want = append(want, filepath.Join(dir, n+".png"), filepath.Join(dir, n+".svg"))
	}
	if !slices.Equal(paths, want) {
		t.Fatalf("SaveAll wrote %v, want %v", paths, want)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) <= 5000 {
			t.Errorf("%s is %d bytes, want > 5000", p, len(b))
		}
		switch filepath.Ext(p) {
		case ".png":
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("%s: %v", p, err)
			}
			if w, h := pngSize(b); w < 1200 || h < 800 {
				t.Errorf("%s is %dx%d px, want at least 1200x800", p, w, h)
			}
		case ".svg":
			s := string(b)
			for _, frag := range []string{"<svg", "scenario nowak-may", "seed 42", "1 replicate", "normsim v9.8.7", "scenario hash abcdef012345<",
				"font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"} {
				if !strings.Contains(s, frag) {
					t.Errorf("%s lacks %q", p, frag)
				}
			}
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != len(paths) {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("dir holds %v, want only the %d charts", names, len(paths))
	}
	if fi, err := os.Stat(paths[0]); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("%s: mode %v, %v; want -rw-r--r--", paths[0], fi.Mode(), err)
	}
}

// TestSaveAllPartial checks that one bad series stops only its own chart.
func TestSaveAllPartial(t *testing.T) {
	dir := t.TempDir()
	res := cyberFixture()
	res.Replicates[1].Rows[5][sim.TrueAccusations] = math.NaN()
	paths, err := SaveAll(dir, res, fixtureMeta)
	if err == nil || !strings.Contains(err.Error(), "plots: attribution chart: series true_accusations of replicate 1 is NaN at step 10") {
		t.Errorf("SaveAll error = %v", err)
	}
	if len(paths) != 8 {
		t.Errorf("SaveAll wrote %v, want convergence, outcomes, adoption and traits", paths)
	}
	if _, err := os.Stat(filepath.Join(dir, "attribution.png")); !os.IsNotExist(err) {
		t.Errorf("attribution.png exists despite the bad series (stat: %v)", err)
	}
}

// TestDeterministic checks that drawing twice gives the same bytes.
func TestDeterministic(t *testing.T) {
	res := cyberFixture()
	for _, name := range []string{ChartConvergence, ChartOutcomes} {
		var a, b bytes.Buffer
		for _, buf := range []*bytes.Buffer{&a, &b} {
			f, err := Draw(name, res, fixtureMeta)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.WritePNG(buf); err != nil {
				t.Fatal(err)
			}
			if err := f.WriteSVG(buf); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two drawings differ", name)
		}
	}
}

func TestCaption(t *testing.T) {
	for _, c := range []struct {
		meta     Meta
		perPoint bool
		want     string
	}{
		{Meta{Scenario: "baseline", Seed: 1, Replicates: 32, Version: "v0.1.0", Hash: "0123456789abcdef0123"}, false,
			"scenario baseline  ·  seed 1  ·  32 replicates  ·  normsim v0.1.0  ·  scenario hash 0123456789ab"},
		{Meta{Scenario: "x", Seed: 18446744073709551615, Replicates: 1}, false,
			"scenario x  ·  seed 18446744073709551615  ·  1 replicate  ·  normsim unknown version"},
		{Meta{Scenario: "sw", Seed: 3, Replicates: 10, Version: "v1", Hash: "abc"}, true,
			"scenario sw  ·  seed 3  ·  10 replicates per point  ·  normsim v1  ·  scenario hash abc"},
	} {
		if got := caption(c.meta, c.perPoint); got != c.want {
			t.Errorf("caption(%+v) =\n %q, want\n %q", c.meta, got, c.want)
		}
	}
}

func TestForumAndEventMarks(t *testing.T) {
	res := cyberFixture() // forum every 25, recorded every 2: the schedule
	got, _ := forumMarks(res, 300)
	if len(got) != 12 || got[0] != 25 || got[11] != 300 {
		t.Errorf("forumMarks (thinned record) = %v, want 25, 50, ..., 300", got)
	}
	res.Config.Run.RecordEvery = 1
	for k := range res.Replicates {
		for i := range res.Replicates[k].Rows {
			res.Replicates[k].Rows[i][sim.ForumMarker] = 0
		}
	}
	res.Replicates[3].Rows[10][sim.ForumMarker] = 1 // step 20, in one replicate
	if got, _ := forumMarks(res, 300); !slices.Equal(got, []float64{20}) {
		t.Errorf("forumMarks (every step recorded) = %v, want the recorded marker [20]", got)
	}
	res.Events = []sim.Event{{Step: 200, Label: "b"}, {Step: 50, Label: "a"}, {Step: 200, Label: "c"}, {Step: 400, Label: "late"}, {Step: 0, Label: "start"}}
	xs, labels := eventMarks(res, 300)
	if !slices.Equal(xs, []float64{50, 200}) || !slices.Equal(labels, []string{"a", "b; c"}) {
		t.Errorf("eventMarks = %v %q, want [50 200] [a, b; c]", xs, labels)
	}
}

// TestDrawDegenerate draws every chart of results at the edges: one
// replicate, one recorded step, every value zero (no spread, no
// accusations, no gap), and checks that each is drawn and encoded.
func TestDrawDegenerate(t *testing.T) {
	one := latticeFixture()
	r := &one.Replicates[0]
	r.Steps, r.Rows = r.Steps[:1], r.Rows[:1]
	r.Rows[0] = sim.Row{}
	r.Lattice = r.Lattice[:1]
	zeros := cyberFixture()
	for i := range zeros.Replicates {
		for j := range zeros.Replicates[i].Rows {
			zeros.Replicates[i].Rows[j] = sim.Row{}
		}
	}
	noopp := cyberFixture() // no opportunity ever: no practice, only beliefs
	for i := range noopp.Replicates {
		r := &noopp.Replicates[i]
		for j := range r.Rows {
			for _, m := range []sim.Metric{sim.RestraintRate, sim.RestraintCompliant, sim.ExpectationGap, sim.RestraintLow, sim.RestraintMid, sim.RestraintHigh} {
				r.Rows[j][m] = math.NaN()
			}
		}
		r.FinalRestraint, r.Outcome = math.NaN(), sim.Contested
	}
	for name, res := range map[string]*sim.Result{"one step": one, "zeros": zeros, "no opportunity": noopp} {
		for _, chart := range Charts(res) {
			t.Run(name+"/"+chart, func(t *testing.T) {
				t.Parallel()
				f, err := Draw(chart, res, fixtureMeta)
				if err != nil {
					t.Fatalf("Draw: %v", err)
				}
				var png, svg bytes.Buffer
				if err := f.WritePNG(&png); err != nil || png.Len() < 5000 {
					t.Errorf("%s.png: %d bytes, %v", chart, png.Len(), err)
				}
				if err := f.WriteSVG(&svg); err != nil || svg.Len() < 5000 {
					t.Errorf("%s.svg: %d bytes, %v", chart, svg.Len(), err)
				}
			})
		}
	}
}

// TestEventMarksScale draws the event lines and lays out the labels of
// 40,000 events (a scenario may have an event at every step): lines
// closer than a hairline are drawn once, labels of events too close to
// tell apart are listed a few at a time and counted, and the lane keeps a
// few levels, so that the cost is linear and bounded by the canvas (40,000
// events took 20 seconds and a lane of hundreds of levels).
func TestEventMarksScale(t *testing.T) {
	const n = 40000
	v := &vlines{Style: eventStyle}
	m := &marks{}
	for i := range n {
		v.X = append(v.X, float64(i+1))
		m.Labels = append(m.Labels, fmt.Sprintf("ev%d", i))
	}
	m.Events = v.X
	p := plot.New()
	p.X.Min, p.X.Max = 0, n
	m.Axis = &p.X
	p.Add(v)
	c := vgsvg.New(vg.Points(600), vg.Points(300))
	start := time.Now()
	p.Draw(draw.New(c))
	ps, levels := m.layout(0, vg.Points(600))
	took := time.Since(start)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(buf.String(), "stroke-dasharray")
	longest := 0
	for _, q := range ps {
		longest = max(longest, len(q.Label))
	}
	t.Logf("%d lines, %d labels on %d levels (longest %d bytes) in %v", lines, len(ps), levels, longest, took)
	if lines > 600/0.25+10 || levels > maxMarkLevels || longest > 80 || len(ps) == 0 {
		t.Errorf("%d lines, %d levels, a label of %d bytes: want at most one line a hairline, %d levels, short labels", lines, levels, longest, maxMarkLevels)
	}
	if !strings.Contains(ps[0].Label, "more") {
		t.Errorf("crowded labels are not counted: %q", ps[0].Label)
	}
}
