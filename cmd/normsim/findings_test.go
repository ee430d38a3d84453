package main

import (
	"os"
	"strings"
	"testing"

	"github.com/normsim/normsim/goals"
)

// TestReadmeFindings: the README's findings table is the one 'normsim
// claims --robust -o docs/claims' generates from docs/claims/findings.csv
// (and .ci/run reruns the study and compares the CSVs), so the README
// cannot drift from what the command prints.
func TestReadmeFindings(t *testing.T) {
	f, err := os.Open("../../docs/claims/findings.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fs, err := goals.ReadFindings(f)
	if err != nil {
		t.Fatal(err)
	}
	want := goals.Markdown(fs)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- findings:begin", "<!-- findings:end -->"
	s := string(readme)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README.md has no findings table between its markers")
	}
	got := s[i:j]
	got = got[strings.Index(got, "\n")+1:]
	if got != want {
		t.Errorf("README.md's findings table differs from docs/claims/findings.csv: rerun 'normsim claims --robust -o docs/claims --force' and copy FINDINGS.md into the README")
	}
	table, err := os.ReadFile("../../docs/claims/FINDINGS.md")
	if err != nil || string(table) != want {
		t.Errorf("docs/claims/FINDINGS.md is not generated from findings.csv (%v)", err)
	}
	if len(fs) < 13 {
		t.Errorf("%d claims in the study, want at least MODEL.md's 13", len(fs))
	}
}
