package serve

import (
	"context"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// TestBrowserExercise does a class exercise start to finish, as a student
// would: open the workbench, pick the exercise, run it and watch the charts
// and the lattice move, check the starting settings (they fail), move a
// slider, set what the teacher's solution sets, run again, check (as
// normsim check grades the solution), download the scenario and the
// handout, and open the share link in a new tab. The changes to make are
// read from the solution file, so the test follows the exercise as it is
// recalibrated; the verdicts shown are compared with the engine's.
func TestBrowserExercise(t *testing.T) {
	const exercise = "exercises/nowak-may-chaos"
	start, err := scenarios.Open(exercise)
	if err != nil {
		t.Fatal(err)
	}
	solution, err := scenarios.OpenSolution(exercise)
	if err != nil {
		t.Fatal(err)
	}
	fix := changed(start, solution)
	if len(fix) == 0 {
		t.Fatal("the solution changes nothing")
	}
	p := newBrowserPage(t, Options{Handout: func(ctx context.Context, s *scenarios.Scenario, w io.Writer) error {
		_, err := io.WriteString(w, "<!doctype html><title>handout</title><h1>"+s.Title+"</h1>")
		return err
	}})
	p.open("/")
	if eval[bool](p, `document.getElementById('handout').hidden`) {
		t.Error("the handout button is hidden although there are handouts")
	}
	if bad := eval[[]string](p, unlabelled); len(bad) > 0 {
		t.Errorf("controls without a label: %v", bad)
	}

	// Pick the exercise.
	p.do("picking the exercise", chromedp.Focus(chromedp.ID("scenario")))
	p.do("picking the exercise", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('scenario'); s.value = `+jsString(exercise)+`; s.dispatchEvent(new Event('change')); })()`))
	p.waitFor("the exercise", `W.state.scenario.source === `+jsString(exercise)+` && !document.getElementById('teach').hidden && W.lattice !== null`, 30*time.Second)
	if h := eval[string](p, `document.getElementById('teach-h').textContent`); !strings.Contains(h, start.Title) {
		t.Errorf("the teaching panel says %q, want the exercise's title %q", h, start.Title)
	}
	if got := eval[string](p, `document.getElementById('task').textContent`); got != start.Info.What {
		t.Errorf("task %q, want %q", got, start.Info.What)
	}
	if n := eval[int](p, `document.querySelectorAll('#goals li').length`); n != len(start.Expect) {
		t.Errorf("%d goals shown, want %d", n, len(start.Expect))
	}
	p.shot("1-exercise")

	// Go with the keyboard, and see the charts and the lattice move.
	p.do("pressing g", chromedp.Focus(chromedp.ID("main")), chromedp.KeyEvent("g"))
	p.waitFor("the run", `W.status.running && W.points.length > 5`, 30*time.Second)
	ink1 := eval[float64](p, canvasInk("c-conv"))
	lat1 := eval[int](p, `W.lattice.t`)
	p.waitFor("more points", `W.points.length > 40`, 30*time.Second)
	p.do("pausing", chromedp.Focus(chromedp.ID("main")), chromedp.KeyEvent("g"))
	p.waitFor("the pause", `!W.status.running`, 30*time.Second)
	time.Sleep(300 * time.Millisecond) // a frame or two
	if ink2 := eval[float64](p, canvasInk("c-conv")); ink2 == ink1 {
		t.Error("the convergence chart did not change while the model ran")
	}
	if lat2 := eval[int](p, `W.lattice.t`); lat2 <= lat1 {
		t.Errorf("the lattice did not move: step %d, then %d", lat1, lat2)
	}
	if r := eval[string](p, `document.getElementById('r-world').textContent`); !strings.Contains(r, "100 x 100 sites") {
		t.Errorf("world readout %q", r)
	}
	p.shot("2-running")

	// Check the starting settings: the verdict is the engine's.
	s := p.session()
	s.mu.Lock()
	want, err := runCheck(context.Background(), s.sc, s.cfg)
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	p.do("checking", chromedp.Click(chromedp.ID("check")))
	p.waitFor("the check", `document.getElementById('verdict') !== null`, 60*time.Second)
	if got := eval[string](p, `document.getElementById('verdict').textContent`); got != want.Verdict {
		t.Errorf("the page says %s for the starting file, normsim check %s", got, want.Verdict)
	}
	p.shot("3-check-start")

	// Move a slider with the keyboard.
	key, _, _ := strings.Cut(fix[0], "=")
	before := eval[string](p, `W.state.values[`+jsString(key)+`]`)
	p.reveal(key)
	p.do("moving a slider", chromedp.Focus(byID("p-"+key+"-slider")), chromedp.KeyEvent(kb.ArrowRight))
	p.waitFor("the slider's value on the server", `W.state.values[`+jsString(key)+`] !== `+jsString(before)+` && W.state.changed.includes(`+jsString(key)+`) && location.search.includes(`+jsString(url.QueryEscape(key))+`)`, 30*time.Second)
	p.shot("4-slider")

	// Set what the solution sets, by typing into the controls.
	for _, a := range fix {
		k, v, _ := strings.Cut(a, "=")
		p.reveal(k)
		kind := eval[string](p, `document.getElementById(`+jsString("p-"+k)+`).type`)
		switch kind {
		case "checkbox":
			if eval[bool](p, `document.getElementById(`+jsString("p-"+k)+`).checked`) != (v == "true") {
				p.do("switching "+k, chromedp.Click(byID("p-"+k)))
			}
		case "select-one":
			p.do("choosing "+k, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById(`+jsString("p-"+k)+`); s.value = `+v+`; s.dispatchEvent(new Event('change')); })()`))
		default:
			p.do("typing "+k, chromedp.Focus(byID("p-"+k)), chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`), chromedp.SendKeys(byID("p-"+k), v+"\t"))
		}
		p.waitFor(k+" on the server", `W.state.values[`+jsString(k)+`] === `+jsString(v), 30*time.Second)
	}

	// Run it through at the fastest speed, then check.
	p.do("fastest", chromedp.Focus(chromedp.ID("speed")), chromedp.KeyEvent(kb.End))
	p.waitFor("the fastest speed", `W.state.speed === 0`, 30*time.Second)
	p.do("go", chromedp.Click(chromedp.ID("go")))
	p.waitFor("the end of the run", `W.status.done && W.points.length > 0 && W.points[W.points.length - 1][0] === W.state.steps`, 60*time.Second)
	if st := eval[string](p, `document.getElementById('status').textContent`); !strings.Contains(st, "Run over") {
		t.Errorf("status %q", st)
	}
	s = p.session()
	s.mu.Lock()
	want, err = runCheck(context.Background(), s.sc, s.cfg)
	hash := s.sc.Hash()
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	solved, err := runCheck(context.Background(), solution, mustConfig(t, solution))
	if err != nil {
		t.Fatal(err)
	}
	if want.Verdict != solved.Verdict {
		t.Errorf("the settings typed in grade %s, the solution file %s", want.Verdict, solved.Verdict)
	}
	p.do("checking again", chromedp.Click(chromedp.ID("check")))
	p.waitFor("the second check", `document.getElementById('check-status').textContent.startsWith('Checked')`, 60*time.Second)
	if got := eval[string](p, `document.getElementById('verdict').textContent`); got != want.Verdict {
		t.Errorf("the page says %s for the solved settings, normsim check %s", got, want.Verdict)
	}
	t.Logf("the exercise: starting file %s, solved in the browser %s (the solution file: %s)", "checked", want.Verdict, solved.Verdict)
	p.shot("5-check-solved")

	// Download the scenario and the handout.
	seen := map[string]bool{}
	p.do("downloading the scenario", chromedp.Click(chromedp.ID("download")))
	data := p.waitDownload(seen)
	got, err := scenarios.Parse("download.toml", data)
	if err != nil {
		t.Fatalf("the downloaded scenario does not load: %v", err)
	}
	if got.Hash() != hash {
		t.Error("the downloaded scenario is not the one on screen")
	}
	for _, a := range fix {
		if !strings.Contains(string(data), "\n"+strings.Replace(strings.SplitN(a, ".", 2)[1], "=", " = ", 1)+"  #") {
			t.Errorf("the download does not set %s", a)
		}
	}
	p.do("downloading the handout", chromedp.Click(chromedp.ID("handout")))
	if h := string(p.waitDownload(seen)); !strings.Contains(h, start.Title) {
		t.Errorf("handout %q", h)
	}

	// The share link restores the settings in another tab.
	link := eval[string](p, `document.getElementById('share-url').value`)
	if !strings.HasPrefix(link, p.url+"/?scenario=") {
		t.Fatalf("share link %q", link)
	}
	tab, cancel := chromedp.NewContext(p.ctx)
	defer cancel()
	other := *p
	other.ctx = tab
	// The first action on a tab opens it, and must not run under a
	// context of its own: ending that context would close the tab.
	if err := chromedp.Do(tab, chromedp.Navigate(link)); err != nil {
		t.Fatalf("opening the link: %v", err)
	}
	other.waitFor("the linked settings", `document.body.dataset.ready === '1' && W.state.scenario.source === `+jsString(exercise), 30*time.Second)
	for _, a := range fix {
		k, v, _ := strings.Cut(a, "=")
		if got := eval[string](&other, `W.state.values[`+jsString(k)+`]`); got != v {
			t.Errorf("the link restores %s = %s, want %s", k, got, v)
		}
	}
	if id1, id2 := eval[string](p, `W.id`), eval[string](&other, `W.id`); id1 == id2 {
		t.Error("two tabs share a session")
	}
	other.shot("6-shared")
}

func mustConfig(t *testing.T, s *scenarios.Scenario) sim.Config {
	t.Helper()
	cfg, err := s.Config()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
