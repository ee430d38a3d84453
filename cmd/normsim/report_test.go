package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// external matches an address the page would fetch: http(s) or
// protocol-relative.
var external = regexp.MustCompile(`^\s*(https?:)?//`)

// checkHandout parses a handout as XML (it is written in XHTML syntax, so
// a strict XML parser checks that every element is closed and nested),
// and checks that it loads nothing from elsewhere: no src, srcset, href,
// xlink:href or data attribute with a web address except on a link (<a>),
// and no url() with one in CSS.
func checkHandout(t *testing.T, name string, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed: %v", name, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			stack = append(stack, el.Name.Local)
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "src", "srcset", "href", "data":
					if el.Name.Local != "a" && external.MatchString(a.Value) {
						t.Errorf("%s: <%s %s=%q> loads from the network", name, el.Name.Local, a.Name.Local, a.Value)
					}
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Errorf("%s: unclosed elements %q", name, stack)
	}
	if regexp.MustCompile(`url\(\s*['"]?(https?:)?//`).Match(doc) {
		t.Errorf("%s: CSS loads a url() from the network", name)
	}
	s := string(doc)
	wants := []string{"<!DOCTYPE html>", "<html", "<svg", "@page", "size: A4"}
	switch {
	case strings.Contains(name, "claims"):
	case strings.Contains(name, "sweep"):
		wants = append(wants, `<details class="appendix"`)
	default:
		wants = append(wants, `<details class="appendix"`, "About this scenario", "Charts", "Parameters that differ from the defaults", "The scenario, resolved")
	}
	for _, want := range wants {
		if !strings.Contains(s, want) {
			t.Errorf("%s: no %q", name, want)
		}
	}
	if len(doc) < 20000 {
		t.Errorf("%s: %d bytes, want a handout of more than 20,000", name, len(doc))
	}
}

func TestReport(t *testing.T) {
	dir := t.TempDir()
	p := func(f string) string { return filepath.Join(dir, f) }
	read := func(f string) []byte {
		t.Helper()
		b, err := os.ReadFile(p(f))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		args             string // $D is the temporary directory
		wantOut, wantErr string
		wantCode         int
	}{
		{"report", "-", "want one scenario", 2},
		{"report nosuch -o $D/x.html", "-", "no such file, and no shipped scenario", 2},
		{"report baseline --set forum.every=-1 -o $D/x.html", "-", "forum.every = -1", 2},
		{"report baseline --steps 260 --replicates 3 -o $D/a.html", "wrote $D/a.html", "-", 0},
		{"report baseline --steps 260 --replicates 3 --workers 1 -o $D/b.html", "wrote $D/b.html", "-", 0},
		{"report exercises/restraint-emerges --replicates 4 -o $D/ex.html", "wrote $D/ex.html", "-", 0},
		{"run baseline --steps 260 --replicates 3 --quiet -o $D/run", "", "-", 0},
		{"report $D/run", "wrote $D/run/handout.html", "-", 0},
		{"report $D/run --seed 2", "-", "is a finished run", 2},
		{"sweep evidence-standards --quiet -o $D/sweep", "", "", 0},
		{"report $D/sweep", "wrote $D/sweep/handout.html", "-", 0},
		{"report $D/sweep --set forum.every=3", "-", "is a sweep's results", 2},
		{"report $D/sweep", "-", "exists: not overwritten", 2}, // a handout is not overwritten without --force
		{"report $D/sweep --force", "wrote $D/sweep/handout.html", "-", 0},
		{"report claims --replicates 2 -o $D/a.html", "-", "exists: not overwritten", 2}, // refused before the claims are tested
		{"sweep evidence-standards --quiet --shard 0/2 -o $D/shard", "", "", 0},
		{"report $D/shard", "-", "merge the shards first", 1},
		{"report claims --replicates 2 -o $D/claims.html", "wrote $D/claims.html", "-", 0},
	} {
		expectCall(t, strings.ReplaceAll(c.args, "$D", dir), strings.ReplaceAll(c.wantOut, "$D", dir), c.wantErr, c.wantCode)
	}
	a := read("a.html")
	checkHandout(t, "a.html", a)
	if !bytes.Equal(a, read("b.html")) {
		t.Errorf("the handout depends on the number of workers")
	}
	for _, want := range []string{`id="chart-convergence"`, `id="chart-attribution"`, `id="chart-outcomes"`,
		"<code>forum.every</code></td><td class=\"n wrap\"><code>12</code></td><td class=\"n wrap\"><code>0</code>", "AI-enabled tools",
		"3 replicates</b> of <b>260 steps"} {
		if !strings.Contains(string(a), want) {
			t.Errorf("a.html: no %q", want)
		}
	}
	if !strings.Contains(string(a), "Goals:") {
		t.Errorf("a.html: no goals section for a scenario with goals")
	}
	ex := read("ex.html")
	checkHandout(t, "ex.html", ex)
	for _, want := range []string{"Goals: 0 of 2 met", "mean final_restraint &gt;= 0.9", `class="FAIL"`, "Hint: What does a would-be attacker weigh"} {
		if !strings.Contains(string(ex), want) {
			t.Errorf("ex.html: no %q", want)
		}
	}
	sw := read("sweep/handout.html")
	checkHandout(t, "sweep/handout.html", sw)
	for _, want := range []string{"Sweep: ", "The design", "<code>attribution.evidence_standard</code>", `class="wide points"`, `id="chart-param_attribution.evidence_standard_established"`} {
		if !strings.Contains(string(sw), want) {
			t.Errorf("sweep/handout.html: no %q", want)
		}
	}
	cl := read("claims.html")
	checkHandout(t, "claims.html", cl)
	if n := strings.Count(string(cl), `<section class="claim"`); n < 13 {
		t.Errorf("claims.html: %d claim sections, want one per claim (at least 13)", n)
	}
	if !strings.Contains(string(cl), "No robustness results were given") {
		t.Errorf("claims.html does not say that it has no robustness results")
	}
	h := read("run/handout.html")
	checkHandout(t, "run/handout.html", h)
	if !strings.Contains(string(h), "Results read from the run directory") {
		t.Errorf("run/handout.html does not say where its results come from")
	}
	// The run directory's handout shows the same results as the one that
	// ran the same scenario: the same charts.
	charts := regexp.MustCompile(`(?s)<svg.*?</svg>`)
	if x, y := charts.FindAll(a, -1), charts.FindAll(h, -1); len(x) != len(y) || len(x) == 0 || !bytes.Equal(bytes.Join(x, nil), bytes.Join(y, nil)) {
		t.Errorf("the handout of the run directory has other charts (%d) than the handout that ran it (%d)", len(y), len(x))
	}
}
