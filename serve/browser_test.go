package serve

// Real-browser tests: headless Chromium, driven with chromedp, against the
// workbench on a loopback port. They need Chromium (the Debian package
// chromium; .ci/run installs it): without one they skip, unless
// NORMSIM_REQUIRE_BROWSER is set, as it is in CI, where they fail instead.
// Screenshots go to -screenshots DIR (default: a temporary directory,
// removed after the test).

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

var (
	screenshots = flag.String("screenshots", "", "keep the browser tests' screenshots in `DIR`")
	readmeShot  = flag.String("readme-screenshot", "", "write the README's screenshot of the workbench to `FILE` (a PNG)")
)

// chromiumPath finds Chromium: $NORMSIM_CHROMIUM, or chromium,
// chromium-browser or google-chrome on the PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("NORMSIM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("NORMSIM_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium found (NORMSIM_REQUIRE_BROWSER is set): install the Debian package chromium, or set NORMSIM_CHROMIUM")
	}
	t.Skip("no Chromium found: install the Debian package chromium (or set NORMSIM_CHROMIUM) to run the browser tests")
	return ""
}

// browserPage starts a workbench and a headless Chromium showing it. The
// returned context drives the page; srv is the server behind it.
type browserPage struct {
	ctx       context.Context
	srv       *Server
	url       string
	shots     string
	downloads string
	t         *testing.T
}

func newBrowserPage(t *testing.T, opt Options) *browserPage {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	path := chromiumPath(t)
	srv, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); hs.Close() })

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1500, 1050),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })

	shots := *screenshots
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &browserPage{ctx: ctx, srv: srv, url: hs.URL, shots: shots, downloads: t.TempDir(), t: t}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: p.downloads, EventsEnabled: new(true),
	}); err != nil {
		t.Fatalf("allowing downloads: %v", err)
	}
	return p
}

// byID selects an element by its id, which may hold dots (CSS would read
// them as classes).
func byID(id string) chromedp.JSPath {
	return chromedp.JSPath("document.getElementById(" + jsString(id) + ")")
}

// do runs actions, failing the test with what was being done.
func (p *browserPage) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		p.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](p *browserPage, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.shot("failed-eval")
		p.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it is true.
func (p *browserPage) waitFor(what, cond string, timeout time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		p.shot("timeout-" + strings.ReplaceAll(what, " ", "-"))
		state, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`JSON.stringify({status: W.status, banner: document.getElementById('banner').textContent, points: W.points.length})`))
		p.t.Fatalf("waiting for %s (%s): %v; page: %s", what, cond, err, state)
	}
}

// shot saves a screenshot of the whole page as NAME.png.
func (p *browserPage) shot(name string) string {
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	file := filepath.Join(p.shots, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", file)
	return file
}

// open loads the page at path and waits until it is ready.
func (p *browserPage) open(path string) {
	p.t.Helper()
	p.do("opening "+path, chromedp.Navigate(p.url+path))
	p.waitFor("the page to start", `document.body.dataset.ready === '1' && W.points.length > 0`, 30*time.Second)
}

// jsString quotes s for JavaScript.
func jsString(s string) string { return fmt.Sprintf("%q", s) }

// waitDownload waits for a new finished download and returns its bytes.
func (p *browserPage) waitDownload(seen map[string]bool) []byte {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(p.downloads)
		for _, e := range entries {
			if seen[e.Name()] || strings.HasSuffix(e.Name(), ".crdownload") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(p.downloads, e.Name()))
			if err == nil && len(data) > 0 {
				seen[e.Name()] = true
				return data
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatal("no download arrived")
	return nil
}

// session returns the server's session behind the page.
func (p *browserPage) session() *session {
	p.t.Helper()
	id := eval[string](p, `W.id`)
	p.srv.mu.Lock()
	defer p.srv.mu.Unlock()
	s := p.srv.sessions[id]
	if s == nil {
		p.t.Fatalf("no session %q on the server", id)
	}
	return s
}

// unlabelled lists the visible controls without an accessible name.
const unlabelled = `[...document.querySelectorAll('input, select, button, textarea')]
	.filter((e) => !e.closest('[hidden]'))
	.filter((e) => {
		const lab = e.id && document.querySelector('label[for="' + CSS.escape(e.id) + '"]');
		return !(lab || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.tagName === 'BUTTON' && e.textContent.trim()));
	})
	.map((e) => e.id || e.outerHTML.slice(0, 80))`

// canvasInk sums the alpha of a canvas's pixels: it changes when the chart
// is drawn again with new data.
func canvasInk(id string) string {
	return `(() => { const c = document.getElementById(` + jsString(id) + `); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let s = 0; for (let i = 3; i < d.length; i += 4) s += d[i]; return s; })()`
}

// reveal opens the groups and sections that hold parameter key's control,
// clicking their summaries as a user would.
func (p *browserPage) reveal(key string) {
	p.t.Helper()
	ids := eval[[]string](p, `(() => { const out = []; let e = document.getElementById(`+jsString("p-"+key)+`); while ((e = e.parentElement)) if (e.tagName === 'DETAILS' && !e.open) out.unshift(e.id); return out; })()`)
	for _, id := range ids {
		p.do("opening "+id, chromedp.Click(chromedp.CSS("#"+id+" > summary")))
	}
}
