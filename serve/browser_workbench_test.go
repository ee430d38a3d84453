package serve

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/normsim/normsim/scenarios"
)

// TestBrowserWorkbench drives the workbench on a cyber-norm scenario: a
// link restores settings, the keyboard steps and runs it, every chart and
// the world view are drawn and move, forums and events reach the log, a
// scenario file opens (and a broken one is refused with its problems), and
// a changed setting sets the worlds up again.
func TestBrowserWorkbench(t *testing.T) {
	p := newBrowserPage(t, Options{Handout: func(context.Context, *scenarios.Scenario, io.Writer) error {
		return errors.New("report: out of ink")
	}})
	p.open("/?scenario=ai-shock&set=run.seed%3D3&set=run.replicates%3D8")
	if got := eval[string](p, `W.state.seed + ' ' + W.state.replicates + ' ' + W.state.scenario.name`); got != "3 8 ai-shock" {
		t.Fatalf("the link restored %q", got)
	}
	if bad := eval[[]string](p, unlabelled); len(bad) > 0 {
		t.Errorf("controls without a label: %v", bad)
	}

	// The keyboard: one step, setup, go.
	p.do("pressing .", chromedp.Focus(chromedp.ID("main")), chromedp.KeyEvent("."))
	p.waitFor("one step", `W.status.t === 1`, 30*time.Second)
	p.do("pressing r", chromedp.KeyEvent("r"))
	p.waitFor("setup", `W.status.t === 0 && W.points.length === 1`, 30*time.Second)
	ink := map[string]float64{}
	for _, c := range []string{"c-conv", "c-attr", "c-adopt", "c-world"} {
		ink[c] = eval[float64](p, canvasInk(c))
	}
	p.do("fastest", chromedp.Focus(chromedp.ID("speed")), chromedp.KeyEvent(kb.End))
	p.do("pressing g", chromedp.Focus(chromedp.ID("main")), chromedp.KeyEvent("g"))
	p.waitFor("the run", `W.status.done`, 60*time.Second)
	time.Sleep(200 * time.Millisecond)
	for c, before := range ink {
		if after := eval[float64](p, canvasInk(c)); after == before {
			t.Errorf("%s did not change while the model ran", c)
		}
	}
	log := eval[string](p, `document.getElementById('log').textContent`)
	for _, want := range []string{"forum met", "event \"", "end of the run"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log does not say %q: %s", want, clip(log, 300))
		}
	}
	if r := eval[string](p, `document.getElementById('r-world').textContent`); !strings.Contains(r, "low power") {
		t.Errorf("world readout %q", r)
	}
	p.shot("workbench-ai-shock")
	// Drawing every chart from all the points stays quick (a frame is 16 ms).
	ms := eval[float64](p, `(() => { const t0 = performance.now(); for (let i = 0; i < 10; i++) { drawConvergence(); drawAttribution(); drawThird(); drawWorld(); } return (performance.now() - t0) / 10; })()`)
	t.Logf("drawing the four charts from %d points: %.1f ms", eval[int](p, `W.points.length`), ms)
	if ms > 100 {
		t.Errorf("drawing the charts takes %.0f ms", ms)
	}

	// A handout that cannot be made says why.
	p.do("asking for the handout", chromedp.Click(chromedp.ID("handout")))
	p.waitFor("the handout's failure", `document.getElementById('banner').textContent.includes('out of ink')`, 30*time.Second)

	// A changed setting sets the worlds up again.
	p.reveal("forum.every")
	p.do("typing forum.every", chromedp.Focus(byID("p-forum.every")), chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`), chromedp.SendKeys(byID("p-forum.every"), "10\t"))
	p.waitFor("the new setup", `W.state.values['forum.every'] === '10' && W.status.t === 0 && !W.status.done && document.querySelector('.param.changed[data-key="forum.every"]') !== null`, 30*time.Second)
	// A refused value says why, next to the control, and is undone.
	p.do("typing a bad value", chromedp.Focus(byID("p-forum.pull")), chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`), chromedp.SendKeys(byID("p-forum.pull"), "7\t"))
	p.waitFor("the refusal", `document.getElementById('e-forum.pull').textContent.includes('forum.pull = 7')`, 30*time.Second)
	if v := eval[string](p, `document.getElementById('p-forum.pull').value`); v == "7" {
		t.Error("the refused value stays in its field")
	}

	// Open a scenario file, then a broken one.
	dir := t.TempDir()
	good := filepath.Join(dir, "mine.toml")
	os.WriteFile(good, []byte("schema = 1\nname = \"mine\"\ntitle = \"My own world\"\n[world]\nstates = 60\n[run]\nsteps = 50\nreplicates = 3\n"), 0o644)
	p.do("opening a file", chromedp.SetUploadFiles(chromedp.ID("upload"), []string{good}))
	p.waitFor("the file", `W.state.scenario.name === 'mine' && document.getElementById('scenario').value === 'file mine.toml'`, 30*time.Second)
	if st := eval[string](p, `location.search`); !strings.HasPrefix(st, "?toml_z=") {
		t.Errorf("the address of an opened file is %q", st)
	}
	bad := filepath.Join(dir, "broken.toml")
	os.WriteFile(bad, []byte("schema = 1\nname = \"broken\"\n[forum]\npull = 3\n[wrold]\nstates = 5\n"), 0o644)
	p.do("opening a broken file", chromedp.SetUploadFiles(chromedp.ID("upload"), []string{bad}))
	p.waitFor("the problems", `document.getElementById('banner').textContent.includes('broken.toml')`, 30*time.Second)
	b := eval[string](p, `document.getElementById('banner').textContent`)
	for _, want := range []string{"forum.pull = 3", "wrold"} {
		if !strings.Contains(b, want) {
			t.Errorf("the banner does not say %q: %s", want, b)
		}
	}
	if name := eval[string](p, `W.state.scenario.name`); name != "mine" {
		t.Errorf("a broken file replaced the scenario: %s", name)
	}
	p.shot("workbench-broken-file")
}

// TestBrowserReadmeScreenshot draws the README's picture of the
// workbench: exercise 1 with one setting changed, run to its end and
// checked. It writes the PNG
// only when asked: go test ./serve -run ReadmeScreenshot -readme-screenshot docs/serve.png
func TestBrowserReadmeScreenshot(t *testing.T) {
	if *readmeShot == "" {
		t.Skip("no -readme-screenshot FILE")
	}
	p := newBrowserPage(t, Options{Handout: func(context.Context, *scenarios.Scenario, io.Writer) error { return nil }})
	p.do("sizing the window", chromedp.EmulateViewport(1500, 1180))
	p.open("/?scenario=exercises/restraint-emerges&set=decision.conformity%3D10")
	p.do("fastest", chromedp.Focus(chromedp.ID("speed")), chromedp.KeyEvent(kb.End))
	p.do("go", chromedp.Click(chromedp.ID("go")))
	p.waitFor("the run", `W.status.done`, 60*time.Second)
	p.do("checking", chromedp.Click(chromedp.ID("check")))
	p.waitFor("the check", `document.getElementById('verdict') !== null`, 60*time.Second)
	p.reveal("decision.conformity")
	p.do("scrolling up", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0); document.activeElement.blur()`))
	time.Sleep(300 * time.Millisecond)
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*readmeShot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", *readmeShot, len(png))
}
