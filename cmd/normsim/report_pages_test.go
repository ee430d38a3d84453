package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/normsim/normsim/goals"
	hp "github.com/normsim/normsim/handout"
	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/scenarios"
)

// chromium returns the path of a Chromium (or Chrome) to print with, or
// skips the test when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("printing handouts to PDF takes a browser and half a minute")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("NORMSIM_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium to print the handouts with, and NORMSIM_REQUIRE_BROWSER is set (apt-get install chromium)")
	}
	t.Skip("no Chromium to print the handouts with (apt-get install chromium)")
	return ""
}

// printPDF prints an HTML file to PDF with headless Chromium, with an
// outline (bookmarks) made from its headings.
func printPDF(browser, html, profile string) ([]byte, error) {
	abs, err := filepath.Abs(html)
	if err != nil {
		return nil, err
	}
	out := strings.TrimSuffix(abs, ".html") + ".pdf"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir="+profile, "--no-pdf-header-footer", "--generate-pdf-document-outline",
		"--print-to-pdf="+out, "file://"+abs)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", browser, err, msg)
	}
	return os.ReadFile(out)
}

// printAll prints HTML files to PDF at once (Chromium spends most of its
// time waiting), in the order given.
func printAll(t *testing.T, browser string, files ...string) [][]byte {
	t.Helper()
	pdfs := make([][]byte, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		profile := t.TempDir()
		wg.Go(func() { pdfs[i], errs[i] = printPDF(browser, f, profile) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return pdfs
}

var (
	pdfObjRE   = regexp.MustCompile(`(?s)(\d+) 0 obj\s*<<(.*?)>>\s*(?:stream|endobj)`)
	pdfKidsRE  = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	pdfRefRE   = regexp.MustCompile(`(\d+) 0 R`)
	pdfPagesRE = regexp.MustCompile(`/Type\s*/Pages\b`)
	pdfPageRE  = regexp.MustCompile(`/Type\s*/Page\b`)
	pdfRootRE  = regexp.MustCompile(`(?s)/Type\s*/Catalog\b.*?/Pages\s+(\d+) 0 R`)
	pdfTitleRE = regexp.MustCompile(`(?s)/Title\s*\(((?:\\.|[^\\)])*)\).*?/Dest\s*\[\s*(\d+) 0 R`)
)

// pdfOutline reads what a Chromium PDF says of its layout: the number of
// pages, and for each bookmark (a heading) the page it is on (1-based),
// in document order. It reads the uncompressed object dictionaries that
// Chromium (Skia) writes, not PDF at large.
func pdfOutline(t *testing.T, pdf []byte) (pages int, heads []pdfHeading) {
	t.Helper()
	dicts := map[string]string{}
	var order []string // object ids in file order
	for _, m := range pdfObjRE.FindAllSubmatch(pdf, -1) {
		dicts[string(m[1])] = string(m[2])
		order = append(order, string(m[1]))
	}
	var root string
	for _, d := range dicts {
		if m := pdfRootRE.FindStringSubmatch(d); m != nil {
			root = m[1]
		}
	}
	if root == "" {
		t.Fatal("PDF: no catalog")
	}
	number := map[string]int{}
	var walk func(id string)
	walk = func(id string) {
		d := dicts[id]
		switch {
		case pdfPagesRE.MatchString(d):
			if k := pdfKidsRE.FindStringSubmatch(d); k != nil {
				for _, r := range pdfRefRE.FindAllStringSubmatch(k[1], -1) {
					walk(r[1])
				}
			}
		case pdfPageRE.MatchString(d):
			pages++
			number[id] = pages
		}
	}
	walk(root)
	for _, id := range order {
		if m := pdfTitleRE.FindStringSubmatch(dicts[id]); m != nil {
			title := regexp.MustCompile(`\\(.)`).ReplaceAllString(m[1], "$1")
			heads = append(heads, pdfHeading{Title: title, Page: number[m[2]]})
		}
	}
	return pages, heads
}

type pdfHeading struct {
	Title string
	Page  int
}

// TestHandoutPages prints the handouts to PDF and keeps them within their
// page budgets on A4: a run's and an exercise's 3 pages, a sweep's 3, the
// claims study's introduction 3 and every claim at most 2 (it starts a
// page). The appendix is collapsed, so it is not printed.
//
// With NORMSIM_HANDOUTS=DIR, the handouts and their PDFs are kept in DIR,
// to look at.
func TestHandoutPages(t *testing.T) {
	browser := chromium(t)
	dir := os.Getenv("NORMSIM_HANDOUTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := func(f string) string { return filepath.Join(dir, f) }
	expectCall(t, "report baseline -o "+p("baseline.html"), "wrote "+p("baseline.html"), "-", 0)
	expectCall(t, "report exercises/restraint-emerges -o "+p("exercise.html"), "wrote "+p("exercise.html"), "-", 0)
	os.RemoveAll(p("sweep")) // a kept one, from an earlier run
	expectCall(t, "sweep evidence-standards --quiet -o "+p("sweep"), "", "", 0)
	expectCall(t, "report "+p("sweep")+" -o "+p("sweep.html"), "wrote "+p("sweep.html"), "-", 0)
	// The study with robustness results (made up: the layout does not
	// depend on them, and the real ones take minutes), and fewer
	// replicates, which change no size either.
	fakeStudy(t, p("study"))
	expectCall(t, "report "+p("study")+" --replicates 4 -o "+p("claims.html"), "wrote "+p("claims.html"), "-", 0)

	pdfs := printAll(t, browser, p("baseline.html"), p("exercise.html"), p("sweep.html"), p("claims.html"))
	for i, c := range []struct {
		file   string
		budget int
	}{{"baseline.html", 3}, {"exercise.html", 3}, {"sweep.html", 3}} {
		n, heads := pdfOutline(t, pdfs[i])
		t.Logf("%s: %d pages", c.file, n)
		if n > c.budget || n == 0 {
			t.Errorf("%s prints on %d A4 pages, want at most %d", c.file, n, c.budget)
		}
		for _, h := range heads {
			if strings.Contains(h.Title, "resolved") || strings.Contains(h.Title, "Every measure") {
				t.Errorf("%s: the appendix is printed (%q on page %d)", c.file, h.Title, h.Page)
			}
		}
	}

	pages, heads := pdfOutline(t, pdfs[3])
	claimRE := regexp.MustCompile(`^(\d+)\. `)
	var starts []pdfHeading
	for _, h := range heads {
		if m := claimRE.FindStringSubmatch(h.Title); m != nil && m[1] == strconv.Itoa(len(starts)+1) {
			starts = append(starts, h)
		}
	}
	if len(starts) < 13 {
		t.Fatalf("claims study: %d claim sections found in the PDF's outline (%d pages), want one per claim, at least 13", len(starts), pages)
	}
	var counts []string
	if starts[0].Page-1 > 3 {
		t.Errorf("claims study: the introduction takes %d pages, want at most 3", starts[0].Page-1)
	}
	for i, s := range starts {
		next := pages + 1
		if i+1 < len(starts) {
			next = starts[i+1].Page
		}
		n := next - s.Page
		counts = append(counts, fmt.Sprint(n))
		if n > 2 || n < 1 {
			t.Errorf("claims study: claim %q takes %d pages, want 1 or 2", s.Title, n)
		}
	}
	t.Logf("claims.html: %d pages, introduction %d, claims %s", pages, starts[0].Page-1, strings.Join(counts, " "))
}

// fakeStudy writes what 'normsim claims --robust -o dir' writes, with
// made-up results: every claim of the study supported in its own set-up
// and in two settings of three, with the robustness chart.
func fakeStudy(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	settings := goals.Settings()
	var names []string
	for _, st := range settings {
		names = append(names, st.Name)
	}
	var finds []goals.Finding
	var rows []plots.RobustRow
	robust := [][]string{{"scenario", "version", "scenario_hash", "seed", "claim", "setting", "supported", "effect", "lo", "hi"}}
	for _, entry := range scenarios.Claims() {
		s, err := scenarios.Open(entry.Name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := s.Config()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range s.Expect {
			if !c.IsClaim() {
				continue
			}
			f := goals.Finding{Scenario: entry.Name, Version: programVersion, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates,
				Claim: c.Claim, Metric: c.Metric, Vary: c.Vary, Trend: c.Trend, Effect: 0.1, Lo: 0.05, Hi: 0.15, Supported: true,
				Settings: len(settings)}
			row := plots.RobustRow{Claim: c.Claim, Trend: c.Trend}
			for j, st := range settings {
				ok := j%3 != 0
				if ok {
					f.Robust++
				} else {
					f.Fails = append(f.Fails, st.Name)
				}
				robust = append(robust, []string{entry.Name, programVersion, s.Hash(), fmt.Sprint(cfg.Run.Seed), c.Claim, st.Name, fmt.Sprint(ok), "0.1", "0.05", "0.15"})
				row.Cells = append(row.Cells, plots.RobustCell{Supported: ok, Effect: 0.1, Lo: 0.05, Hi: 0.15, Replicates: cfg.Run.Replicates})
			}
			finds = append(finds, f)
			rows = append(rows, row)
		}
	}
	var b strings.Builder
	if err := goals.WriteFindings(&b, finds); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, hp.FindingsFile), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := writeCSV(&b, robust); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, hp.RobustnessFile), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	fig, err := plots.Robustness(names, rows, plots.Meta{Scenario: "claims study", Version: programVersion})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fig.Save(dir, RobustnessChart); err != nil {
		t.Fatal(err)
	}
}

func TestPDFOutline(t *testing.T) {
	// A minimal PDF as Chromium writes it: a page tree of two levels and an
	// outline whose entries point at pages.
	pdf := []byte(`%PDF-1.4
1 0 obj
<</Type /Catalog
/Pages 2 0 R
/Outlines 9 0 R>>
endobj
2 0 obj
<</Type /Pages
/Count 3
/Kids [3 0 R 6 0 R]>>
endobj
3 0 obj
<</Type /Pages
/Kids [5 0 R 4 0 R]>>
endobj
4 0 obj
<</Type /Page
/Parent 3 0 R>>
endobj
5 0 obj
<</Type /Page
/Parent 3 0 R>>
endobj
6 0 obj
<</Type /Page
/Parent 2 0 R>>
endobj
7 0 obj
<</Title (1. A claim \(with brackets\))
/Dest [4 0 R /XYZ 39 615 0]
/Next 8 0 R>>
endobj
8 0 obj
<</Title (2. Another)
/Dest [6 0 R /XYZ 39 615 0]>>
endobj
`)
	pages, heads := pdfOutline(t, pdf)
	want := []pdfHeading{{"1. A claim (with brackets)", 2}, {"2. Another", 3}}
	if pages != 3 || len(heads) != 2 || heads[0] != want[0] || heads[1] != want[1] {
		t.Errorf("pdfOutline = %d, %+v; want 3, %+v", pages, heads, want)
	}
}
